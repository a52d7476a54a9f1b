package io.lakehouseops.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lakehouseops.testing.TestLakehouse;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The hash check of a batch's keys gives the grouped count's result when every key is complete
 * and once, and gives way to it (null) otherwise: a key twice in different tasks, a null key
 * part, a floating-point key.
 */
class KeyHashesTest {
  private static final List<String> KEYS = List.of("order_id", "line");

  @Test
  void uniqueCompleteKeysCountAsTheGroupedCountDoes() {
    // Three tasks; one row without an event date (counted, in no date).
    Dataset<Row> rows = batch("""
        (1, 1, TIMESTAMP'2024-06-01 10:00:00'), (1, 2, TIMESTAMP'2024-06-01 23:59:59'),
        (2, 1, TIMESTAMP'2024-06-02 00:00:00'), (3, 1, CAST(NULL AS TIMESTAMP)),
        (4, 7, TIMESTAMP'2024-06-03 08:00:00'), (5, 1, TIMESTAMP'2024-06-03 09:00:00')""");

    KeyCounts hashed = KeyHashes.ifUnique(rows, KEYS, "shipped_at");

    assertEquals(KeyCounts.grouped(rows, KEYS, "shipped_at"), hashed);
    assertEquals(6, hashed.rows());
    assertEquals(3, hashed.byDate().size());
  }

  @Test
  void aTaskWithItsDatesInterleavedCountsEachDateOnce() {
    // One task; its rows' dates are not in order.
    Dataset<Row> rows = batch("""
        (1, 1, TIMESTAMP'2024-06-02 10:00:00'), (2, 1, TIMESTAMP'2024-06-01 11:00:00'),
        (3, 1, TIMESTAMP'2024-06-02 12:00:00'), (4, 1, CAST(NULL AS TIMESTAMP)),
        (5, 1, TIMESTAMP'2024-06-03 13:00:00'), (6, 1, TIMESTAMP'2024-06-01 14:00:00'),
        (7, 1, TIMESTAMP'2024-06-02 15:00:00')""").coalesce(1);

    KeyCounts hashed = KeyHashes.ifUnique(rows, KEYS, "shipped_at");

    assertEquals(KeyCounts.grouped(rows, KEYS, "shipped_at"), hashed);
    assertEquals(java.util.Map.of(java.time.LocalDate.parse("2024-06-01"), 2L,
        java.time.LocalDate.parse("2024-06-02"), 3L, java.time.LocalDate.parse("2024-06-03"), 1L), hashed.byDate());
    assertEquals(7, hashed.rows());
  }

  @Test
  void keyNamesMatchTheColumnsAsSparkResolvesThem() {
    Dataset<Row> rows = batch("""
        (1, 1, TIMESTAMP'2024-06-01 10:00:00'), (1, 2, TIMESTAMP'2024-06-01 11:00:00')""");
    List<String> keys = List.of("ORDER_ID", "Line");

    KeyCounts hashed = KeyHashes.ifUnique(rows, keys, "Shipped_At");

    assertEquals(KeyCounts.grouped(rows, keys, "Shipped_At"), hashed);
    assertEquals(2, hashed.rows());
  }

  @Test
  void aKeyTwiceInDifferentTasksGivesWayToTheGroupedCount() {
    // Ranges of the event time: the first and the last row are in different tasks.
    Dataset<Row> rows = batch("""
        (1, 1, TIMESTAMP'2024-06-01 10:00:00'), (2, 1, TIMESTAMP'2024-06-01 11:00:00'),
        (3, 1, TIMESTAMP'2024-06-01 12:00:00'), (4, 1, TIMESTAMP'2024-06-01 13:00:00'),
        (5, 1, TIMESTAMP'2024-06-01 14:00:00'), (1, 1, TIMESTAMP'2024-06-02 10:00:00')""")
        .repartitionByRange(2, org.apache.spark.sql.functions.col("shipped_at"));

    assertNull(KeyHashes.ifUnique(rows, KEYS, "shipped_at"));
    assertEquals(1, KeyCounts.grouped(rows, KEYS, "shipped_at").duplicates());
  }

