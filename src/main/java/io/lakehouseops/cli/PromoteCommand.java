package io.lakehouseops.cli;

import io.lakehouseops.promote.PromoteJob;
import io.lakehouseops.promote.PromoteRun;
import io.lakehouseops.promote.RawPartition;
import io.lakehouseops.promote.Republish;
import io.lakehouseops.run.JobOutcome;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Promotes one raw partition of a dataset into its curated Iceberg table. */
@Command(name = "promote", mixinStandardHelpOptions = true,
    description = "Promotes one raw partition into the curated Iceberg table behind a quality "
        + "gate, write-audit-publish. Exit 3 when the gate fails (rows quarantined).")
public class PromoteCommand extends JobCommand {
  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Configured dataset.")
  String dataset;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  /** --date or --partition. */
  static class Which {
    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Raw partition dt=YYYY-MM-DD.")
    String date;

    @Option(names = "--partition", paramLabel = "dt=YYYY-MM-DD[/hour=HH]", description = "Raw partition.")
    String partition;
  }

  @Option(names = "--republish", description = "Promote a partition that was published before again, "
      + "through the gate (without it, a published partition is settled from the record of its publish). "
      + "Event dates a backfill corrected keep the backfill's rows; the report lists them.")
  boolean republish;

  @Option(names = "--overwrite-corrections", description = "With --republish: the raw rows replace "
      + "the rows a backfill corrected.")
  boolean overwriteCorrections;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) throws Exception {
    RawPartition partition = which.date != null
        ? RawPartition.ofDate(which.date) : RawPartition.parse(which.partition);
    if (overwriteCorrections && !republish) {
      throw new ParameterException(spec.commandLine(), "--overwrite-corrections needs --republish: it says "
          + "how a partition published before is promoted again");
    }
    var settings = context.settings();
    var target = settings.dataset(dataset);
    target.requirePromotable();
    JobOutcome outcome = new PromoteJob(context.spark(), settings, target, partition,
        new PromoteRun(context.runId(), context.dagRunId(), dryRun.dryRun), republish()).execute();
    if (!dryRun.dryRun) {
      context.alerts().afterPromote(target, outcome);
    }
    return outcome;
  }

  private Republish republish() {
    if (!republish) {
      return Republish.NO;
    }
    return overwriteCorrections ? Republish.OVERWRITE_CORRECTIONS : Republish.KEEP_CORRECTIONS;
  }
}
