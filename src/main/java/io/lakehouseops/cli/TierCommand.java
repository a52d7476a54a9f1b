package io.lakehouseops.cli;

import io.lakehouseops.ops.JobOutcome;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Moves old partitions' data files to cheaper S3 storage classes. Arrives with its own issue; until then it exits 1 and says so. */
@Command(name = "tier", mixinStandardHelpOptions = true, description = "Moves old partitions' data files to cheaper S3 storage classes.")
public class TierCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOptions table;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) {
    table.resolve(context.settings());
    throw new UnsupportedOperationException("tier is not implemented yet");
  }
}