  @Test
  void repeatedKeysAreCountedByGroupingOnlyTheirRowsAsTheGroupedCountDoes() {
    // Key (1, 1) three times, (2, 1) twice, across tasks; (3, 1) and (4, 1) once.
    Dataset<Row> rows = batch("""
        (1, 1, TIMESTAMP'2024-06-01 10:00:00'), (2, 1, TIMESTAMP'2024-06-01 11:00:00'),
        (3, 1, TIMESTAMP'2024-06-01 12:00:00'), (1, 1, TIMESTAMP'2024-06-01 13:00:00'),
        (4, 1, TIMESTAMP'2024-06-01 14:00:00'), (1, 1, TIMESTAMP'2024-06-01 15:00:00'),
        (2, 1, TIMESTAMP'2024-06-01 16:00:00')""");

    KeyCounts counted = KeyCounts.of(rows, KEYS, "shipped_at");
    KeyCounts grouped = KeyCounts.grouped(rows, KEYS, "shipped_at");

    assertEquals(grouped.rows(), counted.rows());
    assertEquals(3, counted.duplicates());
    assertEquals(grouped.duplicates(), counted.duplicates());
    assertEquals(grouped.rowsWithUniqueKey(), counted.rowsWithUniqueKey());
    assertEquals(grouped.keyUniqueness(), counted.keyUniqueness());
    assertEquals(grouped.byDate(), counted.byDate());
    assertEquals(2, counted.repeatedKeyHashes().size(), "one hash per repeated key");
    assertEquals(5, KeyCounts.withHashes(rows, KEYS, counted.repeatedKeyHashes()).count(),
        "the rows of the repeated keys");
  }

  @Test
  void aBatchOverTheRowsItMayBringToTheDriverGivesWayToTheGroupedCount() {
    Dataset<Row> rows = batch("""
        (1, 1, TIMESTAMP'2024-06-01 10:00:00'), (2, 1, TIMESTAMP'2024-06-01 11:00:00'),
        (3, 1, TIMESTAMP'2024-06-01 12:00:00'), (4, 1, TIMESTAMP'2024-06-01 13:00:00')""").coalesce(1);

    assertNull(KeyHashes.ifUnique(rows, KEYS, "shipped_at", 3));
    assertEquals(KeyCounts.grouped(rows, KEYS, "shipped_at"), KeyHashes.ifUnique(rows, KEYS, "shipped_at", 4));
  }

  @Test
  void aNullKeyPartGivesWayToTheGroupedCount() {
    Dataset<Row> rows = batch("""
        (1, 1, TIMESTAMP'2024-06-01 10:00:00'), (2, CAST(NULL AS INT), TIMESTAMP'2024-06-01 11:00:00'),
        (3, 1, TIMESTAMP'2024-06-01 12:00:00')""");

    assertNull(KeyHashes.ifUnique(rows, KEYS, "shipped_at"));
  }

  @Test
  void aFloatingPointKeyGivesWayToTheGroupedCount() {
    // Spark's grouping takes -0.0 and 0.0 for one key; their hashes differ.
    Dataset<Row> rows = TestLakehouse.spark().sql(
        "SELECT * FROM VALUES (0.0D, TIMESTAMP'2024-06-01 10:00:00'), (-0.0D, TIMESTAMP'2024-06-01 11:00:00') "
            + "AS t(price, shipped_at)");

    assertNull(KeyHashes.ifUnique(rows, List.of("price"), "shipped_at"));
    assertEquals(1, KeyCounts.grouped(rows, List.of("price"), "shipped_at").duplicates());
  }

  private static Dataset<Row> batch(String values) {
    SparkSession spark = TestLakehouse.spark();
    return spark.sql("SELECT * FROM VALUES " + values + " AS t(order_id, line, shipped_at)").repartition(3);
  }
}
