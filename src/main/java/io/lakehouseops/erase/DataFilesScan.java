package io.lakehouseops.erase;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads a snapshot's data files as they are on storage, delete files not applied: a row that
 * a delete file only masks is still in its file, and an erasure must find it there too. Only
 * the subjects' columns are read (Parquet column chunks, row groups pruned by statistics).
 */
final class DataFilesScan {
  private static final String FILE = "_lakehouse_file";

  private final SparkSession spark;

  DataFilesScan(SparkSession spark) {
    this.spark = spark;
  }

  /** The snapshot's data files and their scan tasks (with the deletes that apply), by location. */
  static Map<String, FileScanTask> tasks(Table table, Snapshot snapshot) {
    Map<String, FileScanTask> tasks = new LinkedHashMap<>();
    try (CloseableIterable<FileScanTask> planned = table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
      for (FileScanTask task : planned) {
        DataFile file = task.file();
        if (file.format() != FileFormat.PARQUET) {
          throw new UnsupportedOperationException("erase reads Parquet data files; " + file.location() + " of "
              + table.name() + " is " + file.format());
        }
        tasks.put(file.location(), task);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return tasks;
  }

  /** Rows naming a subject in each of these files (files without one left out). */
  Map<String, Long> matchingRows(List<String> locations, Subjects subjects) {
    Map<String, Long> byFile = new LinkedHashMap<>();
    if (locations.isEmpty()) {
      return byFile;
    }
    Map<String, String> byNormalized = new LinkedHashMap<>();
    locations.forEach(location -> byNormalized.put(normalized(location), location));
    // recursiveFileLookup: no partition columns inferred from Iceberg's key=value directories.
    Dataset<Row> rows = spark.read().option("mergeSchema", "true").option("recursiveFileLookup", "true")
        .parquet(locations.toArray(String[]::new))
        .select(subjects.columns().stream().map(c -> functions.col("`" + c + "`")).toArray(org.apache.spark.sql.Column[]::new))
        .withColumn(FILE, functions.input_file_name());
    for (Row row : subjects.matching(rows).groupBy(FILE).count().collectAsList()) {
      String location = byNormalized.get(normalized(row.getString(0)));
      if (location == null) {
        throw new IllegalStateException("Spark read " + row.getString(0) + ", which is none of the files asked for");
      }
      byFile.put(location, row.getLong(1));
    }
    return byFile;
  }

  /** A location as scheme://authority/path, whichever of file:/x, file:///x or /x it was written as. */
  static String normalized(String location) {
    URI uri = new Path(location).toUri();
    String scheme = uri.getScheme() == null ? "file" : uri.getScheme();
    return scheme + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority()) + uri.getPath();
  }

  static List<String> locations(Map<String, FileScanTask> tasks) {
    return new ArrayList<>(tasks.keySet());
  }
}
