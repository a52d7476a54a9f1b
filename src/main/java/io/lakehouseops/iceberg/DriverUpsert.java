package io.lakehouseops.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a few rows to a table from the driver and, in the same commit, removes the rows they
 * replace: the files holding a replaced row (found by filter on their partitions and column
 * statistics, then read) are rewritten without it, with the new rows beside what they kept
 * (a file per partition, as DriverAppend writes).
 * One commit, so a reader sees the old rows or the new ones, never both or neither; no Spark
 * job, as for DriverAppend (a MERGE cost two to four jobs on every re-run). Meant for the
 * tool's records, where a run replaces what an earlier run of the same thing wrote: the files
 * read are those few runs' files.
 */
public final class DriverUpsert {
  private static final Logger LOG = LoggerFactory.getLogger(DriverUpsert.class);
  private static final int ATTEMPTS = 4;

  private DriverUpsert() {}

  /**
   * rows: in schema's columns. candidates: an Iceberg filter that every replaced row matches
   * (it prunes files); replaced: whether a row read back is one the new rows replace. Returns
   * the number of rows removed.
   */
  public static int upsert(Table table, StructType schema, List<Row> rows, Expression candidates,
      Predicate<Record> replaced) {
    List<Record> added = DriverAppend.records(table, schema, rows);
    for (int attempt = 1; ; attempt++) {
      table.refresh();
      Snapshot base = table.currentSnapshot();
      Rewrite rewrite = base == null ? Rewrite.NONE : rewrite(table, base, candidates, replaced);
      if (rewrite == null) { // a file with delete files: not rewritten here
        LOG.warn("{} has delete files where rows are replaced; appended beside them (readers take the newest)",
            table.name());
        DriverAppend.append(table, schema, rows);
        return 0;
      }
      List<Record> written = new ArrayList<>(rewrite.kept());
      written.addAll(added);
      List<DataFile> files = DriverAppend.writeRecords(table, written);
      OverwriteFiles overwrite = RunLineage.set(table.newOverwrite());
      files.forEach(overwrite::addFile);
      rewrite.files().forEach(overwrite::deleteFile);
      if (base != null) {
        overwrite.validateFromSnapshot(base.snapshotId()).validateNoConflictingDeletes();
      }
      try {
        overwrite.commit();
        return rewrite.removed();
      } catch (CommitStateUnknownException e) {
        throw e; // the commit may have landed: its files must stay
      } catch (ValidationException e) {
        DriverAppend.deleteAll(table, files);
        if (attempt == ATTEMPTS) {
          throw e;
        }
        LOG.info("{}: a concurrent commit rewrote files this upsert replaces; again ({})", table.name(),
            e.getMessage());
      } catch (RuntimeException e) {
        DriverAppend.deleteAll(table, files);
        throw e;
      }
    }
  }

  /** The files holding replaced rows and the rows of theirs that stay; null when one has deletes. */
  private static Rewrite rewrite(Table table, Snapshot base, Expression candidates, Predicate<Record> replaced) {
    List<DataFile> files = new ArrayList<>();
    List<Record> kept = new ArrayList<>();
    int removed = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(base.snapshotId())
        .filter(candidates).planFiles()) {
      for (FileScanTask task : tasks) {
        if (!task.deletes().isEmpty() || task.file().format() != FileFormat.PARQUET) {
          return null;
        }
        List<Record> rows = read(table, task.file());
        List<Record> staying = rows.stream().filter(replaced.negate()).toList();
        if (staying.size() < rows.size()) {
          files.add(task.file());
          kept.addAll(staying);
          removed += rows.size() - staying.size();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of " + table.name() + ": " + e.getMessage(), e);
    }
    return new Rewrite(files, kept, removed);
  }

  private static List<Record> read(Table table, DataFile file) {
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = Parquet.read(table.io().newInputFile(file.location()))
        .project(table.schema())
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(table.schema(), fileSchema))
        .build()) {
      records.forEach(record -> rows.add(record.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file.location() + ": " + e.getMessage(), e);
    }
    return rows;
  }

  private record Rewrite(List<DataFile> files, List<Record> kept, int removed) {
    static final Rewrite NONE = new Rewrite(List.of(), List.of(), 0);
  }
}
