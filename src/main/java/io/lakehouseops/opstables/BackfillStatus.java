package io.lakehouseops.opstables;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A backfill partition's state, as ops.backfill_audit_log.status and the report's partitions
 * hold it: running until its chunk is closed; SKIPPED only in the report (a partition an
 * earlier run of the same backfill id already merged, not logged again).
 */
public enum BackfillStatus {
  RUNNING,
  SUCCESS,
  FAILED,
  NO_DATA,
  DRY_RUN,
  SKIPPED;

  /** The value in the audit log and the report: running, success, failed, no_data, dry_run, skipped. */
  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
