package io.lakehouseops.quality;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which past partitions a partition is compared with (quality.anomaly.seasonality): all, or
 * for daily data with a weekly rhythm (weekend traffic), those of the same day of the week.
 */
public enum Seasonality {
  NONE,
  DAY_OF_WEEK;

  private static final Pattern DATE = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})");

  /** none, day-of-week: as the configuration spells it. */
  public String value() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The partition keys comparable with partitionKey (a key without a date: all). */
  public Predicate<String> comparableWith(String partitionKey) {
    if (this == NONE) {
      return key -> true;
    }
    Optional<DayOfWeek> day = dayOf(partitionKey);
    return key -> day.isEmpty() || dayOf(key).equals(day);
  }

  private static Optional<DayOfWeek> dayOf(String partitionKey) {
    Matcher date = DATE.matcher(partitionKey);
    return date.find() ? Optional.of(LocalDate.parse(date.group(1)).getDayOfWeek()) : Optional.empty();
  }
}
