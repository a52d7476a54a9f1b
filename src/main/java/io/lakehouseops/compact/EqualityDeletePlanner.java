package io.lakehouseops.compact;

import io.lakehouseops.iceberg.PartitionDates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.ContentFileUtil;

/**
 * Decides, from metadata only (the current snapshot's scan plan: each data file with the
 * delete files that apply to it), how each partition's equality deletes are applied.
 *
 * A rewrite reads and writes every column of every data file they apply to; a conversion
 * reads only the key column of those files and writes small position-delete files. In auto
 * mode a partition is rewritten when
 * - at least half of the bytes the deletes apply to are in small files (below Iceberg's
 *   min-file-size: the bin-pack rewrites them anyway, applying the deletes costs nothing more), or
 * - its deletes may remove at least delete-ratio-threshold of those rows (equality-delete
 *   rows plus file-scoped deletes, an upper bound: a key deleted twice counts twice), so
 *   reads would still filter many rows;
 * otherwise (large files, few deletes) it is converted. After a conversion each data file's
 * deletes are file-scoped, so Iceberg's own delete-ratio-threshold can later rewrite exactly
 * the files with enough rows deleted. Only time partitions can be left out of the rewrite
 * (the filter is their event-time range): others are always rewritten.
 */
final class EqualityDeletePlanner {
  private EqualityDeletePlanner() {}

  static EqualityDeletePlan plan(Table table, Expression filter, EqualityDeleteMode mode, long smallFileBytes,
      double deleteRatioThreshold) {
    Map<String, Totals> partitions = new LinkedHashMap<>();
    if (table.currentSnapshot() == null) {
      return new EqualityDeletePlan(List.of());
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).ignoreResiduals().planFiles()) {
      for (FileScanTask task : tasks) {
        List<DeleteFile> equality = task.deletes().stream()
            .filter(d -> d.content() == FileContent.EQUALITY_DELETES).toList();
        if (equality.isEmpty()) {
          continue;
        }
        PartitionSpec spec = table.specs().get(task.file().specId());
        String name = EqualityDeletePlan.key(spec, task.file().partition());
        Totals totals = partitions.computeIfAbsent(name, n -> new Totals(table, task));
        totals.add(task, equality, smallFileBytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<EqualityDeletePlan.Partition> planned = new ArrayList<>();
    for (Totals totals : partitions.values()) {
      planned.add(totals.decide(mode, deleteRatioThreshold));
    }
    return new EqualityDeletePlan(List.copyOf(planned));
  }

  /** One partition's data files with equality deletes, and those deletes (each file once). */
  private static final class Totals {
    private final PartitionSpec spec;
    private final FileScanTask first;
    private final Set<String> deleteFiles = new HashSet<>();
    private long dataFiles;
    private long dataRows;
    private long dataBytes;
    private long smallBytes;
    private long equalityRows;
    private long fileScopedRows;

    Totals(Table table, FileScanTask first) {
      this.spec = table.specs().get(first.file().specId());
      this.first = first;
    }

    void add(FileScanTask task, List<DeleteFile> equality, long smallFileBytes) {
      dataFiles++;
      dataRows += task.file().recordCount();
      dataBytes += task.file().fileSizeInBytes();
      if (task.file().fileSizeInBytes() < smallFileBytes) {
        smallBytes += task.file().fileSizeInBytes();
      }
      for (DeleteFile delete : equality) {
        if (deleteFiles.add(delete.location())) {
          equalityRows += delete.recordCount();
        }
      }
      for (DeleteFile delete : task.deletes()) {
        if (ContentFileUtil.isFileScoped(delete)) {
          fileScopedRows += delete.recordCount();
        }
      }
    }

    EqualityDeletePlan.Partition decide(EqualityDeleteMode mode, double deleteRatioThreshold) {
      int timeField = PartitionDates.timeField(spec, null);
      Expression range = timeField < 0 ? null : PartitionDates.range(spec, timeField, first.file().partition());
      double share = dataRows == 0 ? 1.0 : Math.min(1.0, (double) (equalityRows + fileScopedRows) / dataRows);
      EqualityDeletePlan.Choice choice;
      String reason;
      if (mode == EqualityDeleteMode.REWRITE) {
        choice = EqualityDeletePlan.Choice.REWRITE;
        reason = "--equality-deletes rewrite";
      } else if (range == null) {
        choice = EqualityDeletePlan.Choice.REWRITE;
        reason = "not a time partition: only a time partition can be left out of the data-file rewrite";
      } else if (mode == EqualityDeleteMode.CONVERT) {
        choice = EqualityDeletePlan.Choice.CONVERT;
        reason = "--equality-deletes convert";
      } else if (smallBytes * 2 >= dataBytes) {
        choice = EqualityDeletePlan.Choice.REWRITE;
        reason = percent((double) smallBytes / Math.max(1, dataBytes)) + " of the bytes they apply to are in small "
            + "files, which the bin-pack rewrites anyway";
      } else if (share >= deleteRatioThreshold) {
        choice = EqualityDeletePlan.Choice.REWRITE;
        reason = "up to " + percent(share) + " of the rows they apply to deleted (delete-ratio-threshold "
            + deleteRatioThreshold + ")";
      } else {
        choice = EqualityDeletePlan.Choice.CONVERT;
        reason = "large files with at most " + percent(share) + " of their rows deleted: converting reads "
            + "only the key column";
      }
      return new EqualityDeletePlan.Partition(spec.specId(), first.file().partition(),
          spec.partitionToPath(first.file().partition()), range, dataFiles, dataRows, dataBytes, smallBytes,
          deleteFiles.size(), equalityRows, choice, reason);
    }

    private static String percent(double share) {
      return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
  }
}
