package io.lakehouseops.publish;

import io.lakehouseops.iceberg.PartitionDates;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The rows a merge-on-read MERGE updated per event date, read from its commit instead of a
 * comparison of every column before it. Under merge-on-read an updated row is a deleted
 * position and a new row in its own partition, a deleted row a deleted position, an inserted
 * row a new row: per date, the commit's new rows are inserts plus updates and its new deleted
 * positions updates plus deletes. The inserts and deletes come exactly from the batch's keys
 * against main's (a join of the key columns alone), so the commit gives the updates, and its
 * new rows must then equal inserts plus updates: a reconciliation the publish fails on.
 *
 * <p>Countable only where each file's partition names one event date (a day or hour of the
 * event-time column, or the column itself as a date, in every partition spec of the table)
 * in the zone event dates are taken in. Under copy-on-write a commit replaces whole files,
 * whose rows it cannot tell apart: there the comparison stays.
 */
final class CommittedChanges {
  private CommittedChanges() {}

  /** Whether a MERGE into the table can be counted from its commit (see the class comment). */
  static boolean countable(Table table, String eventTime, ZoneId sessionZone) {
    String mode = table.properties().getOrDefault(TableProperties.MERGE_MODE, TableProperties.MERGE_MODE_DEFAULT);
    if (!"merge-on-read".equals(mode.toLowerCase(Locale.ROOT))) {
      return false;
    }
    Types.NestedField column = table.schema().caseInsensitiveFindField(eventTime);
    if (column == null) {
      return false;
    }
    // A day partition is a UTC day; to_date of a timestamp with zone is the session's.
    boolean zoned = column.type().typeId() == Type.TypeID.TIMESTAMP && ((Types.TimestampType) column.type())
        .shouldAdjustToUTC();
    if (zoned && !sessionZone.normalized().equals(ZoneOffset.UTC)) {
      return false;
    }
    return table.specs().values().stream().allMatch(spec -> dateField(spec, column.fieldId()) >= 0);
  }

  /**
   * The changes per event date the MERGE made on the branch (whose parent must be before, main
   * as the batch's keys were matched against), given keyed: the inserts and deletes per date
   * those keys make. A branch where the MERGE committed nothing has no changes. The publish
   * fails (main unchanged) when the branch holds other commits, when the commit has a file
   * this cannot place (an equality delete or a replaced data file: not a merge-on-read MERGE,
   * e.g. a table whose write mode changed meanwhile; a re-run compares instead), or when its
   * rows do not reconcile with the keys.
   */
  static Map<LocalDate, RowChanges> onBranch(Table table, String branch, long before, String eventTime,
      Map<LocalDate, RowChanges> keyed) {
    table.refresh();
    Snapshot commit = table.snapshot(table.refs().get(branch).snapshotId());
    if (commit.snapshotId() == before) {
      return Map.of();
    }
    if (commit.parentId() == null || commit.parentId() != before) {
      throw new AuditFailedException("Cannot publish to " + table.name() + ": branch " + branch
          + " holds commits besides the MERGE's; main is unchanged");
    }
    int column = table.schema().caseInsensitiveFindField(eventTime).fieldId();
    SnapshotChanges changes = SnapshotChanges.builderFor(table).snapshot(commit).build();
    Map<LocalDate, long[]> written = new TreeMap<>(); // per date: rows added, positions deleted
    boolean placed = !changes.removedDataFiles().iterator().hasNext();
    for (ContentFile<?> file : changes.addedDataFiles()) {
      placed &= add(table, column, file, written, 0, 1);
    }
    for (ContentFile<?> file : changes.addedDeleteFiles()) {
      placed &= file.content() == FileContent.POSITION_DELETES && add(table, column, file, written, 1, 1);
    }
    // A delete file of a data file that already had one is rewritten with the old positions
    // in it (at most one per data file): the positions it held were deleted before.
    for (ContentFile<?> file : changes.removedDeleteFiles()) {
      placed &= file.content() == FileContent.POSITION_DELETES && add(table, column, file, written, 1, -1);
    }
    if (!placed) {
      throw new AuditFailedException("Cannot publish to " + table.name() + ": the MERGE's commit " + commit.snapshotId()
          + " is not a merge-on-read one whose changes each fall on one event date (did the write mode change?); "
          + "main is unchanged, run again");
    }
    Map<LocalDate, RowChanges> byDate = new TreeMap<>();
    for (LocalDate date : union(written, keyed)) {
      long[] counts = written.getOrDefault(date, new long[2]);
      RowChanges keys = keyed.getOrDefault(date, RowChanges.NONE);
      long updated = counts[1] - keys.deleted();
      if (updated < 0 || counts[0] != keys.inserted() + updated) {
        throw new AuditFailedException("Cannot publish to " + table.name() + ": its commit " + commit.snapshotId()
            + " added " + counts[0] + " rows and deleted " + counts[1] + " on " + date + ", where the batch's keys "
            + "make " + keys.inserted() + " inserts and " + keys.deleted() + " deletes; main is unchanged");
      }
      RowChanges onDate = new RowChanges(keys.inserted(), updated, keys.deleted());
      if (!onDate.isEmpty()) {
        byDate.put(date, onDate);
      }
    }
    return byDate;
  }

  /**
   * Adds a file's records to its date's count at index (times sign); false when its partition
   * names no one date. A null partition value holds the rows without an event date, which
   * belong to no date (the batch's undated rows, inserted).
   */
  private static boolean add(Table table, int column, ContentFile<?> file, Map<LocalDate, long[]> written,
      int index, int sign) {
    PartitionSpec spec = table.specs().get(file.specId());
    int field = dateField(spec, column);
    if (field < 0) {
      return false;
    }
    LocalDate date = PartitionDates.lastDate(spec, field, file.partition());
    if (date != null) {
      written.computeIfAbsent(date, d -> new long[2])[index] += sign * file.recordCount();
    }
    return true;
  }

  /** The position of the spec's field naming one date of the column (day, hour, a date); -1 if none. */
  private static int dateField(PartitionSpec spec, int column) {
    for (int i = 0; i < spec.fields().size(); i++) {
      PartitionField field = spec.fields().get(i);
      String transform = field.transform().toString();
      boolean date = transform.equals("day") || transform.equals("hour") || transform.equals("identity")
          && spec.schema().findType(field.sourceId()).typeId() == Type.TypeID.DATE;
      if (field.sourceId() == column && date) {
        return i;
      }
    }
    return -1;
  }

  private static Set<LocalDate> union(Map<LocalDate, long[]> written, Map<LocalDate, RowChanges> keyed) {
    Set<LocalDate> dates = new TreeSet<>(written.keySet());
    dates.addAll(keyed.keySet());
    return dates;
  }
}
