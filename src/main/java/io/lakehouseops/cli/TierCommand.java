package io.lakehouseops.cli;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.RunStatus;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.storage.S3ClientFactory;
import org.apache.hadoop.conf.Configuration;
import io.lakehouseops.storage.StorageClassMover;
import io.lakehouseops.tier.TierJob;
import io.lakehouseops.tier.TierSettings;
import java.time.LocalDate;
import java.util.ArrayList;
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
        + "--dry-run projects the monthly cost before and after. --all: every dataset whose "
        + "tiering.rules are set.")
public class TierCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOrAllOptions table;

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
    if (!table.all) {
      return tier(context, table.dataset == null ? null : context.settings().dataset(table.dataset));
    }
    List<DatasetSettings> withPolicy = context.settings().datasets().values().stream()
        .filter(d -> !d.tieringRules().isEmpty()).toList();
    if (withPolicy.isEmpty()) {
      return JobOutcome.nothingToDo(List.of(), "no dataset has tiering.rules");
    }
    List<Object> results = new ArrayList<>();
    RunStatus status = RunStatus.NOTHING_TO_DO;
    for (DatasetSettings dataset : withPolicy) {
      JobOutcome outcome = tier(context, dataset);
      results.add(outcome.result());
      if (outcome.status().exitCode() > status.exitCode()
          || outcome.status() == RunStatus.SUCCEEDED && status == RunStatus.NOTHING_TO_DO) {
        status = outcome.status(); // the worst exit code wins; any work done beats nothing to do
      }
    }
    return new JobOutcome(status, results, "tiered " + withPolicy.size() + " datasets: "
        + withPolicy.stream().map(DatasetSettings::name).toList());
  }

  /** One table: the dataset's, or --table's when dataset is null. */
  private JobOutcome tier(JobContext context, DatasetSettings dataset) throws Exception {
    LakehouseSettings lakehouse = context.settings();
    TierSettings settings = TierSettings.resolve(lakehouse.config(), rules,
        dataset == null ? null : dataset.tieringRules(), asOf, concurrency, dryRun.dryRun);
    TableRef ref = ExistingTables.require(context.spark(),
        dataset != null ? dataset.table() : table.resolve(lakehouse));
    Table iceberg = Tables.load(context.spark(), ref);
    TierJob.requireS3(ref, iceberg);
    Configuration hadoop = S3ClientFactory.forBucket(context.spark().sessionState().newHadoopConf(),
        StorageClassMover.S3Location.of(iceberg.location()).bucket());
    try (S3Client s3 = S3ClientFactory.create(hadoop, settings.maxAttempts())) {
      return new TierJob(iceberg, ref, settings, new StorageClassMover(s3, S3ClientFactory.customerKey(hadoop)),
          new TieringLog(context.spark(), lakehouse.opsTable(TieringLog.NAME)), context.runId(),
          dataset == null ? null : dataset.eventTime()).execute();
    }
  }
}
