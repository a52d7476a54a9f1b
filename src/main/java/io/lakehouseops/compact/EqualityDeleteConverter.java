package io.lakehouseops.compact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.BaseDVFileWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.And;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.UnboundPredicate;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.spark.SparkReadOptions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Converts the equality deletes of chosen partitions into position deletes (deletion vectors
 * on a v3 table): Iceberg has no action for it. The partitions are read at the planned
 * snapshot through Iceberg's own reader with the _deleted metadata column, which marks the
 * rows every delete of a file removes instead of dropping them; only the key column and row
 * positions are read. The positions are written sorted by file and position, and one row
 * delta replaces the partitions' equality-delete files and the data files' file-scoped
 * deletes (their positions are among those read) with the new files. The commit is validated against every
 * commit since the plan: a referenced data file removed or a replaced delete file gone fails
 * it, and the new files are deleted. A streaming commit meanwhile adds deletes with a higher
 * sequence number, which keep applying.
 */
final class EqualityDeleteConverter {
  private final SparkSession spark;
  private final Table table;
  private final Map<String, String> commitProperties;

  EqualityDeleteConverter(SparkSession spark, Table table, Map<String, String> commitProperties) {
    this.spark = spark;
    this.table = table;
    this.commitProperties = commitProperties;
  }

  /** What a conversion did: delete files replaced and written, and the positions they hold. */
  record Converted(long equalityDeleteFilesRemoved, long fileScopedDeletesRemoved, long dataFiles,
      long deletedPositions, long deleteFilesAdded, boolean deletionVectors) {
    static final Converted NONE = new Converted(0, 0, 0, 0, 0, false);
  }

