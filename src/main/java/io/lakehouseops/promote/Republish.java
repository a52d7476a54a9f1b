package io.lakehouseops.promote;

/** Whether promote publishes a raw partition that was published before, and how. */
public enum Republish {
  /** No: the partition is settled from the record of its publish; nothing is read or written. */
  NO,
  /** Yes, through the gate; the event dates a backfill corrected keep the backfill's rows. */
  KEEP_CORRECTIONS,
  /** Yes, and the raw rows replace what a backfill corrected (--overwrite-corrections). */
  OVERWRITE_CORRECTIONS
}
