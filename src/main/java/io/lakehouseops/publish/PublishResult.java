package io.lakehouseops.publish;

import java.time.LocalDate;
import java.util.Map;

/**
 * What a write-audit-publish changed on main (or, for a preview, would change): the
 * published snapshot and the row changes in all and per event date.
 */
public record PublishResult(Long snapshotId, RowChanges changes, Map<LocalDate, RowChanges> byDate) {
  public long rowsInserted() {
    return changes.inserted();
  }

  public long rowsUpdated() {
    return changes.updated();
  }

  public long rowsDeleted() {
    return changes.deleted();
  }

  /** The changes of one event date (none when the batch did not touch it). */
  public RowChanges on(LocalDate date) {
    return byDate.getOrDefault(date, RowChanges.NONE);
  }
}
