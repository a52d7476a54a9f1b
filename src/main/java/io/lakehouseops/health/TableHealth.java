package io.lakehouseops.health;

import java.util.Map;

/**
 * A table's shape, read from Iceberg metadata only (no data scan). scope: null for the whole
 * table, else the --where predicate the file counts are limited to (compact --where).
 */
public record TableHealth(
    String table,
    String scope,
    long dataFiles,
    long dataBytes,
    long records,
    long avgFileSizeBytes,
    long targetFileSizeBytes,
    long smallFiles,
    double smallFileShare,
    long compactableSmallFiles,
    long partitions,
    long deleteFiles,
    double deleteFileRatio,
    long manifests,
    long snapshots,
    Double oldestSnapshotAgeHours,
    Map<String, Long> bytesByStorageClass,
    Long partitionsPastTieringPolicy) {}
