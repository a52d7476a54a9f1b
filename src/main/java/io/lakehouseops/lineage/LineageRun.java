package io.lakehouseops.lineage;

import java.util.Optional;

/**
 * The identity of one run for lineage: this tool's job (namespace, name), the run id, the
 * Airflow parent, and how tables not loaded are named: by warehouse/namespace/table, the
 * default location of the catalog's tables. catalogNamespace: the catalog's URI-ish name for
 * the symlink facet.
 */
public record LineageRun(String namespace, String jobName, String runId, Optional<ParentRun> parent,
    String warehouse, String catalogNamespace, String version, String sparkVersion) {

  /** catalog.ns.table -> warehouse/ns/table. */
  String defaultLocation(String table) {
    String[] parts = table.split("\\.");
    String base = warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1) : warehouse;
    return base + "/" + parts[parts.length - 2] + "/" + parts[parts.length - 1];
  }
}
