package io.lakehouseops.cli;

import io.lakehouseops.ops.JobOutcome;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

/** Reports which maintenance a table needs, as JSON. Arrives with its own issue; until then it exits 1 and says so. */
@Command(name = "health", mixinStandardHelpOptions = true, description = "Reports which maintenance a table needs, as JSON.")
public class HealthCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOptions table;

  @Override
  protected JobOutcome execute(JobContext context) {
    table.resolve(context.settings());
    throw new UnsupportedOperationException("health is not implemented yet");
  }
}
