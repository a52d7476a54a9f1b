package io.lakehouseops.quality;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** error blocks the partition; warn is reported only. */
public enum RuleLevel {
  ERROR,
  WARN;

  /** As the config, the report and ops.data_quality_runs' details write it: error, warn. */
  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
