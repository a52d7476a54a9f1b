package io.lakehouseops.lineage;

/**
 * A job result that knows exactly what its run read and wrote (a promote: the raw partition
 * with its gate, the curated and quarantine tables); others are described by their options.
 */
public interface HasLineage {
  LineageDatasets lineageDatasets();
}
