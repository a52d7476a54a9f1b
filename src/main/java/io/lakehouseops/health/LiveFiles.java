package io.lakehouseops.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * The live files of a table's current snapshot, totalled in one pass over its manifests from
 * the driver: files, bytes, records, small files by partition, bytes by storage class, delete
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
    for (ManifestFile manifest : current.dataManifests(table.io())) {
      try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs())
          .select(List.of("file_path", "file_size_in_bytes", "record_count", "partition"))) {
        for (DataFile file : reader) {
          live.add(table, file, smallBelow, storageClass);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read manifest " + manifest.path() + " of " + table.name(), e);
      }
    }
    for (ManifestFile manifest : current.deleteManifests(table.io())) {
      try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())
          .select(List.of("file_path"))) {
        for (DeleteFile ignored : reader) {
          live.deleteFiles++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read manifest " + manifest.path() + " of " + table.name(), e);
      }
    }
    return live;
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
