package io.lakehouseops.expire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;

/**
 * What an expiry would delete, worked out from metadata without committing or deleting: the
 * files reachable from the expiring snapshots and from no snapshot that stays (manifest lists,
 * manifests, data and delete files), with their bytes.
 */
final class ExpiryPreview {
  record Files(long dataFiles, long deleteFiles, long manifests, long manifestLists, long bytes) {}

  private ExpiryPreview() {}

  static Files of(Table table, List<Snapshot> expiring) {
    FileIO io = table.io();
    Set<Long> expiringIds = new HashSet<>();
    expiring.forEach(s -> expiringIds.add(s.snapshotId()));
    Set<String> keptManifests = new HashSet<>();
    Set<String> keptFiles = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      if (!expiringIds.contains(snapshot.snapshotId())) {
        for (ManifestFile manifest : snapshot.allManifests(io)) {
          if (keptManifests.add(manifest.path())) {
            forEachFile(manifest, table, (path, size, isDelete) -> keptFiles.add(path));
          }
        }
      }
    }
    Map<String, long[]> goneFiles = new HashMap<>(); // path -> {size, isDelete}
    Set<String> goneManifests = new HashSet<>();
    long bytes = 0;
    long manifestLists = 0;
    for (Snapshot snapshot : expiring) {
      if (snapshot.manifestListLocation() != null) {
        manifestLists++;
        bytes += io.newInputFile(snapshot.manifestListLocation()).getLength();
      }
      for (ManifestFile manifest : snapshot.allManifests(io)) {
        if (!keptManifests.contains(manifest.path()) && goneManifests.add(manifest.path())) {
          bytes += manifest.length();
          forEachFile(manifest, table, (path, size, isDelete) -> {
            if (!keptFiles.contains(path)) {
              goneFiles.put(path, new long[] {size, isDelete ? 1 : 0});
            }
          });
        }
      }
    }
    long deletes = goneFiles.values().stream().filter(v -> v[1] == 1).count();
    bytes += goneFiles.values().stream().mapToLong(v -> v[0]).sum();
    return new Files(goneFiles.size() - deletes, deletes, goneManifests.size(), manifestLists, bytes);
  }

  private interface FileVisitor {
    void visit(String path, long size, boolean isDelete);
  }

  private static void forEachFile(ManifestFile manifest, Table table, FileVisitor visitor) {
    FileIO io = table.io();
    boolean deletes = manifest.content() == org.apache.iceberg.ManifestContent.DELETES;
    try (CloseableIterable<? extends ContentFile<?>> files = deletes
        ? ManifestFiles.readDeleteManifest(manifest, io, table.specs())
        : ManifestFiles.read(manifest, io, table.specs())) {
      for (ContentFile<?> file : files) {
        visitor.visit(file.location(), file.fileSizeInBytes(), deletes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
