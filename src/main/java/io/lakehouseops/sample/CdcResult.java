package io.lakehouseops.sample;

/**
 * What sample-data --cdc wrote: the commits, the row changes, live rows and the files; on a v3
 * table also the deletion vectors of keys changed again within their commit (rowsReplacedInCommit
 * first versions, not counted in rowsUpdated).
 */
public record CdcResult(String table, int formatVersion, int commits, long rowsInserted, long rowsUpdated,
    long rowsDeleted, long liveRows, long dataFiles, long equalityDeleteFiles, long equalityDeleteRows,
    long deletionVectors, long rowsReplacedInCommit) {

  /** Totals over the commits. */
  static final class Counts {
    long inserted;
    long updated;
    long deleted;
    long dataFiles;
    long equalityDeleteFiles;
    long equalityDeleteRows;
    long deletionVectors;
    long replacedInCommit;

    void add(CdcTableWriter.Written written, long inserts, long updates, long deletes) {
      inserted += inserts;
      updated += updates;
      deleted += deletes;
      dataFiles += written.dataFiles;
      equalityDeleteFiles += written.deleteFiles;
      equalityDeleteRows += written.deleteRows;
      deletionVectors += written.deletionVectors;
      replacedInCommit += written.replacedInCommit;
    }
  }
}
