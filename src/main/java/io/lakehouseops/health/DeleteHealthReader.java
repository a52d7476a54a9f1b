package io.lakehouseops.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;

/**
 * Works out a table's deletes from its live files (LiveFiles: one pass over the current
 * snapshot's manifests, no data or delete file opened). Whether a delete applies follows the
 * sequence numbers: an equality delete applies to data files of its partition with a lower
 * data sequence number, a position delete to those with a lower or equal one; a delete file
 * with no such data file left is dangling.
 */
final class DeleteHealthReader {
  private static final int LISTED = 10;

  private DeleteHealthReader() {}

  static DeleteHealth measure(Table table, LiveFiles live) {
    if (live.deletes.isEmpty()) {
      return DeleteHealth.NONE;
    }
    Map<LiveFiles.PartitionKey, Tally> byPartition = new HashMap<>();
    for (LiveFiles.DeleteEntry delete : live.deletes) {
      LiveFiles.PartitionFiles data = live.partitions.get(delete.partition());
      byPartition.computeIfAbsent(delete.partition(), key -> new Tally(data)).add(delete);
    }
    List<DeleteHealth.PartitionDeletes> partitions = new ArrayList<>();
    long eqFiles = 0;
    long eqRows = 0;
    long posFiles = 0;
    long posRows = 0;
    long dangling = 0;
    double rowsRead = live.records;
    for (Map.Entry<LiveFiles.PartitionKey, Tally> entry : byPartition.entrySet()) {
      Tally t = entry.getValue();
      long files = t.data == null ? 0 : t.data.dataFiles;
      long rowsOfData = t.data == null ? 0 : t.data.dataRows;
      partitions.add(new DeleteHealth.PartitionDeletes(path(table, entry.getKey()), files, rowsOfData, t.eqFiles, t.eqRows,
          t.posFiles, t.posRows, t.dangling, rowsOfData == 0 ? 1.0 : round((double) (t.eqRows + t.posRows) / rowsOfData)));
      eqFiles += t.eqFiles;
      eqRows += t.eqRows;
      posFiles += t.posFiles;
      posRows += t.posRows;
      dangling += t.dangling;
      // Each data task of the partition reads its equality deletes (Spark plans one per file).
      rowsRead += (double) t.eqRows * Math.max(1, files) + t.posRows;
    }
    partitions.sort(Comparator.comparingDouble(DeleteHealth.PartitionDeletes::deleteRatio).reversed());
    long liveRows = Math.max(1, live.records - eqRows - posRows);
    return new DeleteHealth(eqFiles, eqRows, posFiles, posRows, dangling, partitions.size(),
        round(rowsRead / liveRows), List.copyOf(partitions.subList(0, Math.min(LISTED, partitions.size()))));
  }

  /** One partition's delete files against its data files (null: it has none). */
  private static final class Tally {
    final LiveFiles.PartitionFiles data;
    long eqFiles;
    long eqRows;
    long posFiles;
    long posRows;
    long dangling;

    Tally(LiveFiles.PartitionFiles data) {
      this.data = data;
    }

    void add(LiveFiles.DeleteEntry delete) {
      if (delete.equality()) {
        eqFiles++;
        eqRows += delete.rows();
      } else {
        posFiles++;
        posRows += delete.rows();
      }
      boolean applies = data != null && (delete.equality() ? delete.dataSequence() > data.minDataSequence
          : delete.dataSequence() >= data.minDataSequence);
      dangling += applies ? 0 : 1;
    }
  }

  /** The partition's path as Iceberg writes it; "(unpartitioned)" for a table without partitions. */
  private static String path(Table table, LiveFiles.PartitionKey key) {
    String path = key.path(table);
    return path.isEmpty() ? "(unpartitioned)" : path;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
