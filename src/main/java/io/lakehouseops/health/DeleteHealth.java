package io.lakehouseops.health;

import java.util.List;

/**
 * A table's delete files, from metadata (the live manifest entries): what every read of it
 * applies. equality deletes are what streaming upsert writers leave (one row per change);
 * dangling: delete files no live data file is old enough to be affected by (Iceberg keeps
 * them until a rewrite removes them); readAmplification: an estimate of rows a full scan
 * reads (data rows, plus each partition's equality-delete rows once per data file they apply
 * to, plus position-delete rows) per live row (data rows less deleted rows). partitions: the
 * partitions with deletes, the most deleted first (at most ten).
 */
public record DeleteHealth(
    long equalityDeleteFiles,
    long equalityDeleteRows,
    long positionDeleteFiles,
    long positionDeleteRows,
    long danglingDeleteFiles,
    long partitionsWithDeletes,
    double readAmplification,
    List<PartitionDeletes> partitions) {

  public static final DeleteHealth NONE = new DeleteHealth(0, 0, 0, 0, 0, 0, 1.0, List.of());

  /** One partition: its data, its deletes, and deleted rows as a share of its data rows. */
  public record PartitionDeletes(String partition, long dataFiles, long dataRows, long equalityDeleteFiles,
      long equalityDeleteRows, long positionDeleteFiles, long positionDeleteRows, long danglingDeleteFiles,
      double deleteRatio) {}

  public long deleteFiles() {
    return equalityDeleteFiles + positionDeleteFiles;
  }
}
