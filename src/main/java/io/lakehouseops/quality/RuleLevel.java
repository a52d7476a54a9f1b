package io.lakehouseops.quality;

/** error blocks the partition; warn is reported only. */
public enum RuleLevel {
  ERROR,
  WARN
}
