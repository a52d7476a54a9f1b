package io.lakehouseops.iceberg;

import io.lakehouseops.run.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/** The data and delete files of a table's current snapshot, each with its partition's last event date. */
public final class TableFiles {
  /**
   * One file: its location, size, partition (as text), first and last event date of that
   * partition (null if unknown), the event-time range it covers (for excluding it from a
   * rewrite; null if none), whether it holds data (else deletes), and its rows.
   */
  public record TableFile(String path, long bytes, String partition, LocalDate firstEventDate,
      LocalDate lastEventDate, org.apache.iceberg.expressions.Expression partitionRange, boolean data,
      long records) {}

  private TableFiles() {}

  public static List<TableFile> list(Table table, String eventTime) {
    List<TableFile> files = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return files;
    }
    Map<Integer, Integer> timeFields = new HashMap<>();
    for (Map.Entry<Integer, PartitionSpec> spec : table.specs().entrySet()) {
      timeFields.put(spec.getKey(), PartitionDates.timeField(spec.getValue(), eventTime));
    }
    if (timeFields.values().stream().allMatch(i -> i < 0)) {
      throw new BadInputException("Cannot date the partitions of " + table.name() + ": it is not partitioned by "
          + "event time (days, months, years or hours of a timestamp, or an identity date column), so "
          + "partition age is unknown");
    }
    Set<String> seen = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        add(table, task.file(), timeFields, seen, files);
        task.deletes().forEach(delete -> add(table, delete, timeFields, seen, files));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static void add(Table table, ContentFile<?> file, Map<Integer, Integer> timeFields,
      Set<String> seen, List<TableFile> files) {
    if (!seen.add(file.location())) {
      return;
    }
    PartitionSpec spec = table.specs().get(file.specId());
    int field = timeFields.getOrDefault(file.specId(), -1);
    LocalDate first = field < 0 ? null : PartitionDates.firstDate(spec, field, file.partition());
    LocalDate last = field < 0 ? null : PartitionDates.lastDate(spec, field, file.partition());
    files.add(new TableFile(file.location(), file.fileSizeInBytes(), spec.partitionToPath(file.partition()),
        first, last, field < 0 ? null : PartitionDates.range(spec, field, file.partition()),
        file.content() == org.apache.iceberg.FileContent.DATA, file.recordCount()));
  }
}
