package io.lakehouseops.publish;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * A filter on an event-time column for a set of event dates that Iceberg can prune with:
 * a range on the column itself per run of consecutive dates, where to_date(column) is not
 * pushed down. A month's promote is one range; a backfill of 30 dates spread over a year is
 * 30 ranges, and reads those 30 days, not the year between the first and the last.
 */
public final class EventDates {
  private final List<Date[]> ranges = new ArrayList<>();
  private final List<Date> dates;

  private EventDates(List<Date> dates) {
    this.dates = dates;
    Date start = null;
    Date end = null;
    for (Date date : dates) {
      if (end != null && date.equals(end)) {
        end = dayAfter(date);
        continue;
      }
      if (start != null) {
        ranges.add(new Date[] {start, end});
      }
      start = date;
      end = dayAfter(date);
    }
    if (start != null) {
      ranges.add(new Date[] {start, end});
    }
  }

  public static EventDates of(List<Date> dates) {
    if (dates.isEmpty()) {
      throw new IllegalArgumentException("no event dates");
    }
    return new EventDates(List.copyOf(new TreeSet<>(dates)));
  }

  public static EventDates ofLocal(List<LocalDate> dates) {
    return of(dates.stream().map(Date::valueOf).toList());
  }

  /** Rows whose event time falls on one of the dates. */
  public Column filter(Column eventTime) {
    Column within = null;
    for (Date[] range : ranges) {
      Column one = eventTime.geq(functions.lit(range[0])).and(eventTime.lt(functions.lit(range[1])));
      within = within == null ? one : within.or(one);
    }
    // The ranges prune; the date test keeps the filter exact for any column type.
    return within.and(functions.to_date(eventTime).isin(dates.toArray()));
  }

  /** The same as SQL on a column reference (already quoted, e.g. t.`ts`), for a MERGE's ON. */
  public String sql(String eventTime) {
    return "(" + ranges.stream()
        .map(r -> "(" + eventTime + " >= " + literal(r[0]) + " AND " + eventTime + " < " + literal(r[1]) + ")")
        .collect(Collectors.joining(" OR ")) + ")";
  }

  private static Date dayAfter(Date date) {
    return Date.valueOf(date.toLocalDate().plusDays(1));
  }

  private static String literal(Date date) {
    return functions.lit(date).expr().sql();
  }
}
