package io.lakehouseops.opstables;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which job gated a partition, as quality_metrics.run_kind holds it. Their partitions differ:
 * a promote's is a raw (arrival) partition, a backfill's an event date, so each is scored
 * against the history of its own kind.
 */
public enum RunKind {
  PROMOTE,
  BACKFILL;

  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A row's kind; rows recorded before the column existed count as promote's, nearly all were. */
  static RunKind of(String value) {
    return value == null ? PROMOTE : valueOf(value.toUpperCase(Locale.ROOT));
  }
}
