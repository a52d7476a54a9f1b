package io.lakehouseops.cli;

import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.expire.ExpireJob;
import io.lakehouseops.expire.ExpireSettings;
import io.lakehouseops.run.JobOutcome;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Snapshot expiry and orphan-file removal with retention guards. */
@Command(name = "expire-snapshots", mixinStandardHelpOptions = true,
    description = "Expires old snapshots (branches and tags keep theirs), removes stale audit_* "
        + "branches and, with --remove-orphans, files no snapshot references. Retention below "
        + "lakehouse.expire.min-retention is refused unless --force. --all: every table of "
        + "lakehouse.expire.namespaces.")
public class ExpireSnapshotsCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOrAllOptions which;

  @Option(names = "--older-than", paramLabel = "DURATION", description = "e.g. 7d, 36h (default: lakehouse.expire.older-than).")
  String olderThan;

  @Option(names = "--retain-last", paramLabel = "N", description = "Newest snapshots always kept.")
  Integer retainLast;

  @Option(names = "--remove-orphans", description = "Also delete files no snapshot references.")
  Boolean removeOrphans;

  @Option(names = "--orphan-older-than", paramLabel = "DURATION", description = "Only orphans older than this.")
  String orphanOlderThan;

  @Option(names = "--max-concurrent-deletes", paramLabel = "N",
      description = "Parallel deletes of orphan files (expired files: the FileIO's bulk delete).")
  Integer maxConcurrentDeletes;

  @Option(names = "--force", description = "Allow retention below lakehouse.expire.min-retention.")
  boolean force;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) {
    LakehouseSettings lakehouse = context.settings();
    ExpireSettings settings = ExpireSettings.resolve(lakehouse.config(), new ExpireSettings.Overrides(
        olderThan, retainLast, removeOrphans, orphanOlderThan, maxConcurrentDeletes, dryRun.dryRun, force));
    List<TableRef> tables = which.all
        ? NamespaceTables.list(context.spark(), lakehouse.catalog().name(), settings.namespaces())
        : ExistingTables.require(context.spark(), List.of(which.resolve(lakehouse)));
    if (tables.size() == 1) {
      return new ExpireJob(context.spark(), tables.get(0), settings).execute();
    }
    List<JobOutcome> outcomes = new ArrayList<>();
    for (TableRef table : tables) {
      outcomes.add(new ExpireJob(context.spark(), table, settings).execute());
    }
    return JobOutcome.combine(outcomes, "expired " + tables.size() + " tables");
  }
}
