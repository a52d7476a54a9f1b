package io.lakehouseops.iceberg;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Type;

/**
 * The event date a file's partition ends on, from its partition values (never from object
 * creation time): day, month, year and hour transforms, or an identity date/timestamp column.
 * A month partition ends on its last day, so it is only as old as its newest events.
 */
public final class PartitionDates {
  private PartitionDates() {}

  /** The time partition field of a spec, preferring one on the given column; -1 if none. */
  public static int timeField(PartitionSpec spec, String preferredColumn) {
    int found = -1;
    for (int i = 0; i < spec.fields().size(); i++) {
      PartitionField field = spec.fields().get(i);
      String transform = field.transform().toString();
      Type source = spec.schema().findType(field.sourceId());
      boolean time = transform.equals("day") || transform.equals("month") || transform.equals("year")
          || transform.equals("hour") || transform.equals("identity") && source != null
          && (source.typeId() == Type.TypeID.DATE || source.typeId() == Type.TypeID.TIMESTAMP);
      if (time && (found < 0 || spec.schema().findColumnName(field.sourceId()).equals(preferredColumn))) {
        found = i;
      }
    }
    return found;
  }

  /**
   * The rows a time partition holds, as an Iceberg expression on its source column (for
   * leaving the partition out of a rewrite), or null when its value is null.
   */
  public static Expression range(PartitionSpec spec, int position, StructLike partition) {
    PartitionField field = spec.fields().get(position);
    String column = spec.schema().findColumnName(field.sourceId());
    Object value = partition.get(position, Object.class);
    if (value == null) {
      return null;
    }
    long v = ((Number) value).longValue();
    if (field.transform().toString().equals("identity")) {
      return spec.schema().findType(field.sourceId()).typeId() == Type.TypeID.DATE
          ? Expressions.equal(column, (int) v) : Expressions.equal(column, v);
    }
    LocalDate epoch = LocalDate.of(1970, 1, 1);
    LocalDateTime start = switch (field.transform().toString()) {
      case "day" -> epoch.plusDays(v).atStartOfDay();
      case "month" -> epoch.plusMonths(v).atStartOfDay();
      case "year" -> epoch.plusYears(v).atStartOfDay();
      default -> epoch.atStartOfDay().plusHours(v);
    };
    LocalDateTime end = switch (field.transform().toString()) {
      case "day" -> start.plusDays(1);
      case "month" -> start.plusMonths(1);
      case "year" -> start.plusYears(1);
      default -> start.plusHours(1);
    };
    return Expressions.and(Expressions.greaterThanOrEqual(column, micros(start)),
        Expressions.lessThan(column, micros(end)));
  }

  private static long micros(LocalDateTime time) {
    return time.toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
  }

  /** The first event date of the partition, or null when the value is null. */
  public static LocalDate firstDate(PartitionSpec spec, int position, StructLike partition) {
    PartitionField field = spec.fields().get(position);
    Object value = partition.get(position, Object.class);
    if (value == null) {
      return null;
    }
    long v = ((Number) value).longValue();
    LocalDate epoch = LocalDate.of(1970, 1, 1);
    return switch (field.transform().toString()) {
      case "month" -> epoch.plusMonths(v);
      case "year" -> epoch.plusYears(v);
      default -> lastDate(spec, position, partition); // a day, an hour or a date: one date
    };
  }

  /** The last event date of the partition, or null when the value is null. */
  public static LocalDate lastDate(PartitionSpec spec, int position, StructLike partition) {
    PartitionField field = spec.fields().get(position);
    String transform = field.transform().toString();
    Object value = partition.get(position, Object.class);
    if (value == null) {
      return null;
    }
    long v = ((Number) value).longValue();
    LocalDate epoch = LocalDate.of(1970, 1, 1);
    return switch (transform) {
      case "day" -> epoch.plusDays(v);
      case "month" -> epoch.plusMonths(v + 1).minusDays(1);
      case "year" -> epoch.plusYears(v + 1).minusDays(1);
      case "hour" -> java.time.Instant.ofEpochSecond(v * 3600).atZone(ZoneOffset.UTC).toLocalDate();
      default -> spec.schema().findType(field.sourceId()).typeId() == Type.TypeID.DATE
          ? epoch.plusDays(v)
          : java.time.Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L)).atZone(ZoneOffset.UTC).toLocalDate();
    };
  }
}
