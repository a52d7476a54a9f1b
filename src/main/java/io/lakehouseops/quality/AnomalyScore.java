package io.lakehouseops.quality;

/**
 * A metric of this partition against its history: z = (value - mean) / stddev over the last
 * runs. zScore is null when the history is too short to score (INSUFFICIENT_HISTORY).
 */
public record AnomalyScore(String metric, Double value, Double zScore, int history, double mean,
    AnomalyVerdict verdict) {}
