package io.lakehouseops.cli;

import io.lakehouseops.ops.JobOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reprocesses a date range and MERGEs it into the curated table. Arrives with its own issue. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
    description = "Reprocesses a date range of a dataset into its curated table, with an audit log.")
public class BackfillCommand extends JobCommand {
  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Configured dataset.")
  String dataset;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) {
    throw new UnsupportedOperationException("backfill is not implemented yet");
  }
}
