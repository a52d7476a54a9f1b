package io.lakehouseops.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Which of some event dates a table's data files at a snapshot may hold rows of, read from
 * Iceberg's metadata alone: the files a scan of those dates plans, and each file's lower and
 * upper bound of the event-time column. A file without bounds may hold any of the dates. The
 * answer can name a date whose rows were all deleted (a file's bounds do not see its deletes),
 * never leave out one with rows: callers compare and audit the dates it names, which for a
 * date without rows costs a little work and changes nothing. Finding them by a scan of the
 * event-time column was a Spark job over every row of those dates, about a third of a second
 * at each promote of a day with late events.
 */
final class DatesInFiles {
  private final Table table;
  private final String eventTime;
  private final ZoneId sessionZone;

  /** sessionZone: the Spark session's, in which to_date(event time) gives an event date. */
  DatesInFiles(Table table, String eventTime, ZoneId sessionZone) {
    this.table = table;
    this.eventTime = eventTime;
    this.sessionZone = sessionZone;
  }

  /**
   * The dates (a subset of dates) snapshot's files may hold rows of, in order; null when the
   * event-time column's type is not one whose bounds are dates or times (the caller scans).
   */
  List<LocalDate> at(long snapshot, List<LocalDate> dates) {
    Integer schemaId = table.snapshot(snapshot).schemaId();
    Types.NestedField field = (schemaId == null ? table.schema() : table.schemas().get(schemaId)).findField(eventTime);
    if (field == null || dates.isEmpty() || !supported(field.type())) {
      return null;
    }
    Set<LocalDate> wanted = new TreeSet<>(dates);
    Set<LocalDate> found = new TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot)
        .filter(within(field, wanted)).includeColumnStats(List.of(field.name())).planFiles()) {
      for (FileScanTask task : tasks) {
        addDates(task.file(), field, wanted, found);
        if (found.size() == wanted.size()) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of " + table.name() + ": " + e.getMessage(), e);
    }
    return List.copyOf(found);
  }

  private void addDates(DataFile file, Types.NestedField field, Set<LocalDate> wanted, Set<LocalDate> found) {
    ByteBuffer lower = file.lowerBounds() == null ? null : file.lowerBounds().get(field.fieldId());
    ByteBuffer upper = file.upperBounds() == null ? null : file.upperBounds().get(field.fieldId());
    if (lower == null || upper == null) {
      found.addAll(wanted); // no bounds: any of the dates
      return;
    }
    LocalDate first = date(field.type(), Conversions.fromByteBuffer(field.type(), lower));
    LocalDate last = date(field.type(), Conversions.fromByteBuffer(field.type(), upper));
    for (LocalDate date : wanted) {
      if (!date.isBefore(first) && !date.isAfter(last)) {
        found.add(date);
      }
    }
  }

  private static boolean supported(Type type) {
    return type.typeId() == Type.TypeID.DATE || type.typeId() == Type.TypeID.TIMESTAMP;
  }

  /** The event date of a bound: a date, or a time in the session's zone (UTC for one without a zone). */
  private LocalDate date(Type type, Object bound) {
    if (type.typeId() == Type.TypeID.DATE) {
      return LocalDate.ofEpochDay((Integer) bound);
    }
    long micros = (Long) bound; // in seconds and micros: a bound far from 1970 overflows nanoseconds
    Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    return ((Types.TimestampType) type).shouldAdjustToUTC()
        ? instant.atZone(sessionZone).toLocalDate()
        : instant.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  /** Rows on one of the dates: a range on the column per run of consecutive dates (pruned by partition and file). */
  private Expression within(Types.NestedField field, Set<LocalDate> dates) {
    Expression any = Expressions.alwaysFalse();
    LocalDate first = null;
    LocalDate next = null;
    for (LocalDate date : dates) { // in order
      if (date.equals(next)) {
        next = date.plusDays(1);
        continue;
      }
      if (first != null) {
        any = Expressions.or(any, range(field, first, next));
      }
      first = date;
      next = date.plusDays(1);
    }
    return first == null ? any : Expressions.or(any, range(field, first, next));
  }

  private Expression range(Types.NestedField field, LocalDate from, LocalDate until) {
    return Expressions.and(Expressions.greaterThanOrEqual(field.name(), start(field.type(), from)),
        Expressions.lessThan(field.name(), start(field.type(), until)));
  }

  /** The first value of a date, in the column's representation (days, or microseconds). */
  private Object start(Type type, LocalDate date) {
    if (type.typeId() == Type.TypeID.DATE) {
      return (int) date.toEpochDay();
    }
    Instant midnight = ((Types.TimestampType) type).shouldAdjustToUTC()
        ? date.atStartOfDay(sessionZone).toInstant()
        : date.atStartOfDay().toInstant(ZoneOffset.UTC);
    return Math.multiplyExact(midnight.getEpochSecond(), 1_000_000L);
  }
}
