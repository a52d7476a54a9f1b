package io.lakehouseops.iceberg;

import java.util.Collection;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.spark.SparkReadOptions;

/**
 * Read options that spread a few small data files evenly over the cores. Iceberg packs the
 * files of a read into tasks of its split size, at least 16 MB when the read would not fill
 * the cores, each file weighing at least its open cost (4 MB): the twelve 2 MB files of a
 * year of lineitem became three tasks on two cores, the third running alone as long as the
 * first two together, and the audit and the gate of every promote read them so. Weighing
 * every file as the largest and packing ceil(files / cores) of them a task gives at most one
 * task a core, equal in files. Files of 64 MB or more are left to Iceberg's own packing, which
 * splits them at their row groups.
 */
public final class EvenSplits {
  /** The largest file read whole by one task here. */
  static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

  private EvenSplits() {}

  /** The options for a read of the files by cores tasks at once; empty when Iceberg's own packing is kept. */
  public static Map<String, String> of(Collection<DataFile> files, int cores) {
    long largest = files.stream().mapToLong(DataFile::fileSizeInBytes).max().orElse(0);
    if (files.size() <= cores || largest == 0 || largest >= MAX_FILE_BYTES) {
      return Map.of();
    }
    long perTask = (files.size() + cores - 1) / cores;
    return Map.of(SparkReadOptions.FILE_OPEN_COST, String.valueOf(largest),
        SparkReadOptions.SPLIT_SIZE, String.valueOf(largest * perTask));
  }
}
