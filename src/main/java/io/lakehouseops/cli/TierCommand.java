package io.lakehouseops.cli;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.tier.TableTiering;
import io.lakehouseops.tier.TierSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
    List<JobOutcome> outcomes = new ArrayList<>();
    for (DatasetSettings dataset : withPolicy) {
      outcomes.add(tier(context, dataset));
    }
    return JobOutcome.combine(outcomes, "tiered " + withPolicy.size() + " datasets: "
        + withPolicy.stream().map(DatasetSettings::name).toList());
  }

  /** One table: the dataset's, or --table's when dataset is null. */
  private JobOutcome tier(JobContext context, DatasetSettings dataset) throws Exception {
    LakehouseSettings lakehouse = context.settings();
    TierSettings settings = TierSettings.resolve(lakehouse.config(), rules,
        dataset == null ? null : dataset.tieringRules(), asOf, concurrency, dryRun.dryRun);
    TableRef ref = ExistingTables.require(context.spark(),
        dataset != null ? dataset.table() : table.resolve(lakehouse));
    return TableTiering.run(context.spark(), lakehouse, ref, settings, context.runId(),
        dataset == null ? null : dataset.eventTime());
  }
}
