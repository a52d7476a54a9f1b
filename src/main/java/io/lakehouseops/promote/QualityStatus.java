package io.lakehouseops.promote;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The report's quality_status of a promote. */
public enum QualityStatus {
  PASSED,
  /** The gate, or the schema contract, failed. */
  FAILED,
  /** No gate ran: no data, or the partition was published before. */
  NOT_RUN;

  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
