package io.lakehouseops.cli;

import io.lakehouseops.ops.JobOutcome;
import io.lakehouseops.promote.PromoteJob;
import io.lakehouseops.promote.PromoteRun;
import io.lakehouseops.promote.RawPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) throws Exception {
    RawPartition partition = which.date != null
        ? RawPartition.ofDate(which.date) : RawPartition.parse(which.partition);
    var settings = context.settings();
    var target = settings.dataset(dataset);
    target.requirePromotable();
    return new PromoteJob(context.spark(), settings, target, partition,
        new PromoteRun(context.runId(), context.dagRunId(), dryRun.dryRun)).execute();
  }
}
