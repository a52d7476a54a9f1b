package io.lakehouseops.erase;

import java.util.List;

/** erase's report result (in a dry run: what would be removed). */
public record EraseResult(
    String requestId,
    String dataset,
    String subjects,
    boolean dryRun,
    List<TableErasure> tables,
    RawErasure raw,
    Verification verification,
    String ledger,
    String retentionException) {

  /** One table: the rows and files its rewrite removed and the history its expiry removed. */
  public record TableErasure(
      String table,
      long rowsRemoved,
      int dataFilesRewritten,
      int dataFilesAdded,
      int deleteFilesRemoved,
      Long erasureSnapshotId,
      long snapshotsExpired,
      long filesDeleted,
      List<String> refsReleased) {}

  /** The raw zone: left as it is (the ledger withholds the keys) or, with --purge-raw, rewritten. */
  public record RawErasure(boolean purged, long rowsRemoved, List<String> filesRewritten, String note) {}

  /**
   * After the run: the data files every table references read again for the subjects, and the
   * files the erasure replaced looked up. passed when nothing matched and none is left.
   */
  public record Verification(boolean passed, int tablesScanned, long dataFilesScanned, long rowsMatching,
      long replacedFiles, long replacedFilesReferenced, long replacedFilesOnStorage) {}
}
