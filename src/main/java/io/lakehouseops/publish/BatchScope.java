package io.lakehouseops.publish;

/**
 * How much of its event dates a batch holds: what a publish deletes, and how it counts the
 * rows it updates (see WriteAuditPublish).
 */
public enum BatchScope {
  /** Changed rows only (a backfill's corrections): nearly every row that matches one of main's differs. */
  CORRECTIONS,
  /** Every row of its dates (a raw partition): mostly rows main has as they are; main's others stay. */
  WHOLE_DATES,
  /** As WHOLE_DATES, and main's rows of those dates whose key the batch lacks are deleted. */
  REPLACED_DATES
}
