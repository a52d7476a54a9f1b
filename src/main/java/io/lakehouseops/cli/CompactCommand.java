package io.lakehouseops.cli;

import io.lakehouseops.ops.JobOutcome;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Binpack, sort or z-order compaction of a table's data files. Arrives with its own issue; until then it exits 1 and says so. */
@Command(name = "compact", mixinStandardHelpOptions = true, description = "Binpack, sort or z-order compaction of a table's data files.")
public class CompactCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOptions table;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) {
    table.resolve(context.settings());
    throw new UnsupportedOperationException("compact is not implemented yet");
  }
}