  Converted convert(List<EqualityDeletePlan.Partition> partitions) {
    if (partitions.isEmpty()) {
      return Converted.NONE;
    }
    table.refresh();
    Snapshot start = table.currentSnapshot();
    Set<String> names = new LinkedHashSet<>();
    partitions.forEach(p -> names.add(EqualityDeletePlan.key(table.specs().get(p.specId()), p.value())));
    // The exact event-time range of each partition: every data file of it is planned.
    Expression ranges = partitions.stream().map(EqualityDeletePlan.Partition::range)
        .reduce(Expressions.alwaysFalse(), Expressions::or);
    Set<DeleteFile> replaced = new LinkedHashSet<>();
    Map<String, DataFile> dataFiles = new HashMap<>();
    long equalityRemoved = 0;
    try (CloseableIterable<FileScanTask> planned = table.newScan().useSnapshot(start.snapshotId())
        .filter(ranges).ignoreResiduals().planFiles()) {
      for (FileScanTask task : planned) {
        PartitionSpec spec = table.specs().get(task.file().specId());
        boolean equality = task.deletes().stream().anyMatch(d -> d.content() == FileContent.EQUALITY_DELETES);
        if (!equality || !names.contains(EqualityDeletePlan.key(spec, task.file().partition()))) {
          continue;
        }
        dataFiles.put(task.file().location(), task.file());
        for (DeleteFile delete : task.deletes()) {
          // A global equality delete (unpartitioned spec) also applies to partitions not read here.
          boolean partitionScoped = delete.content() == FileContent.EQUALITY_DELETES
              && delete.specId() == task.file().specId() && !table.specs().get(delete.specId()).isUnpartitioned();
          if ((partitionScoped || ContentFileUtil.isFileScoped(delete)) && replaced.add(delete)
              && delete.content() == FileContent.EQUALITY_DELETES) {
            equalityRemoved++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (dataFiles.isEmpty()) {
      return Converted.NONE;
    }
    boolean vectors = TableUtil.formatVersion(table) >= 3;
    Written written = write(start, partitions, dataFiles, vectors);
    commit(start, replaced, written, dataFiles.keySet());
    return new Converted(equalityRemoved, replaced.size() - equalityRemoved, dataFiles.size(), written.positions(),
        written.files().size(), vectors);
  }

  private record Written(List<DeleteFile> files, long positions) {}

  /**
   * Reads the deleted rows' positions (sorted) and writes them as position deletes or DVs.
   * A plain read of the planned snapshot, narrowed to the partitions' event-time ranges
   * where the column's type makes that exact: a rewrite's staged scan would read only the
   * planned files, but on a v3 table it resolves no metadata column. Rows of data files not
   * planned (no equality delete applies to them) are left as they are.
   */
  private Written write(Snapshot start, List<EqualityDeletePlan.Partition> partitions,
      Map<String, DataFile> dataFiles, boolean vectors) {
    Column deleted = functions.col(MetadataColumns.IS_DELETED.name());
    Column ranges = partitions.stream().map(p -> sparkRange(p.range())).reduce(functions.lit(false),
        (a, b) -> a == null || b == null ? null : a.or(b));
    DeleteSink sink = vectors ? new VectorSink() : new PositionFileSink();
    long positions = 0;
    try {
      Iterator<Row> rows = spark.read().format("iceberg").option(SparkReadOptions.SNAPSHOT_ID, start.snapshotId())
          .load(table.name())
          .where(ranges == null ? deleted : ranges.and(deleted))
          .select(MetadataColumns.FILE_PATH.name(), MetadataColumns.ROW_POSITION.name(),
              MetadataColumns.PARTITION_COLUMN_NAME)
          // Each partition's positions in one task, sorted by file and position (as a position-delete
          // file must be): a global orderBy would read the table twice (once to sample the range bounds).
          .repartition(functions.col(MetadataColumns.PARTITION_COLUMN_NAME))
          .sortWithinPartitions(MetadataColumns.FILE_PATH.name(), MetadataColumns.ROW_POSITION.name())
          .toLocalIterator();
      while (rows.hasNext()) {
        Row row = rows.next();
        DataFile file = dataFiles.get(row.getString(0));
        if (file != null) {
          sink.delete(file, row.getLong(1));
          positions++;
        }
      }
      return new Written(sink.close(), positions);
    } catch (IOException | RuntimeException e) {
      sink.abort();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("Cannot write the converted position deletes of " + table.name(), io);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * A partition's event-time range (PartitionDates.range) as a Spark filter Iceberg pushes
   * down: exact for timestamp-with-zone columns (instants in microseconds) and dates; null
   * (read every partition) for anything else, rather than risk leaving a file unread.
   */
  private Column sparkRange(Expression range) {
    if (range instanceof And and) {
      Column left = sparkRange(and.left());
      Column right = sparkRange(and.right());
      return left == null || right == null ? null : left.and(right);
    }
    if (!(range instanceof UnboundPredicate<?> predicate) || predicate.literal() == null) {
      return null;
    }
    String name = predicate.ref().name();
    Type type = table.schema().findType(name);
    Object value = predicate.literal().value();
    Column bound;
    if (type instanceof Types.TimestampType ts && ts.shouldAdjustToUTC() && value instanceof Long micros) {
      bound = functions.expr("timestamp_micros(" + micros + "L)");
    } else if (type.typeId() == Type.TypeID.DATE && value instanceof Integer days) {
      bound = functions.expr("date_from_unix_date(" + days + ")");
    } else {
      return null;
    }
    Column column = functions.col(name);
    return switch (predicate.op()) {
      case GT_EQ -> column.geq(bound);
      case LT -> column.lt(bound);
      case EQ -> column.equalTo(bound);
      default -> null;
    };
  }

  private void commit(Snapshot start, Set<DeleteFile> replaced, Written written, Set<String> referenced) {
    RowDelta delta = table.newRowDelta().validateFromSnapshot(start.snapshotId())
        .validateDataFilesExist(referenced).validateDeletedFiles();
    replaced.forEach(delta::removeDeletes);
    written.files().forEach(delta::addDeletes);
    commitProperties.forEach(delta::set);
    try {
      delta.commit();
    } catch (ValidationException | CommitFailedException e) {
      // Refused: nothing references the new files. (Not on CommitStateUnknownException.)
      written.files().forEach(file -> table.io().deleteFile(file.location()));
      throw e;
    }
  }

  /** Where the sorted positions go: one file per partition (v2) or a DV per data file (v3). */
  private interface DeleteSink {
    void delete(DataFile file, long position) throws IOException;

    List<DeleteFile> close() throws IOException;

    void abort();
  }

  private final class PositionFileSink implements DeleteSink {
    private final OutputFileFactory files = OutputFileFactory.builderFor(table, 0, System.nanoTime())
        .format(FileFormat.PARQUET).operationId(UUID.randomUUID().toString()).build();
    private final GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
        .deleteFileFormat(FileFormat.PARQUET).build();
    private final Map<String, PositionDeleteWriter<Record>> open = new LinkedHashMap<>();
    private final PositionDelete<Record> delete = PositionDelete.create();

    @Override
    public void delete(DataFile file, long position) {
      PartitionSpec spec = table.specs().get(file.specId());
      PositionDeleteWriter<Record> writer = open.computeIfAbsent(EqualityDeletePlan.key(spec, file.partition()),
          key -> writers.newPositionDeleteWriter(files.newOutputFile(spec, file.partition()),
          spec, file.partition()));
      writer.write(delete.set(file.location(), position));
    }

    @Override
    public List<DeleteFile> close() throws IOException {
      List<DeleteFile> result = new ArrayList<>();
      for (PositionDeleteWriter<Record> writer : open.values()) {
        writer.close();
        result.add(writer.toDeleteFile());
      }
      return result;
    }

    @Override
    public void abort() {
      for (PositionDeleteWriter<Record> writer : open.values()) {
        try {
          writer.close();
          table.io().deleteFile(writer.toDeleteFile().location());
        } catch (IOException | RuntimeException ignored) {
          // best effort: an unreferenced file is an orphan that expire-snapshots removes
        }
      }
    }
  }

  private final class VectorSink implements DeleteSink {
    private final BaseDVFileWriter writer = new BaseDVFileWriter(OutputFileFactory.builderFor(table, 0,
        System.nanoTime()).format(FileFormat.PUFFIN).operationId(UUID.randomUUID().toString()).build(),
        // No earlier vector to merge: the positions read include those the file's DV removed.
        path -> null);
    private boolean closed;

    @Override
    public void delete(DataFile file, long position) {
      writer.delete(file.location(), position, table.specs().get(file.specId()), file.partition());
    }

    @Override
    public List<DeleteFile> close() throws IOException {
      writer.close();
      closed = true;
      return writer.result().deleteFiles();
    }

    @Override
    public void abort() {
      try {
        if (!closed) {
          writer.close();
        }
        writer.result().deleteFiles().forEach(f -> table.io().deleteFile(f.location()));
      } catch (IOException | RuntimeException ignored) {
        // best effort, as above
      }
    }
  }
}
