package io.lakehouseops.alerts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an alert is about. */
public enum AlertKind {
  QUALITY_FAILED,
  ANOMALY_WARNING,
  SLA_BREACH,
  RUN_FAILED;

  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
