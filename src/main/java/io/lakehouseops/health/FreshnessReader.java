package io.lakehouseops.health;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.iceberg.PartitionDates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Measures a dataset's freshness from metadata alone: the newest partition's event date and
 * the newest snapshot a promote or backfill committed. No data file is opened.
 */
final class FreshnessReader {
  /** The commands whose snapshots publish a dataset's rows. */
  private static final Set<String> PUBLISHING = Set.of("promote", "backfill");

  private FreshnessReader() {}

  /** live: the table's live files, as health read them. */
  static Freshness measure(DatasetSettings dataset, Instant asOf, Table table, LiveFiles live) {
    int sla = dataset.slaHours();
    // Day D is due sla hours after it ends: by as_of, every day through this one.
    LocalDate due = asOf.minus(Duration.ofHours(sla)).atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
    LocalDate newest = newestEventDate(table, live, dataset.eventTime());
    Instant published = lastPublished(table);
    if (newest == null) {
      return new Freshness(dataset.name(), sla, asOf.toString(), null, text(published), due.toString(),
          0, FreshnessStatus.NO_DATA);
    }
    if (!newest.isBefore(due)) {
      return new Freshness(dataset.name(), sla, asOf.toString(), newest.toString(), text(published),
          due.toString(), 0, FreshnessStatus.OK);
    }
    // The first missing day was due sla hours after it ended.
    Instant firstMissingDue = newest.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(sla));
    double lag = Math.round(Duration.between(firstMissingDue, asOf).toMinutes() / 6.0) / 10.0;
    return new Freshness(dataset.name(), sla, asOf.toString(), newest.toString(), text(published), due.toString(),
        lag, FreshnessStatus.LATE);
  }

  /**
   * The newest event date of the table's partitions or, when they are not dated, of the event
   * time's upper bounds in the data files' metrics; null without data.
   */
  private static LocalDate newestEventDate(Table table, LiveFiles live, String eventTime) {
    String column = eventTime.isBlank() ? null : eventTime;
    boolean dated = table.specs().values().stream().anyMatch(spec -> PartitionDates.timeField(spec, column) >= 0);
    if (dated) {
      return live.newestEventDate(table, column);
    }
    return column == null ? null : newestUpperBound(table, column);
  }

  private static LocalDate newestUpperBound(Table table, String column) {
    Types.NestedField field = table.schema().findField(column);
    if (field == null || table.currentSnapshot() == null) {
      return null;
    }
    Long newest = null;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      for (FileScanTask task : tasks) {
        ByteBuffer bound = task.file().upperBounds() == null ? null : task.file().upperBounds().get(field.fieldId());
        if (bound != null) {
          Object value = Conversions.fromByteBuffer(field.type(), bound);
          long micros = value instanceof Integer days ? days * 86_400_000_000L : (Long) value;
          newest = newest == null ? micros : Math.max(newest, micros);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return newest == null ? null
        : Instant.ofEpochSecond(Math.floorDiv(newest, 1_000_000L)).atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** When a promote or backfill last committed to main (else the current snapshot's time). */
  private static Instant lastPublished(Table table) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return null;
    }
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
      // Snapshots of other writers (Spark SQL, Trino, Iceberg's own actions) carry no command;
      // Set.of's contains refuses null.
      String command = snapshot.summary().get("lakehouse.command");
      if (command != null && PUBLISHING.contains(command)) {
        return Instant.ofEpochMilli(snapshot.timestampMillis());
      }
    }
    return Instant.ofEpochMilli(current.timestampMillis());
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
