package io.lakehouseops.publish;

/** Rows a MERGE inserts, updates and deletes. */
public record RowChanges(long inserted, long updated, long deleted) {
  public static final RowChanges NONE = new RowChanges(0, 0, 0);

  public RowChanges plus(RowChanges other) {
    return new RowChanges(inserted + other.inserted, updated + other.updated, deleted + other.deleted);
  }

  public long affected() {
    return inserted + updated + deleted;
  }

  public boolean isEmpty() {
    return affected() == 0;
  }
}
