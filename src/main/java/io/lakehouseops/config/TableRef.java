package io.lakehouseops.config;

import java.util.List;

/**
 * A validated catalog.namespace.table reference. Parsed from the command line or config,
 * never pasted into SQL unchecked: {@link #quoted()} is the only SQL form.
 */
public record TableRef(String catalog, String namespace, String table) {

  public TableRef {
    Identifiers.requireIdentifier(catalog, "catalog name");
    Identifiers.requireIdentifier(namespace, "namespace");
    Identifiers.requireIdentifier(table, "table name");
  }

  /** Parses NS.TABLE (catalog from config) or CATALOG.NS.TABLE. */
  public static TableRef parse(String text, String defaultCatalog, String where) {
    List<String> parts = List.of(text == null ? new String[0] : text.trim().split("\\.", -1));
    boolean valid = (parts.size() == 2 || parts.size() == 3)
        && parts.stream().allMatch(Identifiers::isIdentifier);
    if (!valid) {
      throw new ConfigException("Invalid " + where + " '" + text
          + "': expected NS.TABLE or CATALOG.NS.TABLE made of letters, digits and _");
    }
    return parts.size() == 2
        ? new TableRef(defaultCatalog, parts.get(0), parts.get(1))
        : new TableRef(parts.get(0), parts.get(1), parts.get(2));
  }

  public String quoted() {
    return "`" + catalog + "`.`" + namespace + "`.`" + table + "`";
  }

  /** The name Spark's DataFrame APIs take (validated parts, so no quoting needed). */
  public String name() {
    return catalog + "." + namespace + "." + table;
  }

  @Override
  public String toString() {
    return name();
  }
}
