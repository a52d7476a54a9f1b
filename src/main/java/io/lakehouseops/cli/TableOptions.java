package io.lakehouseops.cli;

import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import picocli.CommandLine.Option;

/** --table NS.TABLE | --dataset NAME: which table a maintenance command works on. */
public class TableOptions {
  @Option(names = "--table", paramLabel = "NS.TABLE",
      description = "Table as NS.TABLE (catalog from config) or CATALOG.NS.TABLE.")
  String table;

  @Option(names = "--dataset", paramLabel = "NAME", description = "A configured dataset's table.")
  String dataset;

  /** Resolves the table against the configuration (validated identifiers only). */
  TableRef resolve(LakehouseSettings settings) {
    return table != null
        ? TableRef.parse(table, settings.catalog().name(), "--table")
        : settings.dataset(dataset).table();
  }
}
