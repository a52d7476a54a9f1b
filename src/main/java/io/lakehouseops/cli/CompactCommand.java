package io.lakehouseops.cli;

import io.lakehouseops.compact.CompactJob;
import io.lakehouseops.compact.CompactSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.health.HealthSettings;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.run.JobOutcome;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Binpack, sort or z-order compaction with Iceberg's rewrite actions. */
@Command(name = "compact", mixinStandardHelpOptions = true,
    description = "Rewrites a table's small files (binpack, sort or zorder), optionally its "
        + "position deletes and manifests; reports table health before and after.")
public class CompactCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOptions table;

  @Option(names = "--strategy", paramLabel = "binpack|sort|zorder", description = "Default: lakehouse.compact.strategy.")
  String strategy;

  @Option(names = "--sort-columns", split = ",", paramLabel = "C1,C2", description = "Columns for sort or zorder.")
  List<String> sortColumns;

  @Option(names = "--where", paramLabel = "PREDICATE",
      description = "Only files matching this Spark SQL predicate on the table's columns.")
  String where;

  @Option(names = "--target-file-size", paramLabel = "SIZE", description = "e.g. 256MB (default: the table's).")
  String targetFileSize;

  @Option(names = "--min-input-files", paramLabel = "N", description = "Rewrite a partition from N files up.")
  Integer minInputFiles;

  @Option(names = "--partial-progress", description = "Commit file groups as they finish.")
  Boolean partialProgress;

  @Option(names = "--max-concurrent-groups", paramLabel = "N", description = "File groups rewritten at once.")
  Integer maxConcurrentGroups;

  @Option(names = "--rewrite-deletes", description = "Also rewrite position delete files, and remove delete "
      + "files that no longer apply to any live data file (dangling).")
  Boolean rewriteDeletes;

  @Option(names = "--delete-file-threshold", paramLabel = "N", description = "Rewrite every data file that "
      + "N or more delete files apply to, applying them (a CDC table's equality deletes; Iceberg's "
      + "delete-file-threshold).")
  Integer deleteFileThreshold;

  @Option(names = "--delete-ratio-threshold", paramLabel = "RATIO", description = "Rewrite every data file "
      + "whose deleted rows are at least this share of its rows (Iceberg's delete-ratio-threshold, 0.3).")
  Double deleteRatioThreshold;

  @Option(names = "--equality-deletes", paramLabel = "MODE", description = "With --rewrite-deletes, how a "
      + "partition's equality deletes are applied: rewrite (its data files), convert (to position deletes, "
      + "deletion vectors on v3), or auto (decided per partition from metadata; the default).")
  String equalityDeletes;

  @Option(names = "--rewrite-manifests", description = "Also rewrite manifests.")
  Boolean rewriteManifests;

  @Option(names = "--include-cold", description = "Also rewrite files tiered to colder storage classes.")
  Boolean includeCold;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) {
    var config = context.settings().config();
    CompactSettings settings = CompactSettings.resolve(config, new CompactSettings.Overrides(strategy,
        sortColumns, where, targetFileSize, minInputFiles, partialProgress, maxConcurrentGroups,
        rewriteDeletes, rewriteManifests, includeCold, deleteFileThreshold, deleteRatioThreshold, equalityDeletes,
        dryRun.dryRun));
    TableRef ref = ExistingTables.require(context.spark(), table.resolve(context.settings()));
    return new CompactJob(context.spark(), ref, settings,
        HealthSettings.from(config).smallFileRatio(), context.runId(),
        new TieringLog(context.spark(), context.settings().opsTable(TieringLog.NAME))).execute();
  }
}
