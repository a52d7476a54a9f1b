package io.lakehouseops.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.ConfigFactory;
import io.lakehouseops.publish.KeyCounts;
import io.lakehouseops.testing.TestLakehouse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The gate takes a key's uniqueness from a key count of the same rows instead of counting the
 * key's frequencies again: the count's share must be the one Deequ computes (nulls included),
 * and Deequ must judge with the share it is given.
 */
class KnownUniquenessTest {
  private static final List<QualityRule> RULES = QualityRuleParser.parse(ConfigFactory.parseString("""
      rules = [
        { rule = complete, column = user_id }
        { rule = unique, columns = [event_id] }
        { rule = range, column = amount, min = 0, max = 100 }
        { rule = row-count, min = 3 }
      ]
      """), "quality");
  private static final List<AnomalyMetric> METRICS = List.of(new AnomalyMetric("mean", "amount"));

  @Test
  void aKeyCountsUniquenessGivesDeequsVerdictOnTheRows() {
    SparkSession spark = TestLakehouse.spark();
    // event_id 4 twice and a null event_id, which Deequ's uniqueness leaves out: 2 of 4.
    Dataset<Row> rows = spark.sql("""
        SELECT * FROM VALUES
          (1, 'u1', 10.0, DATE'2024-06-01'), (2, NULL, 0.5, DATE'2024-06-01'),
          (4, 'u4', 300.0, DATE'2024-06-02'), (4, 'u5', 40.0, DATE'2024-06-02'),
          (NULL, 'u8', 6.0, DATE'2024-06-03')
        AS t(event_id, user_id, amount, day)""");
    KeyCounts counts = KeyCounts.of(rows, List.of("event_id"), "day");

    DeequAdapter.Verification known = DeequAdapter.verify(rows, RULES, METRICS,
        Map.of(List.of("event_id"), counts.keyUniqueness()));

    assertEquals(0.5, counts.keyUniqueness(), 1e-12);
    assertEquals(DeequAdapter.verify(rows, RULES, METRICS), known);
  }

  @Test
  void deequJudgesWithTheUniquenessItIsGiven() {
    SparkSession spark = TestLakehouse.spark();
    Dataset<Row> rows = spark.sql("SELECT * FROM VALUES (1, 'u1', 10.0), (2, 'u2', 20.0), (3, 'u3', 30.0) "
        + "AS t(event_id, user_id, amount)");
    Map<List<String>, Double> given = new HashMap<>();
    given.put(List.of("event_id"), 0.5);

    DeequAdapter.Verification verification = DeequAdapter.verify(rows, RULES, METRICS, given);

    RuleOutcome unique = verification.outcomes().get(1);
    assertEquals("unique(event_id)", unique.rule());
    assertFalse(unique.passed(), "the given share, not the rows' 1.0");
    assertEquals(0.5, unique.metric(), 1e-12);
  }

  @Test
  void aRuleMayListTheKeyColumnsInAnotherOrder() {
    SparkSession spark = TestLakehouse.spark();
    Dataset<Row> rows = spark.sql("SELECT * FROM VALUES (1, 1), (1, 2) AS t(order_id, line)");
    List<QualityRule> rules = QualityRuleParser.parse(ConfigFactory.parseString(
        "rules = [ { rule = unique, columns = [line, order_id] } ]"), "quality");

    DeequAdapter.Verification verification = DeequAdapter.verify(rows, rules, List.of(),
        Map.of(List.of("order_id", "line"), 0.5));

    assertEquals(0.5, verification.outcomes().get(0).metric(), 1e-12, "the key count's share, not the rows' 1.0");
  }
}
