package io.lakehouseops.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.lakehouseops.config.ConfigException;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The verdict of each configured strategy, and the weekday seasonality's choice of history. */
class AnomalyScorerTest {
  /** Newest first: a steady series around 1000. */
  private static final List<Double> STEADY = List.of(1010.0, 990.0, 1005.0, 995.0, 1000.0, 1002.0, 998.0);

  @Test
  void zScoreWarnsThenBlocks() {
    AnomalyScorer scorer = new AnomalyScorer(settings("strategy = z-score"));
    assertEquals(AnomalyVerdict.OK, scorer.score("rows", 1003.0, STEADY).verdict());
    assertEquals(AnomalyVerdict.WARN, scorer.score("rows", 1040.0, STEADY).verdict());
    assertEquals(AnomalyVerdict.BLOCK, scorer.score("rows", 1200.0, STEADY).verdict());
    assertEquals(AnomalyVerdict.INSUFFICIENT_HISTORY, scorer.score("rows", 1200.0, STEADY.subList(0, 3)).verdict());
  }

  @Test
  void deequsOnlineNormalBlocksAnOutlierAndPassesTheUsual() {
    AnomalyScorer scorer = new AnomalyScorer(settings("strategy = online-normal, deviations = 2.0"));
    assertEquals(AnomalyVerdict.OK, scorer.score("rows", 1004.0, STEADY).verdict());
    AnomalyScore outlier = scorer.score("rows", 1500.0, STEADY);
    assertEquals(AnomalyVerdict.BLOCK, outlier.verdict());
    assertTrue(outlier.zScore() > 5, "the z-score is still reported: " + outlier.zScore());
  }

  @Test
  void deequsRelativeRateOfChangeJudgesAgainstThePreviousRun() {
    AnomalyScorer scorer = new AnomalyScorer(settings("strategy = relative-rate-of-change, max-increase = 1.5"));
    // 1400 is far from the mean yet within 1.5x of the newest (1010): a trend is allowed.
    assertEquals(AnomalyVerdict.OK, scorer.score("rows", 1400.0, STEADY).verdict());
    assertEquals(AnomalyVerdict.BLOCK, scorer.score("rows", 1600.0, STEADY).verdict());
    assertEquals(AnomalyVerdict.BLOCK, scorer.score("rows", 400.0, STEADY).verdict());
  }

  @Test
  void dayOfWeekComparesADayWithTheSameWeekdayOnly() {
    Predicate<String> sundays = Seasonality.DAY_OF_WEEK.comparableWith("dt=2024-06-09"); // a Sunday
    assertTrue(sundays.test("dt=2024-06-02"));
    assertTrue(sundays.test("dt=2024-06-02/hour=05"));
    assertFalse(sundays.test("dt=2024-06-03"));
    assertTrue(Seasonality.NONE.comparableWith("dt=2024-06-09").test("dt=2024-06-03"));
  }

  @Test
  void anUnknownStrategyOrBoundsAreRefusedWithTheKey() {
    assertRefused("strategy = holt-winters", "anomaly.strategy: 'holt-winters' is not one of [z-score, ");
    assertRefused("seasonality = monthly", "anomaly.seasonality: 'monthly' is not one of [none, day-of-week]");
    assertRefused("max-increase = 0.9", "need 0 <= max-decrease < 1 < max-increase");
    assertRefused("strategy = online-normal, deviations = 5, window = 14",
        "anomaly.deviations: online-normal never flags a value more than sqrt(window) = 3.74 deviations out");
  }

  private static void assertRefused(String setting, String message) {
    Executable parse = () -> settings(setting);
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, parse);
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  private static AnomalySettings settings(String overrides) {
    return AnomalySettings.from(ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.defaultReference().getConfig("lakehouse.dataset-defaults.quality.anomaly")),
        "lakehouse.datasets.d.quality.anomaly");
  }
}
