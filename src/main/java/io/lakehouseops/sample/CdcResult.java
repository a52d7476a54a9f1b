package io.lakehouseops.sample;

/** What sample-data --cdc wrote: the commits, the row changes, live rows and the files. */
public record CdcResult(String table, int formatVersion, int commits, long rowsInserted, long rowsUpdated,
    long rowsDeleted, long liveRows, long dataFiles, long equalityDeleteFiles, long equalityDeleteRows) {

  /** Totals over the commits. */
  static final class Counts {
    long inserted;
    long updated;
    long deleted;
    long dataFiles;
    long equalityDeleteFiles;
    long equalityDeleteRows;

    void add(CdcTableWriter.Written written, long inserts, long updates, long deletes) {
      inserted += inserts;
      updated += updates;
      deleted += deletes;
      dataFiles += written.dataFiles;
      equalityDeleteFiles += written.deleteFiles;
      equalityDeleteRows += written.deleteRows;
    }
  }
}
