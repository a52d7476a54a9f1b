package io.lakehouseops.cli;

import io.lakehouseops.ops.JobOutcome;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Snapshot expiry and orphan-file removal with retention guards. Arrives with its own issue; until then it exits 1 and says so. */
@Command(name = "expire-snapshots", mixinStandardHelpOptions = true, description = "Snapshot expiry and orphan-file removal with retention guards.")
public class ExpireSnapshotsCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOptions table;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) {
    table.resolve(context.settings());
    throw new UnsupportedOperationException("expire-snapshots is not implemented yet");
  }
}
