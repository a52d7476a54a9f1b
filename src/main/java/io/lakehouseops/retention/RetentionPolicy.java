package io.lakehouseops.retention;

import com.typesafe.config.Config;
import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.run.BadInputException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dataset's retention (lakehouse.datasets.NAME.retention), with the command line's
 * overrides: partitions whose last event date is more than `days` before asOf are deleted,
 * unless a hold covers them. column: the event-time column whose partition values date them.
 */
public record RetentionPolicy(
    int days,
    String column,
    List<Hold> holds,
    double maxFraction,
    LocalDate asOf,
    boolean force,
    boolean dryRun) {

  private static final Pattern DAYS = Pattern.compile("(\\d+)d");

  /** What the command line can override. */
  public record Overrides(String olderThan, LocalDate asOf, boolean force, boolean dryRun) {}

  /** Whether the dataset has a policy of its own (retention.days above 0). */
  public static boolean configured(DatasetSettings dataset) {
    return dataset.config().getInt("retention.days") > 0;
  }

  public static RetentionPolicy resolve(DatasetSettings dataset, Overrides cli) {
    String path = "lakehouse.datasets." + dataset.name() + ".retention";
    Config c = dataset.config().getConfig("retention");
    int days = cli.olderThan() != null ? days(cli.olderThan()) : c.getInt("days");
    if (days <= 0) {
      if (cli.olderThan() == null) {
        throw new BadInputException("Dataset " + dataset.name() + " has no retention policy: set " + path
            + ".days (e.g. 730) or pass --older-than 730d");
      }
      throw new BadInputException("Invalid --older-than '" + cli.olderThan() + "': a retention of 0 days would "
          + "delete today's data; use at least 1d");
    }
    String column = c.getString("column").isBlank() ? dataset.eventTime() : c.getString("column");
    if (column.isBlank()) {
      throw new ConfigException("Invalid configuration at " + path + ".column: name the event-time column "
          + "whose partitions retention dates (or set the dataset's event-time)");
    }
    double maxFraction = c.getDouble("max-fraction");
    if (maxFraction <= 0 || maxFraction > 1) {
      throw new ConfigException("Invalid configuration at " + path + ".max-fraction: " + maxFraction
          + " should be above 0 and at most 1");
    }
    return new RetentionPolicy(days, column, holds(c, path), maxFraction,
        cli.asOf() != null ? cli.asOf() : LocalDate.now(ZoneOffset.UTC), cli.force(), cli.dryRun());
  }

  /** The first event date kept: partitions ending before it are past the limit. */
  public LocalDate cutoff() {
    return asOf.minusDays(days);
  }

  private static int days(String text) {
    Matcher m = DAYS.matcher(text.trim());
    if (!m.matches()) {
      throw new BadInputException("Invalid --older-than '" + text + "': retention is in whole days, e.g. 730d");
    }
    return Integer.parseInt(m.group(1));
  }

  private static List<Hold> holds(Config c, String path) {
    List<Hold> holds = new ArrayList<>();
    List<? extends Config> configs = c.getConfigList("holds");
    for (int i = 0; i < configs.size(); i++) {
      Config h = configs.get(i);
      String where = path + ".holds[" + i + "]";
      if (!h.hasPath("from") || !h.hasPath("to") || !h.hasPath("reason") || h.getString("reason").isBlank()) {
        throw new ConfigException("Invalid configuration at " + where + ": a hold needs from, to and reason, "
            + "e.g. { from = \"2023-01-01\", to = \"2023-03-31\", reason = \"litigation 4711\" }");
      }
      LocalDate from = date(h.getString("from"), where + ".from");
      LocalDate to = date(h.getString("to"), where + ".to");
      if (to.isBefore(from)) {
        throw new ConfigException("Invalid configuration at " + where + ": to (" + to + ") is before from (" + from
            + ")");
      }
      holds.add(new Hold(from, to, h.getString("reason")));
    }
    return List.copyOf(holds);
  }

  private static LocalDate date(String text, String where) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigException("Invalid configuration at " + where + ": '" + text + "' is not a date YYYY-MM-DD");
    }
  }
}
