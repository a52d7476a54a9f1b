package io.lakehouseops.cli;

import io.lakehouseops.ops.JobOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Promotes one raw partition of a dataset into its curated Iceberg table. */
@Command(name = "promote", mixinStandardHelpOptions = true,
    description = "Promotes one raw partition into the curated Iceberg table behind a quality gate.")
public class PromoteCommand extends JobCommand {
  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Configured dataset.")
  String dataset;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) {
    throw new UnsupportedOperationException("promote is not implemented yet");
  }
}
