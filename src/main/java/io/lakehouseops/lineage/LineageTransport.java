package io.lakehouseops.lineage;

/** Where run events go (lakehouse.lineage.transport). */
public enum LineageTransport {
  /** The driver's log, one JSON event a line. */
  CONSOLE,
  /** Appended to a local file, one JSON event a line. */
  FILE,
  /** POSTed to an OpenLineage endpoint (Marquez, a catalog's lineage API). */
  HTTP;

  @com.fasterxml.jackson.annotation.JsonValue
  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
