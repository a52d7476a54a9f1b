package io.lakehouseops.health;

import io.lakehouseops.iceberg.PartitionDates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
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
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The live files of a table's current snapshot, totalled in one pass over its manifests from
 * the driver (read in parallel, one thread per core): files, bytes, records, bytes by storage
 * class; per partition its data files, rows, small files and oldest data sequence number; each
 * delete file's partition, kind, sequence number and rows (what DeleteHealthReader and the
 * freshness' newest event date are worked out from). Only the columns it totals are decoded (no
 * column statistics); through Spark's metadata tables each total is a Spark job of its own,
 * scanning the manifests again.
 */
final class LiveFiles {
  long files;
  long bytes;
  long records;
  long smallFiles;
  /** The partitions that hold a live data file. */
  final Map<PartitionKey, PartitionFiles> partitions = new HashMap<>();
  /** The live delete files (in a scope: those that apply to its data files). */
  final List<DeleteEntry> deletes = new ArrayList<>();
  /** Bytes per storage class, by class name. */
  final Map<String, Long> bytesByClass = new TreeMap<>();

  /**
   * A partition of a spec, compared by its values (Iceberg decodes partitions as PartitionData,
   * which compares them); its path is formatted only when reported: formatting a date for
   * every file took half of the pass.
   */
  record PartitionKey(int specId, StructLike partition) {
    private static PartitionKey of(ContentFile<?> file) {
      return new PartitionKey(file.specId(), file.partition());
    }

    /** Kept beyond the entry: a reader may reuse the partition it decoded. */
    private PartitionKey copied() {
      return partition instanceof PartitionData data ? new PartitionKey(specId, data.copy()) : this;
    }

    String path(Table table) {
      return table.specs().get(specId).partitionToPath(partition);
    }
  }

  /** One partition's live data files: count, rows, small ones, the lowest data sequence number. */
  static final class PartitionFiles {
    long dataFiles;
    long dataRows;
    long smallFiles;
    long minDataSequence = Long.MAX_VALUE;

    private void merge(PartitionFiles other) {
      dataFiles += other.dataFiles;
      dataRows += other.dataRows;
      smallFiles += other.smallFiles;
      minDataSequence = Math.min(minDataSequence, other.minDataSequence);
    }
  }

  /** One live delete file: its partition, whether it holds equality deletes, its data sequence number, rows. */
  record DeleteEntry(PartitionKey partition, boolean equality, long dataSequence, long rows) {}

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
    // A delete file applies to every data file of its partition: listed with each, counted once.
    Set<String> seen = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().caseSensitive(false).filter(filter).ignoreResiduals()
        .planFiles()) {
      for (FileScanTask task : tasks) {
        live.add(task.file(), smallBelow, storageClass);
        task.deletes().stream().filter(delete -> seen.add(delete.location())).forEach(live::addDelete);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of " + table.name() + " matching " + filter, e);
    }
    return live;
  }

  private static LiveFiles read(Table table, ManifestFile manifest, long smallBelow,
      Function<String, String> storageClass) {
    LiveFiles part = new LiveFiles();
    try {
      if (manifest.content() == ManifestContent.DELETES) {
        try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())
            .select(List.of("file_path", "content", "record_count", "partition"))) {
          for (DeleteFile file : reader) {
            part.addDelete(file);
          }
        }
      } else {
        try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs())
            .select(List.of("file_path", "file_size_in_bytes", "record_count", "partition"))) {
          for (DataFile file : reader) {
            part.add(file, smallBelow, storageClass);
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
    other.partitions.forEach((key, files) -> partitions.merge(key, files, (a, b) -> {
      a.merge(b);
      return a;
    }));
    deletes.addAll(other.deletes);
    other.bytesByClass.forEach((storageClass, b) -> bytesByClass.merge(storageClass, b, Long::sum));
  }

  private void add(DataFile file, long smallBelow, Function<String, String> storageClass) {
    files++;
    bytes += file.fileSizeInBytes();
    records += file.recordCount();
    PartitionFiles partition = partition(file);
    partition.dataFiles++;
    partition.dataRows += file.recordCount();
    // Tables of format version 1 have no sequence numbers (Iceberg reads them as 0).
    partition.minDataSequence = Math.min(partition.minDataSequence, sequence(file));
    if (file.fileSizeInBytes() < smallBelow) {
      smallFiles++;
      partition.smallFiles++;
    }
    bytesByClass.merge(storageClass.apply(file.location()), file.fileSizeInBytes(), Long::sum);
  }

  private void addDelete(DeleteFile file) {
    deletes.add(new DeleteEntry(PartitionKey.of(file).copied(), file.content() == FileContent.EQUALITY_DELETES,
        sequence(file), file.recordCount()));
  }

  private PartitionFiles partition(ContentFile<?> file) {
    PartitionKey key = PartitionKey.of(file);
    PartitionFiles files = partitions.get(key);
    if (files == null) {
      files = new PartitionFiles();
      partitions.put(key.copied(), files);
    }
    return files;
  }

  private static long sequence(ContentFile<?> file) {
    return file.dataSequenceNumber() == null ? 0 : file.dataSequenceNumber();
  }

  /**
   * The newest event date of the partitions, by the time field of each spec (preferring one on
   * eventTime, which may be null); null when none is dated.
   */
  LocalDate newestEventDate(Table table, String eventTime) {
    LocalDate newest = null;
    for (PartitionKey p : partitions.keySet()) {
      PartitionSpec spec = table.specs().get(p.specId());
      int field = PartitionDates.timeField(spec, eventTime);
      LocalDate last = field < 0 ? null : PartitionDates.lastDate(spec, field, p.partition());
      newest = last != null && (newest == null || last.isAfter(newest)) ? last : newest;
    }
    return newest;
  }

  long deleteFiles() {
    return deletes.size();
  }

  /** Small files in partitions that hold at least minFiles of them (what compact would rewrite). */
  long compactableSmallFiles(int minFiles) {
    return partitions.values().stream().filter(p -> p.smallFiles >= minFiles).mapToLong(p -> p.smallFiles).sum();
  }
}
