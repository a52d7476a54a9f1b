package io.lakehouseops.health;

import java.util.Map;

/** A table's shape, read from Iceberg metadata only (no data scan). */
public record TableHealth(
    String table,
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
