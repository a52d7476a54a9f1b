package io.lakehouseops.quality;

/** How one rule fared: its level, whether it passed, the metric Deequ computed, and why not. */
public record RuleOutcome(String rule, RuleLevel level, boolean passed, Double metric, String message) {}
