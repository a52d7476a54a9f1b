package io.lakehouseops.opstables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.testing.TestLakehouse;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The history anomaly scoring compares with: per metric, each partition's newest passed run,
 * newest partition first, at most `window` of them, without the partition being scored.
 */
class QualityMetricsTableTest {
  @Test
  void historyHoldsEachPartitionsNewestPassedRunNewestFirst() throws InterruptedException {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "ops", "quality_metrics_history_test");
    spark.sql("DROP TABLE IF EXISTS " + ref.name());
    QualityMetricsTable table = new QualityMetricsTable(spark, ref);
    record(table, "events", "dt=2024-06-01", "r1", 100.0, GateStatus.PASSED);
    record(table, "events", "dt=2024-06-02", "r2", 200.0, GateStatus.PASSED);
    record(table, "events", "dt=2024-06-01", "r3", 110.0, GateStatus.PASSED); // a re-run: its newer value counts
    record(table, "events", "dt=2024-06-03", "r4", 999.0, GateStatus.FAILED); // never a baseline
    record(table, "clicks", "dt=2024-06-03", "r5", 5.0, GateStatus.PASSED); // another dataset
    record(table, "events", "dt=2024-06-04", "r6", 400.0, GateStatus.PASSED);

    assertEquals(Map.of("rows", List.of(400.0, 110.0, 200.0)), table.history("events", "dt=2024-06-09", 14));
    assertEquals(Map.of("rows", List.of(400.0, 110.0)), table.history("events", "dt=2024-06-09", 2));
    assertEquals(Map.of("rows", List.of(110.0, 200.0)), table.history("events", "dt=2024-06-04", 14));
  }

  private static void record(QualityMetricsTable table, String dataset, String partition, String runId, double rows,
      GateStatus status) throws InterruptedException {
    table.record(dataset, partition, runId, Map.of("rows", rows), status);
    Thread.sleep(5); // each record a later recorded_at
  }
}
