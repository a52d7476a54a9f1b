package io.lakehouseops.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Deletes rows of one snapshot's data files by their positions, from the driver: one position
 * delete file per partition, written with Iceberg's generic writer (sorted by file and
 * position, as the table spec asks), and one row-delta commit to a branch. For a few rows
 * among many (a partition's re-delivered duplicates), this replaces writing every row again.
 */
final class PositionDeletes {
  private PositionDeletes() {}

  /** A row of a data file: its location and its position in the file, as `_file` and `_pos` give them. */
  record Position(String file, long pos) {}

  /**
   * Commits the deletes to branch, whose head must still be the appended snapshot that added
   * every file the positions name; returns the new head. Nothing stays behind when it fails,
   * except where the commit's outcome is unknown (its files may be referenced).
   */
  static long commit(Table table, String branch, Snapshot appended, List<Position> positions,
      Map<String, String> commitProperties) {
    Map<String, DataFile> added = new HashMap<>();
    appended.addedDataFiles(table.io()).forEach(file -> added.put(file.location(), file));
    // By spec and partition path: a delete file holds positions of one partition's files.
    Map<String, List<Position>> byPartition = new LinkedHashMap<>();
    Map<String, DataFile> partitionOf = new HashMap<>();
    for (Position position : positions) {
      DataFile file = added.get(position.file());
      if (file == null) {
        throw new IllegalStateException("Cannot delete a row of " + position.file() + " in " + table.name()
            + ": snapshot " + appended.snapshotId() + " did not add that file");
      }
      String partition = file.specId() + "/" + table.specs().get(file.specId()).partitionToPath(file.partition());
      byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(position);
      partitionOf.putIfAbsent(partition, file);
    }
    FileFormat format = FileFormat.fromString(table.properties().getOrDefault(
        TableProperties.DELETE_DEFAULT_FILE_FORMAT, table.properties().getOrDefault(
            TableProperties.DEFAULT_FILE_FORMAT, TableProperties.DEFAULT_FILE_FORMAT_DEFAULT)));
    OutputFileFactory files = OutputFileFactory.builderFor(table, 0, 0L).format(format).suffix("deletes").build();
    List<DeleteFile> written = new ArrayList<>();
    try {
      RowDelta delta = table.newRowDelta().toBranch(branch).validateFromSnapshot(appended.snapshotId())
          .validateDataFilesExist(added.keySet());
      for (Map.Entry<String, List<Position>> entry : byPartition.entrySet()) {
        DataFile file = partitionOf.get(entry.getKey());
        DeleteFile deletes = write(table, format, files, table.specs().get(file.specId()), file.partition(),
            entry.getValue());
        written.add(deletes);
        delta.addDeletes(deletes);
      }
      commitProperties.forEach(delta::set);
      delta.commit();
    } catch (CommitStateUnknownException e) {
      throw e;
    } catch (RuntimeException e) {
      written.forEach(file -> table.io().deleteFile(file.location()));
      throw e;
    }
    table.refresh();
    return table.refs().get(branch).snapshotId();
  }

  private static DeleteFile write(Table table, FileFormat format, OutputFileFactory files, PartitionSpec spec,
      StructLike partition, List<Position> positions) {
    PositionDeleteWriter<Record> writer = new GenericFileWriterFactory.Builder(table).deleteFileFormat(format).build()
        .newPositionDeleteWriter(files.newOutputFile(spec, partition), spec, partition);
    List<Position> sorted = new ArrayList<>(positions);
    sorted.sort(Comparator.comparing(Position::file).thenComparingLong(Position::pos));
    PositionDelete<Record> delete = PositionDelete.create();
    try (writer) {
      for (Position position : sorted) {
        writer.write(delete.set(position.file(), position.pos()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write position deletes to " + table.name() + ": " + e.getMessage(), e);
    }
    return writer.toDeleteFile();
  }
}
