package io.lakehouseops.opstables;

import com.fasterxml.jackson.annotation.JsonValue;

/** What tier did with one object, as ops.tiering_log.status holds it. */
public enum TieringStatus {
  MOVED("moved"),
  ALREADY_IN_CLASS("already-in-class"),
  FAILED("failed");

  private final String value;

  TieringStatus(String value) {
    this.value = value;
  }

  /** The value in the tiering log. */
  @JsonValue
  public String value() {
    return value;
  }
}
