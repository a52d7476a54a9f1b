package io.lakehouseops.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
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
 * Appends a few rows to an unpartitioned table from the driver: one data file written with
 * Iceberg's generic writer, in the table's file format, and one fast-append commit. The
 * tool's own records are a handful of rows per run; through Spark each append cost two jobs,
 * their planning and a commit (0.1-0.25 s), paid by every promote and backfill chunk. A file
 * appended so can be replaced the same way (a backfill's audit rows, written `running`, closed).
 */
public final class DriverAppend {
  private DriverAppend() {}

  /** A data file appended, and the snapshot that added it. */
  public record Appended(DataFile file, long snapshotId) {}

  /** rows: in schema's columns, which the table must have (by name). */
  public static Appended append(Table table, StructType schema, List<Row> rows) {
    DataFile file = write(table, schema, rows);
    try {
      RunLineage.set(table.newAppend().appendFile(file)).commit();
    } catch (CommitStateUnknownException e) {
      throw e; // the commit may have landed: its file must stay
    } catch (RuntimeException e) {
      table.io().deleteFile(file.location());
      throw e;
    }
    return new Appended(file, table.currentSnapshot().snapshotId());
  }

  /**
   * Replaces an appended file by one of these rows, in one commit; false, with nothing
   * changed, when the file is no longer in the table as it was appended (removed, or rows of
   * it deleted, by another commit since), so the caller replaces the rows another way.
   */
  public static boolean replace(Table table, Appended appended, StructType schema, List<Row> rows) {
    DataFile file = write(table, schema, rows);
    try {
      RunLineage.set(table.newOverwrite()).deleteFile(appended.file()).addFile(file)
          .validateFromSnapshot(appended.snapshotId())
          .validateNoConflictingDeletes() // also fails when the file to delete is gone
          .commit();
      return true;
    } catch (CommitStateUnknownException e) {
      throw e;
    } catch (ValidationException e) {
      table.io().deleteFile(file.location());
      return false;
    } catch (RuntimeException e) {
      table.io().deleteFile(file.location());
      throw e;
    }
  }

  private static DataFile write(Table table, StructType schema, List<Row> rows) {
    // Converted before a file is opened: a row the table cannot hold leaves no file behind.
    return writeRecords(table, records(table, schema, rows));
  }

  /** rows as records of the table's schema. */
  static List<Record> records(Table table, StructType schema, List<Row> rows) {
    return rows.stream().map(row -> record(table.schema(), schema, row, table.name())).toList();
  }

  /** One data file of these records, in the table's file format; not committed. */
  static DataFile writeRecords(Table table, List<Record> records) {
    if (!table.spec().isUnpartitioned()) {
      throw new IllegalArgumentException("DriverAppend writes unpartitioned tables only, not " + table.name());
    }
    FileFormat format = FileFormat.fromString(table.properties().getOrDefault(
        TableProperties.DEFAULT_FILE_FORMAT, TableProperties.DEFAULT_FILE_FORMAT_DEFAULT));
    OutputFileFactory files = OutputFileFactory.builderFor(table, 0, 0L).format(format).build();
    DataWriter<Record> writer = new GenericFileWriterFactory.Builder(table).dataFileFormat(format).build()
        .newDataWriter(files.newOutputFile(), table.spec(), null);
    try (writer) {
      records.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write records to " + table.name() + ": " + e.getMessage(), e);
    }
    return writer.toDataFile();
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
