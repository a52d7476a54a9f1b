package io.lakehouseops.cli;

import picocli.CommandLine.Option;

/** --table, --dataset, or --all: every table the command covers (its description says which). */
public class TableOrAllOptions extends TableOptions {
  @Option(names = "--all", description = "Every table this command covers (see the description above).")
  boolean all;
}
