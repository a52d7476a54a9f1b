package io.lakehouseops.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Appends a few rows to a table from the driver: a data file per partition the rows fall in
 * (one, for the tool's records: they are partitioned by the day they are written) written with
 * Iceberg's generic writer, in the table's file format, and one append commit. The tool's own
 * records are a handful of rows per run; through Spark each append cost two jobs, their
 * planning and a commit (0.1-0.25 s), paid by every promote and backfill chunk. Files appended
 * so can be replaced the same way (a backfill's audit rows, written `running`, closed).
 */
public final class DriverAppend {
  private DriverAppend() {}

  /** The data files appended, and the snapshot that added them. */
  public record Appended(List<DataFile> files, long snapshotId) {}

  /** rows: in schema's columns, which the table must have (by name). */
  public static Appended append(Table table, StructType schema, List<Row> rows) {
    List<DataFile> files = write(table, schema, rows);
    AppendFiles append = table.newAppend();
    files.forEach(append::appendFile);
    try {
      RunLineage.set(append).commit();
    } catch (CommitStateUnknownException e) {
      throw e; // the commit may have landed: its files must stay
    } catch (RuntimeException e) {
      deleteAll(table, files);
      throw e;
    }
    return new Appended(files, table.currentSnapshot().snapshotId());
  }

  /**
   * Replaces appended files by files of these rows, in one commit; false, with nothing
   * changed, when the files are no longer in the table as they were appended (removed, or rows
   * of them deleted, by another commit since), so the caller replaces the rows another way.
   */
  public static boolean replace(Table table, Appended appended, StructType schema, List<Row> rows) {
    List<DataFile> files = write(table, schema, rows);
    OverwriteFiles overwrite = table.newOverwrite();
    appended.files().forEach(overwrite::deleteFile);
    files.forEach(overwrite::addFile);
    try {
      RunLineage.set(overwrite)
          .validateFromSnapshot(appended.snapshotId())
          .validateNoConflictingDeletes() // also fails when the file to delete is gone
          .commit();
      return true;
    } catch (CommitStateUnknownException e) {
      throw e;
    } catch (ValidationException e) {
      deleteAll(table, files);
      return false;
    } catch (RuntimeException e) {
      deleteAll(table, files);
      throw e;
    }
  }

  /** Removes files written for a commit that did not land. */
  static void deleteAll(Table table, List<DataFile> files) {
    files.forEach(file -> table.io().deleteFile(file.location()));
  }

  private static List<DataFile> write(Table table, StructType schema, List<Row> rows) {
    // Converted before a file is opened: a row the table cannot hold leaves no file behind.
    return writeRecords(table, records(table, schema, rows));
  }

  /** rows as records of the table's schema. */
  static List<Record> records(Table table, StructType schema, List<Row> rows) {
    return rows.stream().map(row -> record(table.schema(), schema, row, table.name())).toList();
  }

  /**
   * Data files of these records, one per partition of the table's spec they fall in, in the
   * table's file format; not committed. An unpartitioned table gets one file, even of no rows.
   */
  static List<DataFile> writeRecords(Table table, List<Record> records) {
    FileFormat format = FileFormat.fromString(table.properties().getOrDefault(
        TableProperties.DEFAULT_FILE_FORMAT, TableProperties.DEFAULT_FILE_FORMAT_DEFAULT));
    OutputFileFactory files = OutputFileFactory.builderFor(table, 0, 0L).format(format).build();
    GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(format).build();
    List<DataFile> written = new ArrayList<>();
    try {
      for (Map.Entry<PartitionKey, List<Record>> partition : byPartition(table, records).entrySet()) {
        PartitionKey key = table.spec().isUnpartitioned() ? null : partition.getKey();
        DataWriter<Record> writer = writers.newDataWriter(
            key == null ? files.newOutputFile() : files.newOutputFile(table.spec(), key), table.spec(), key);
        try (writer) {
          partition.getValue().forEach(writer::write);
        }
        written.add(writer.toDataFile());
      }
    } catch (IOException e) {
      deleteAll(table, written);
      throw new UncheckedIOException("Cannot write records to " + table.name() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteAll(table, written);
      throw e;
    }
    return written;
  }

  /** The records by partition, in the order first met. */
  private static Map<PartitionKey, List<Record>> byPartition(Table table, List<Record> records) {
    Map<PartitionKey, List<Record>> partitions = new LinkedHashMap<>();
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    if (table.spec().isUnpartitioned()) {
      partitions.put(key, records);
      return partitions;
    }
    // The partition transforms take Iceberg's internal values (timestamps as micros).
    InternalRecordWrapper internal = new InternalRecordWrapper(table.schema().asStruct());
    for (Record record : records) {
      key.partition(internal.wrap(record));
      partitions.computeIfAbsent(key.copy(), k -> new ArrayList<>()).add(record);
    }
    return partitions;
  }

  private static Record record(Schema target, StructType schema, Row row, String table) {
    GenericRecord record = GenericRecord.create(target);
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      Types.NestedField field = target.findField(fields[i].name());
      if (field == null) {
        throw new IllegalStateException("Table " + table + " has no column " + fields[i].name()
            + ": it was made by another version of lakehouse-ops; add the column or rename the table");
      }
      record.setField(field.name(), value(field.type(), row.isNullAt(i) ? null : row.get(i)));
    }
    return record;
  }

  /** Spark's external values as Iceberg's generic ones (timestamps; the rest are the same). */
  private static Object value(Type type, Object value) {
    if (value instanceof Timestamp timestamp) {
      return ((Types.TimestampType) type).shouldAdjustToUTC()
          ? timestamp.toInstant().atOffset(ZoneOffset.UTC)
          : timestamp.toLocalDateTime();
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    return value;
  }
}
