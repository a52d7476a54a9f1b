package io.lakehouseops.erase;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.publish.AuditBranch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;

/**
 * The tags and branches of a table whose snapshot still holds a subject's row: an erasure
 * cannot expire what they pin. The project's own refs (promote's audit_* staging branches,
 * the certified tags and branch, which the next clean publish makes again) are dropped as a
 * matter of course; others stop the request unless it releases them.
 */
final class PinnedRefs {
  private PinnedRefs() {}

  /** The refs this project makes: audit branches, and the dataset's certified tags and branch. */
  record Own(String certifiedTagPrefix, String certifiedBranch) {
    boolean contains(String name, boolean tag) {
      return tag ? name.startsWith(certifiedTagPrefix) : name.startsWith(AuditBranch.PREFIX) || name.equals(certifiedBranch);
    }
  }

  /** A ref other than main, what its snapshot holds of the subjects, and whether the project made it. */
  record Pin(TableRef table, String name, boolean tag, long snapshotId, long rows, boolean own) {

    String describe() {
      return (tag ? "tag '" : "branch '") + name + "' of " + table + " (snapshot " + snapshotId + ", " + rows
          + " rows of the subjects)";
    }
  }

  /**
   * The refs besides main whose snapshot holds a subject's row, and every audit branch. found:
   * the current snapshot's rows by file, so files shared with it are not read again.
   */
  static List<Pin> find(SparkSession spark, TableRef ref, Subjects subjects, TableEraser.Found found, Own own) {
    Table table = Tables.load(spark, ref);
    List<Pin> pins = new ArrayList<>();
    DataFilesScan scan = new DataFilesScan(spark);
    for (Map.Entry<String, SnapshotRef> entry : table.refs().entrySet()) {
      String name = entry.getKey();
      SnapshotRef snapshotRef = entry.getValue();
      if (name.equals(SnapshotRef.MAIN_BRANCH)) {
        continue;
      }
      long snapshotId = snapshotRef.snapshotId();
      if (snapshotRef.isBranch() && name.startsWith(AuditBranch.PREFIX)) {
        pins.add(new Pin(ref, name, false, snapshotId, 0, true));
        continue;
      }
      Map<String, FileScanTask> tasks = DataFilesScan.tasks(table, table.snapshot(snapshotId));
      long rows = 0;
      List<String> unread = new ArrayList<>();
      for (String location : tasks.keySet()) {
        if (found.scanned().contains(location)) {
          rows += found.rowsByFile().getOrDefault(location, 0L);
        } else {
          unread.add(location);
        }
      }
      rows += scan.matchingRows(unread, subjects).values().stream().mapToLong(Long::longValue).sum();
      if (rows > 0) {
        pins.add(new Pin(ref, name, snapshotRef.isTag(), snapshotId, rows, own.contains(name, snapshotRef.isTag())));
      }
    }
    return pins;
  }

  /** Drops the refs (one metadata commit). */
  static void release(SparkSession spark, TableRef ref, List<Pin> pins) {
    if (pins.isEmpty()) {
      return;
    }
    Table table = Tables.load(spark, ref);
    table.refresh();
    var manage = table.manageSnapshots();
    for (Pin pin : pins) {
      if (!table.refs().containsKey(pin.name())) {
        continue;
      }
      manage = pin.tag() ? manage.removeTag(pin.name()) : manage.removeBranch(pin.name());
    }
    manage.commit();
  }
}
