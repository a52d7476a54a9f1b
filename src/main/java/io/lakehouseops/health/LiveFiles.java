package io.lakehouseops.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The live files of a table's current snapshot, totalled in one pass over its manifests from
 * the driver (read in parallel, one thread per core): files, bytes, records, small files by partition, bytes by storage class, delete
 * files. Only the columns it totals are decoded (no column statistics); through Spark's
 * metadata tables each total is a Spark job of its own, scanning the manifests again.
 */
final class LiveFiles {
  long files;
  long bytes;
  long records;
  long smallFiles;
  long deleteFiles;
  /** Small files per partition (spec id and partition path). */
  final Map<String, Long> smallByPartition = new HashMap<>();
  /** Partitions that hold a live data file. */
  final Set<String> partitions = new HashSet<>();
  /** Bytes per storage class, by class name. */
  final Map<String, Long> bytesByClass = new TreeMap<>();

  private LiveFiles() {}

  /**
   * smallBelow: a data file smaller counts as small; storageClass: the class a data file's
   * path is in.
   */
  static LiveFiles of(Table table, long smallBelow, Function<String, String> storageClass) {
    LiveFiles live = new LiveFiles();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return live;
    }
    // The manifests are read side by side, one thread per core: decoding their entries is the
    // cost that grows with the table (P8, P9).
    List<ManifestFile> manifests = current.allManifests(table.io());
    int threads = Math.max(1, Math.min(manifests.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<LiveFiles>> parts = new ArrayList<>();
      for (ManifestFile manifest : manifests) {
        parts.add(pool.submit(() -> read(table, manifest, smallBelow, storageClass)));
      }
      for (Future<LiveFiles> part : parts) {
        live.merge(part.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the manifests of " + table.name(), e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return live;
  }

  /**
   * The live files a scan with the filter plans (Iceberg prunes manifests by their partition
   * ranges and files by partition and column bounds) and the delete files that apply to them:
   * the cost grows with the files in scope, not with the table.
   */
  static LiveFiles inScope(Table table, Expression filter, long smallBelow, Function<String, String> storageClass) {
    LiveFiles live = new LiveFiles();
    if (table.currentSnapshot() == null) {
      return live;
    }
    Set<String> deletes = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().caseSensitive(false).filter(filter).ignoreResiduals()
        .planFiles()) {
      for (FileScanTask task : tasks) {
        live.add(table, task.file(), smallBelow, storageClass);
        task.deletes().forEach(delete -> deletes.add(delete.location()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of " + table.name() + " matching " + filter, e);
    }
    live.deleteFiles = deletes.size();
    return live;
  }

  private static LiveFiles read(Table table, ManifestFile manifest, long smallBelow,
      Function<String, String> storageClass) {
    LiveFiles part = new LiveFiles();
    try {
      if (manifest.content() == ManifestContent.DELETES) {
        try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())
            .select(List.of("file_path"))) {
          for (DeleteFile ignored : reader) {
            part.deleteFiles++;
          }
        }
      } else {
        try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs())
            .select(List.of("file_path", "file_size_in_bytes", "record_count", "partition"))) {
          for (DataFile file : reader) {
            part.add(table, file, smallBelow, storageClass);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read manifest " + manifest.path() + " of " + table.name(), e);
    }
    return part;
  }

  private void merge(LiveFiles other) {
    files += other.files;
    bytes += other.bytes;
    records += other.records;
    smallFiles += other.smallFiles;
    deleteFiles += other.deleteFiles;
    other.smallByPartition.forEach((partition, count) -> smallByPartition.merge(partition, count, Long::sum));
    partitions.addAll(other.partitions);
    other.bytesByClass.forEach((storageClass, b) -> bytesByClass.merge(storageClass, b, Long::sum));
  }

  private void add(Table table, DataFile file, long smallBelow, Function<String, String> storageClass) {
    files++;
    bytes += file.fileSizeInBytes();
    records += file.recordCount();
    String partition = file.specId() + "/" + table.specs().get(file.specId()).partitionToPath(file.partition());
    partitions.add(partition);
    if (file.fileSizeInBytes() < smallBelow) {
      smallFiles++;
      smallByPartition.merge(partition, 1L, Long::sum);
    }
    bytesByClass.merge(storageClass.apply(file.location()), file.fileSizeInBytes(), Long::sum);
  }

  /** Small files in partitions that hold at least minFiles of them (what compact would rewrite). */
  long compactableSmallFiles(int minFiles) {
    return smallByPartition.values().stream().filter(count -> count >= minFiles).mapToLong(Long::longValue).sum();
  }
}
