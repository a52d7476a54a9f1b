package io.lakehouseops.backfill;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakehouseops.run.BadInputException;
import io.lakehouseops.testing.TestLakehouse;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A corrected source may hold each key once per event date: a key twice on one date is refused,
 * whether or not its hash shows it; a key on two dates (which the hash check cannot tell from a
 * repeat) and a null key part (which it does not hash) are judged by the exact grouped count.
 */
class CorrectedSourceKeysTest {
  private static final List<String> KEYS = List.of("event_id");

  @Test
  void aKeyTwiceOnOneDateIsRefusedNamingTheSourceAndTheFix() {
    Dataset<Row> rows = source("""
        ('a', TIMESTAMP'2024-06-01 10:00:00'), ('b', TIMESTAMP'2024-06-01 11:00:00'),
        ('a', TIMESTAMP'2024-06-01 12:00:00')""");

    assertThatThrownBy(() -> CorrectedSource.requireUniqueKeys(rows, KEYS, "event_ts", "staging.fix"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("Source staging.fix holds 1 keys [event_id] more than once on the same event date in "
            + "the range; dedupe it first");
  }

  @Test
  void aKeyOnTwoDatesOrWithANullPartIsAccepted() {
    Dataset<Row> twoDates = source("""
        ('a', TIMESTAMP'2024-06-01 10:00:00'), ('b', TIMESTAMP'2024-06-01 11:00:00'),
        ('a', TIMESTAMP'2024-06-02 10:00:00')""");
    Dataset<Row> nullKey = source("""
        ('a', TIMESTAMP'2024-06-01 10:00:00'), (CAST(NULL AS STRING), TIMESTAMP'2024-06-01 11:00:00')""");

    assertThatCode(() -> CorrectedSource.requireUniqueKeys(twoDates, KEYS, "event_ts", "staging.fix"))
        .doesNotThrowAnyException();
    assertThatCode(() -> CorrectedSource.requireUniqueKeys(nullKey, KEYS, "event_ts", "staging.fix"))
        .doesNotThrowAnyException();
  }

  @Test
  void uniqueKeysAreAccepted() {
    Dataset<Row> rows = source("""
        ('a', TIMESTAMP'2024-06-01 10:00:00'), ('b', TIMESTAMP'2024-06-01 11:00:00'),
        ('c', TIMESTAMP'2024-06-02 10:00:00')""");

    assertThatCode(() -> CorrectedSource.requireUniqueKeys(rows, KEYS, "event_ts", "staging.fix"))
        .doesNotThrowAnyException();
  }

  private static Dataset<Row> source(String values) {
    return TestLakehouse.spark().sql("SELECT * FROM VALUES " + values + " AS t(event_id, event_ts)").repartition(2);
  }
}
