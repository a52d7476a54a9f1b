package io.lakehouseops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.SampleDataset;
import io.lakehouseops.testing.TestLakehouse;
import org.junit.jupiter.api.Test;

/**
 * health's freshness from metadata: a dataset whose due days are published is ok, one missing
 * a day past its sla-hours is late by the hours since that day was due, and --fail-on
 * sla-breach turns that into exit 4 for a sensor or a cron check.
 */
class HealthFreshnessTest {

  private static JsonNode freshness(CliRun run) {
    return run.report().get("result").get("tables").get(0).get("freshness");
  }

  @Test
  void freshnessAgainstTheSlaFromMetadata() {
    // Days 2024-01-01 .. 2024-01-03 published; each day is due 6 hours after it ends.
    SampleDataset dataset = SampleDataset.promoted("fresh_events", "sla-hours = 6", "2024-01-01", 3, 200);

    CliRun onTime = dataset.ok("health", "--dataset", dataset.name(), "--as-of", "2024-01-05T05:00:00Z");
    JsonNode ok = freshness(onTime);
    assertThat(ok.get("freshness").asText()).isEqualTo("ok");
    assertThat(ok.get("newest_event_date").asText()).isEqualTo("2024-01-03");
    assertThat(ok.get("due_through").asText()).as("2024-01-04 is due at 2024-01-05T06:00").isEqualTo("2024-01-03");
    assertThat(ok.get("last_published_at").asText()).isNotEmpty();
    assertThat(onTime.report().get("result").get("actions").toString()).doesNotContain("sla-breach");

    CliRun late = dataset.ok("health", "--dataset", dataset.name(), "--as-of", "2024-01-05T07:30:00Z");
    JsonNode breach = freshness(late);
    assertThat(breach.get("freshness").asText()).isEqualTo("late");
    assertThat(breach.get("due_through").asText()).isEqualTo("2024-01-04");
    assertThat(breach.get("lag_hours").asDouble()).isEqualTo(1.5);
    assertThat(late.report().get("result").get("actions").toString()).contains("sla-breach");
    JsonNode recommendation = null;
    for (JsonNode r : late.report().get("result").get("tables").get(0).get("recommendations")) {
      recommendation = "sla-breach".equals(r.get("action").asText()) ? r : recommendation;
    }
    assertThat(recommendation).isNotNull();
    assertThat(recommendation.get("command").asText())
        .isEqualTo("lakehouse-ops promote --dataset fresh_events --date 2024-01-04");

    CliRun failing = dataset.run("health", "--dataset", dataset.name(), "--as-of", "2024-01-05T07:30:00Z",
        "--fail-on", "sla-breach");
    assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(4);
    assertThat(failing.report().get("status").asText()).isEqualTo("NEEDS_ACTION");
    assertThat(failing.report().get("message").asText()).contains("sla-breach");

    assertThat(dataset.run("health", "--dataset", dataset.name(), "--fail-on", "coffee").exitCode()).isEqualTo(2);
    assertThat(dataset.run("health", "--dataset", dataset.name(), "--as-of", "yesterday").exitCode()).isEqualTo(2);
  }

  @Test
  void aTableWithoutRowsHasNoData() {
    TestLakehouse.spark().sql("CREATE NAMESPACE IF NOT EXISTS lake.curated");
    TestLakehouse.spark().sql("CREATE TABLE IF NOT EXISTS lake.curated.fresh_empty (event_id STRING, "
        + "event_ts TIMESTAMP) USING iceberg PARTITIONED BY (days(event_ts))");
    SampleDataset dataset = new SampleDataset("fresh_empty", TestLakehouse.configWithDataset("fresh_empty", ""));

    CliRun run = dataset.run("health", "--dataset", "fresh_empty", "--fail-on", "sla-breach");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(freshness(run).get("freshness").asText()).isEqualTo("no-data");
  }

  @Test
  void aTableWrittenByAnotherEngineHasFreshnessFromItsSnapshots() {
    // Rows inserted by plain Spark SQL: no snapshot carries lakehouse.command.
    TestLakehouse.spark().sql("CREATE NAMESPACE IF NOT EXISTS lake.curated");
    TestLakehouse.spark().sql("CREATE TABLE IF NOT EXISTS lake.curated.fresh_foreign (event_id STRING, "
        + "event_ts TIMESTAMP) USING iceberg PARTITIONED BY (days(event_ts))");
    TestLakehouse.spark().sql("INSERT INTO lake.curated.fresh_foreign VALUES ('e1', TIMESTAMP '2024-02-03 10:00:00')");
    SampleDataset dataset = new SampleDataset("fresh_foreign", TestLakehouse.configWithDataset("fresh_foreign", ""));

    CliRun run = dataset.ok("health", "--dataset", "fresh_foreign", "--as-of", "2024-02-04T01:00:00Z");

    JsonNode fresh = freshness(run);
    assertThat(fresh.get("newest_event_date").asText()).isEqualTo("2024-02-03");
    assertThat(fresh.get("last_published_at").asText()).as("the current snapshot's time").isNotEmpty();
  }
}
