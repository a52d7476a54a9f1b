package io.lakehouseops.testing;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What a crash must not change or break, read from the test lakehouse. */
public final class LakeState {
  private LakeState() {}

  /** Every file under a folder with its size and modification time: the raw zone's fingerprint. */
  public static List<String> listing(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).map(f -> {
        try {
          return folder.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forgets cached table metadata: a child JVM committed since this session last looked. */
  public static void refresh(String... tables) {
    SparkSession spark = TestLakehouse.spark();
    for (String table : tables) {
      if (spark.catalog().tableExists(table)) {
        spark.catalog().refreshTable(table);
      }
    }
  }

  /** Row count and an order-independent checksum of the user_events columns. */
  public static String userEventsChecksum(String relation) {
    Row row = TestLakehouse.spark().sql("SELECT count(*), sum(xxhash64(event_id, user_id, event_type, country, "
        + "event_ts, ingested_at)) FROM " + relation).first();
    return row.get(0) + "/" + row.get(1);
  }

  public static long duplicateKeys(String table) {
    return TestLakehouse.spark().sql("SELECT event_id FROM " + table + " GROUP BY event_id HAVING count(*) > 1")
        .count();
  }

  /** Data and delete files the table's current snapshot references that are not on disk. */
  public static List<String> missingFiles(String table) {
    return TestLakehouse.spark().sql("SELECT file_path FROM " + table + ".files").collectAsList().stream()
        .map(r -> r.getString(0))
        .filter(p -> !Files.exists(Paths.get(p.replaceFirst("^file:", ""))))
        .toList();
  }

  /**
   * Every table of a catalog with its current snapshot and refs: what a failed job must leave
   * as it was. Without the quarantine and ops namespaces when curatedOnly.
   */
  public static Map<String, String> tables(String catalog, boolean curatedOnly) {
    SparkSession spark = TestLakehouse.spark();
    Map<String, String> state = new TreeMap<>();
    for (Row ns : spark.sql("SHOW NAMESPACES IN " + catalog).collectAsList()) {
      String namespace = ns.getString(0);
      if (curatedOnly && !namespace.equals("curated")) {
        continue;
      }
      for (Row t : spark.sql("SHOW TABLES IN " + catalog + "." + namespace).collectAsList()) {
        Table table = Tables.load(spark, new TableRef(catalog, namespace, t.getString(1)));
        table.refresh();
        state.put(namespace + "." + t.getString(1), (table.currentSnapshot() == null ? null
            : table.currentSnapshot().snapshotId()) + " " + table.refs().keySet());
      }
    }
    return state;
  }
}
