package io.lakehouseops.quality;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a metric's z-score means for the partition. Insufficient history never blocks. */
public enum AnomalyVerdict {
  OK("ok"),
  WARN("warn"),
  BLOCK("block"),
  INSUFFICIENT_HISTORY("insufficient-history");

  private final String value;

  AnomalyVerdict(String value) {
    this.value = value;
  }

  /** As the report and ops.data_quality_runs' details write it. */
  @JsonValue
  public String value() {
    return value;
  }
}
