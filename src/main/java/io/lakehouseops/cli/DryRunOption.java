package io.lakehouseops.cli;

import picocli.CommandLine.Option;

/** --dry-run, on every subcommand that changes anything. */
public class DryRunOption {
  @Option(names = "--dry-run", description = "Plan and report; change nothing.")
  boolean dryRun;
}
