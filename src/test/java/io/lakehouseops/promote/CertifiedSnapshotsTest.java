package io.lakehouseops.promote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.SampleDataset;
import io.lakehouseops.testing.TestLakehouse;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A clean publish is certified (its snapshot tagged, the certified branch fast-forwarded to
 * it); a publish with warnings is not, the report says why, and readers pinned to
 * 'certified' keep reading the last clean state.
 */
class CertifiedSnapshotsTest {
  /** A warn-level rule every day of sample data fails: a publish with a warning. */
  private static final String WARNING = "--set=lakehouse.datasets.certified_events.quality.rules="
      + "[{ rule = complete, column = event_id, level = error }, { rule = row-count, max = 10, level = warn }]";

  @Test
  void cleanPublishesAreCertifiedAndWarnedOnesAreNot() {
    SparkSession spark = TestLakehouse.spark();
    SampleDataset dataset = SampleDataset.promoted("certified_events", "certify.max-ref-age = 30d", "2024-01-01", 1,
        300);
    Table table = Tables.load(spark, new TableRef("lake", "curated", "certified_events"));
    table.refresh();
    long first = table.currentSnapshot().snapshotId();
    SnapshotRef tag = table.refs().get("certified_certified_events_dt_2024_01_01");
    assertThat(tag).as("the clean day's tag").isNotNull();
    assertThat(tag.isTag()).isTrue();
    assertThat(tag.snapshotId()).isEqualTo(first);
    assertThat(tag.maxRefAgeMs()).isEqualTo(30L * 24 * 3600 * 1000);
    assertThat(table.refs().get("certified").snapshotId()).isEqualTo(first);
    long certifiedRows = count(spark, "SELECT count(*) FROM " + dataset.curated() + " VERSION AS OF 'certified'");

    dataset.ok("sample-data", "--dataset", dataset.name(), "--start", "2024-01-02", "--days", "1", "--rows-per-day",
        "300");
    CliRun warned = dataset.ok("promote", "--dataset", dataset.name(), "--date", "2024-01-02", WARNING);

    JsonNode certification = warned.report().get("result").get("certification");
    assertThat(certification.get("certified").asBoolean()).isFalse();
    assertThat(certification.get("reason").asText()).contains("warnings").contains("row-count");
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).as("published all the same").isNotEqualTo(first);
    assertThat(table.refs()).doesNotContainKey("certified_certified_events_dt_2024_01_02");
    assertThat(table.refs().get("certified").snapshotId()).as("the branch stays on the clean state").isEqualTo(first);
    assertThat(count(spark, "SELECT count(*) FROM " + dataset.curated() + " VERSION AS OF 'certified'"))
        .isEqualTo(certifiedRows);

    // The next clean day fast-forwards the branch past the warned one.
    dataset.ok("sample-data", "--dataset", dataset.name(), "--start", "2024-01-03", "--days", "1", "--rows-per-day",
        "300");
    CliRun clean = dataset.ok("promote", "--dataset", dataset.name(), "--date", "2024-01-03");
    assertThat(clean.report().get("result").get("certification").get("branch").asText()).isEqualTo("certified");
    table.refresh();
    assertThat(table.refs().get("certified").snapshotId()).isEqualTo(table.currentSnapshot().snapshotId());
  }

  private static long count(SparkSession spark, String sql) {
    return spark.sql(sql).first().getLong(0);
  }
}
