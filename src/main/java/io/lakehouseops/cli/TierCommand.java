package io.lakehouseops.cli;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.ops.JobOutcome;
import io.lakehouseops.ops.TieringLog;
import io.lakehouseops.storage.S3ClientFactory;
import io.lakehouseops.storage.StorageClassMover;
import io.lakehouseops.tier.TierJob;
import io.lakehouseops.tier.TierSettings;
import java.time.LocalDate;
import java.util.List;
import org.apache.iceberg.Table;
import software.amazon.awssdk.services.s3.S3Client;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Moves old partitions' files to cheaper S3 storage classes, in place. */
@Command(name = "tier", mixinStandardHelpOptions = true,
    description = "Moves the files of partitions older than each rule's age to the rule's S3 "
        + "storage class with a server-side copy onto themselves; Iceberg metadata is untouched. "
        + "--dry-run projects the monthly cost before and after.")
public class TierCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOptions table;

  @Option(names = "--rule", paramLabel = "AGE=CLASS",
      description = "e.g. --rule 30d=STANDARD_IA --rule 365d=GLACIER_IR (default: the dataset's "
          + "tiering.rules, then lakehouse.tier.rules).")
  List<String> rules;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "Day partition ages are measured from (default: today, UTC).")
  LocalDate asOf;

  @Option(names = "--concurrency", paramLabel = "N", description = "Copies at once (default: lakehouse.tier.concurrency).")
  Integer concurrency;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) throws Exception {
    LakehouseSettings lakehouse = context.settings();
    DatasetSettings dataset = table.dataset == null ? null : lakehouse.dataset(table.dataset);
    TierSettings settings = TierSettings.resolve(lakehouse.config(), rules,
        dataset == null ? null : dataset.tieringRules(), asOf, concurrency, dryRun.dryRun);
    TableRef ref = ExistingTables.require(context.spark(), table.resolve(lakehouse));
    Table iceberg = Tables.load(context.spark(), ref);
    TierJob.requireS3(ref, iceberg);
    try (S3Client s3 = S3ClientFactory.create(context.spark().sessionState().newHadoopConf(),
        settings.maxAttempts())) {
      return new TierJob(iceberg, ref, settings, new StorageClassMover(s3),
          new TieringLog(context.spark(), lakehouse.opsTable(TieringLog.NAME)), context.runId(),
          dataset == null ? null : dataset.eventTime()).execute();
    }
  }
}
