package io.lakehouseops.publish;

import java.time.LocalDate;
import java.util.Map;

/**
 * What a write-audit-publish changed on main (or, for a preview, would change): the
 * published snapshot and the row changes in all and per event date.
 */
public record PublishResult(Long snapshotId, RowChanges changes, Map<LocalDate, RowChanges> byDate) {
  /** The snapshot with the changes of each date, totalled. */
  static PublishResult of(Long snapshot, Map<LocalDate, RowChanges> byDate) {
    return new PublishResult(snapshot, byDate.values().stream().reduce(RowChanges.NONE, RowChanges::plus), byDate);
  }

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
