package io.lakehouseops.quality;

/**
 * A metric of this partition against its history: z = (value - mean) / stddev over the last
 * runs. verdict: ok, warn, block, or insufficient-history (zScore null, never blocks).
 */
public record AnomalyScore(String metric, Double value, Double zScore, int history, double mean,
    String verdict) {}
