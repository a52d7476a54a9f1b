package io.lakehouseops.lineage;

import java.util.List;

/** An Iceberg table as lineage names it (its location) and its columns (name, type). */
public record TableDescription(String location, List<Column> columns) {
  public record Column(String name, String type) {}
}
