package io.lakehouseops.health;

import java.util.ArrayList;
import java.util.List;

/** Turns a table's health into the maintenance it needs, each with its reason and command. */
public final class Recommendations {
  private Recommendations() {}

  public static List<Recommendation> of(TableHealth h, DeleteHealth deletes, HealthSettings s) {
    String table = "--table " + h.table();
    List<Recommendation> result = new ArrayList<>();
    if (h.compactableSmallFiles() >= s.minCompactableFiles()
        && (double) h.compactableSmallFiles() / Math.max(1, h.dataFiles()) >= s.smallFileShare()) {
      result.add(new Recommendation("compact", h.compactableSmallFiles() + " of " + h.dataFiles()
          + " data files are small files sharing a partition (under " + Math.round(s.smallFileRatio() * 100)
          + "% of the " + h.targetFileSizeBytes() + "-byte target)", "lakehouse-ops compact " + table));
    }
    if (deletes.equalityDeleteFiles() > 0) {
      result.add(equalityDeletes(deletes, table));
    } else if (h.deleteFiles() >= s.maxDeleteFiles() || h.deleteFiles() > 0 && h.deleteFileRatio() > s.deleteRatio()) {
      result.add(new Recommendation("rewrite-deletes", h.deleteFiles() + " delete files for "
          + h.dataFiles() + " data files slow every read", "lakehouse-ops compact " + table + " --rewrite-deletes"));
    }
    if (h.manifests() > s.maxManifests()) {
      result.add(new Recommendation("rewrite-manifests", h.manifests() + " manifests (more than "
          + s.maxManifests() + ") slow query planning", "lakehouse-ops compact " + table + " --rewrite-manifests"));
    }
    boolean old = h.oldestSnapshotAgeHours() != null
        && h.oldestSnapshotAgeHours() > s.maxSnapshotAge().toMinutes() / 60.0;
    if (h.snapshots() > s.maxSnapshots() || old) {
      result.add(new Recommendation("expire-snapshots", h.snapshots() + " snapshots, the oldest "
          + h.oldestSnapshotAgeHours() + " hours old (limits: " + s.maxSnapshots() + " snapshots, "
          + s.maxSnapshotAge().toHours() + " hours)", "lakehouse-ops expire-snapshots " + table));
    }
    if (h.partitionsPastTieringPolicy() != null && h.partitionsPastTieringPolicy() > 0) {
      result.add(new Recommendation("tier", h.partitionsPastTieringPolicy()
          + " partitions are older than the tiering policy allows in their storage class",
          "lakehouse-ops tier " + table));
    }
    return result;
  }

  /**
   * Equality deletes (a streaming upsert writer's): every read joins them with each data file
   * of their partition, so any of them is worth applying. compact --rewrite-deletes rewrites
   * the data files they apply to (delete-file-threshold 1), which applies them, removes the
   * delete files left dangling and rewrites the position deletes; the maintenance DAG runs
   * exactly that.
   */
  private static Recommendation equalityDeletes(DeleteHealth d, String table) {
    String worst = d.partitions().stream().limit(3)
        .map(p -> p.partition() + " " + Math.round(p.deleteRatio() * 100) + "%").toList().toString();
    return new Recommendation("rewrite-deletes", d.equalityDeleteFiles() + " equality-delete files ("
        + d.equalityDeleteRows() + " rows) in " + d.partitionsWithDeletes()
        + " partitions make a full read touch about "
        + d.readAmplification() + " rows per live row" + (d.danglingDeleteFiles() > 0 ? "; " + d.danglingDeleteFiles()
        + " delete files are dangling" : "") + "; most deleted: " + worst,
        "lakehouse-ops compact " + table + " --rewrite-deletes");
  }
}
