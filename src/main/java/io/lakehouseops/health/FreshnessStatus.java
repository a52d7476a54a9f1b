package io.lakehouseops.health;

import com.fasterxml.jackson.annotation.JsonValue;

/** A dataset's freshness against its SLA: ok, late (a due day missing), or no-data at all. */
public enum FreshnessStatus {
  OK("ok"),
  LATE("late"),
  NO_DATA("no-data");

  private final String value;

  FreshnessStatus(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }
}
