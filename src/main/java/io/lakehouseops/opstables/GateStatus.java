package io.lakehouseops.opstables;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a gate run ended, as ops.data_quality_runs.status and quality_metrics.gate_status hold it. */
public enum GateStatus {
  PASSED,
  FAILED,
  /** A dry run: gated, nothing written. */
  SKIPPED;

  /** The value in the ops tables: passed, failed, skipped. */
  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
