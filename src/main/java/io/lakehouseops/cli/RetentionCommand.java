package io.lakehouseops.cli;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.retention.RetentionJob;
import io.lakehouseops.retention.RetentionPolicy;
import io.lakehouseops.run.JobOutcome;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Partition retention with legal holds on curated tables. */
@Command(name = "retention", mixinStandardHelpOptions = true,
    description = "Deletes curated partitions whose event dates are older than the dataset's retention.days "
        + "(partition values against --as-of, never file times), except those a retention.holds entry covers. "
        + "Refuses (exit 2) to delete the newest partition or more than retention.max-fraction of the rows "
        + "unless --force. Raw is never touched. --all: every dataset with retention.days set.")
public class RetentionCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  /** --dataset, --table or --all. */
  static class Which {
    @Option(names = "--dataset", paramLabel = "NAME", description = "Configured dataset.")
    String dataset;

    @Option(names = "--table", paramLabel = "NS.TABLE", description = "A dataset's curated table.")
    String table;

    @Option(names = "--all", description = "Every dataset with retention.days above 0.")
    boolean all;
  }

  @Option(names = "--older-than", paramLabel = "DAYS", description = "e.g. 730d (default: retention.days).")
  String olderThan;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "Day ages are measured from (default: today, UTC).")
  LocalDate asOf;

  @Option(names = "--force", description = "Delete the newest partition or more than retention.max-fraction.")
  boolean force;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) {
    RetentionPolicy.Overrides overrides = new RetentionPolicy.Overrides(olderThan, asOf, force, dryRun.dryRun);
    if (!which.all) {
      DatasetSettings dataset = which.dataset != null ? context.settings().dataset(which.dataset)
          : DatasetTables.owning(context.settings(), which.table);
      RetentionPolicy policy = RetentionPolicy.resolve(dataset, overrides);
      ExistingTables.require(context.spark(), List.of(dataset.table()));
      return new RetentionJob(context.spark(), dataset, policy).execute();
    }
    List<DatasetSettings> withPolicy = context.settings().datasets().values().stream()
        .filter(RetentionPolicy::configured).toList();
    if (withPolicy.isEmpty()) {
      return JobOutcome.nothingToDo(List.of(), "no dataset has retention.days");
    }
    List<JobOutcome> outcomes = new ArrayList<>();
    for (DatasetSettings dataset : withPolicy) {
      RetentionPolicy policy = RetentionPolicy.resolve(dataset, overrides);
      outcomes.add(new RetentionJob(context.spark(), dataset, policy).execute());
    }
    return JobOutcome.combine(outcomes, "retention of " + withPolicy.size() + " datasets: "
        + withPolicy.stream().map(DatasetSettings::name).toList());
  }
}
