package io.lakehouseops.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.lakehouseops.testing.TestLakehouse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** A backfill chunk's dates are gated in one pass; each must get the verdict Deequ gives its rows alone. */
class DeequAdapterGroupsTest {
  private static final List<QualityRule> RULES = QualityRuleParser.parse(ConfigFactory.parseString("""
      rules = [
        { rule = complete, column = user_id }
        { rule = unique, columns = [event_id] }
        { rule = range, column = amount, min = 0, max = 100 }
        { rule = allowed-values, column = kind, values = [click, view] }
        { rule = row-count, min = 3 }
        { rule = satisfies, expression = "amount >= 1", level = warn }
      ]
      """), "quality");
  private static final List<AnomalyMetric> METRICS =
      List.of(new AnomalyMetric("null-rate", "user_id"), new AnomalyMetric("mean", "amount"));

  @Test
  void eachDateGetsTheVerdictAndMetricsOfItsOwnRows() {
    SparkSession spark = TestLakehouse.spark();
    // 06-01 is clean; 06-02 has a null user, a duplicate event_id and an amount out of range;
    // 06-03 has too few rows, an unknown kind and a null event_id (Deequ leaves it out of
    // uniqueness: its share is of the non-null rows); 06-04 has no event_id at all (an empty
    // state for Deequ). event_id 1 is on two dates: unique on each.
    Dataset<Row> rows = spark.sql("""
        SELECT * FROM VALUES
          (1, 'u1', 10.0, 'click', DATE'2024-06-01'), (2, 'u2', 20.0, 'view', DATE'2024-06-01'),
          (3, 'u3', 0.5, 'view', DATE'2024-06-01'),
          (1, NULL, 30.0, 'click', DATE'2024-06-02'), (4, 'u4', 300.0, 'view', DATE'2024-06-02'),
          (4, 'u5', 40.0, 'view', DATE'2024-06-02'), (5, 'u6', 50.0, 'click', DATE'2024-06-02'),
          (6, 'u7', 5.0, 'scroll', DATE'2024-06-03'), (NULL, 'u8', 6.0, 'view', DATE'2024-06-03'),
          (NULL, 'u9', 7.0, 'view', DATE'2024-06-04')
        AS t(event_id, user_id, amount, kind, day)""");
    Map<String, DeequAdapter.Verification> grouped = new LinkedHashMap<>();
    DeequAdapter.verifyEach(rows, functions.col("day"), RULES, METRICS)
        .forEach((day, verification) -> grouped.put(day.toString(), verification));

    assertEquals(List.of("2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04"),
        grouped.keySet().stream().sorted().toList());
    grouped.forEach((day, verification) -> {
      DeequAdapter.Verification alone = DeequAdapter.verify(rows.filter("day = DATE'" + day + "'"), RULES, METRICS);
      assertEquals(alone, verification, day);
    });
    assertTrue(grouped.get("2024-06-01").outcomes().stream().filter(o -> o.level() == RuleLevel.ERROR)
        .allMatch(RuleOutcome::passed));
    assertEquals(List.of("complete(user_id)", "unique(event_id)", "range(amount)"),
        failed(grouped.get("2024-06-02")));
    assertEquals(List.of("allowed-values(kind)", "row-count"), failed(grouped.get("2024-06-03")));
    assertEquals(0.25, grouped.get("2024-06-02").metrics().get("null-rate(user_id)"), 1e-9);
    assertEquals(2.0, grouped.get("2024-06-03").metrics().get("row_count"), 1e-9);
    assertFalse(grouped.get("2024-06-01").outcomes().get(5).passed(), "the warn rule sees 0.5 on 06-01");
  }

  private static List<String> failed(DeequAdapter.Verification verification) {
    return verification.outcomes().stream().filter(o -> !o.passed() && o.level() == RuleLevel.ERROR)
        .map(RuleOutcome::rule).toList();
  }
}
