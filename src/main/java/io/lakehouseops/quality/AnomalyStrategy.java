package io.lakehouseops.quality;

/**
 * How a metric is judged against its history (quality.anomaly.strategy). The z-score has two
 * tiers (warn-above, block-above); Deequ's strategies say anomalous or not, which blocks.
 */
public enum AnomalyStrategy {
  /** |value - mean| / stddev of the window, against warn-above and block-above. */
  Z_SCORE,
  /** Deequ's OnlineNormalStrategy: running mean and deviation, more than `deviations` out. */
  ONLINE_NORMAL,
  /** Deequ's RelativeRateOfChangeStrategy: value / previous value outside [max-decrease, max-increase]. */
  RELATIVE_RATE_OF_CHANGE;

  /** z-score, online-normal, relative-rate-of-change: as the configuration spells it. */
  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
