package io.lakehouseops.expire;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.lakehouseops.config.ConfigException;
import io.lakehouseops.run.BadInputException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.actions.DeleteOrphanFiles.PrefixMismatchMode;

/**
 * What expire-snapshots does: lakehouse.expire with the command line on top, and the guards
 * that keep it from deleting what a running job is still writing.
 */
public record ExpireSettings(
    Duration olderThan,
    int retainLast,
    boolean removeOrphans,
    Duration orphanOlderThan,
    int maxConcurrentDeletes,
    Duration auditBranchMaxAge,
    PrefixMismatchMode prefixMismatchMode,
    List<String> namespaces,
    boolean dryRun) {

  /** Command-line values; null means "the configured default". */
  public record Overrides(String olderThan, Integer retainLast, Boolean removeOrphans,
      String orphanOlderThan, Integer maxConcurrentDeletes, boolean dryRun, boolean force) {}

  public static ExpireSettings resolve(Config config, Overrides cli) {
    Config c = config.getConfig("lakehouse.expire");
    Duration olderThan = cli.olderThan() != null ? duration(cli.olderThan(), "--older-than") : c.getDuration("older-than");
    Duration orphanOlderThan = cli.orphanOlderThan() != null
        ? duration(cli.orphanOlderThan(), "--orphan-older-than") : c.getDuration("orphan-older-than");
    int retainLast = cli.retainLast() != null ? cli.retainLast() : c.getInt("retain-last");
    int deletes = cli.maxConcurrentDeletes() != null ? cli.maxConcurrentDeletes() : c.getInt("max-concurrent-deletes");
    if (retainLast < 1) {
      throw new BadInputException("Invalid --retain-last " + retainLast
          + ": at least 1 (the current snapshot is always kept)");
    }
    if (deletes < 1) {
      throw new BadInputException("Invalid --max-concurrent-deletes " + deletes + ": at least 1");
    }
    boolean removeOrphans = cli.removeOrphans() != null ? cli.removeOrphans() : c.getBoolean("remove-orphans");
    Duration guard = c.getDuration("min-retention");
    if (!cli.force()) {
      refuseBelowGuard("--older-than", olderThan, guard);
      if (removeOrphans) {
        refuseBelowGuard("--orphan-older-than", orphanOlderThan, guard);
      }
    }
    PrefixMismatchMode mode;
    try {
      mode = PrefixMismatchMode.valueOf(c.getString("prefix-mismatch-mode").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration at lakehouse.expire.prefix-mismatch-mode: "
          + "use ERROR, IGNORE or DELETE");
    }
    return new ExpireSettings(olderThan, retainLast, removeOrphans, orphanOlderThan, deletes,
        c.getDuration("audit-branch-max-age"), mode, List.copyOf(c.getStringList("namespaces")), cli.dryRun());
  }

  private static void refuseBelowGuard(String option, Duration value, Duration guard) {
    if (value.compareTo(guard) < 0) {
      throw new BadInputException("Refusing " + option + " " + human(value) + ": below the minimum "
          + "retention of " + human(guard) + " (lakehouse.expire.min-retention), running jobs may still be "
          + "writing files younger than that; pass --force if you are sure no job is writing");
    }
  }

  private static Duration duration(String text, String option) {
    Duration duration;
    try {
      duration = ConfigFactory.parseString("d = \"" + text.replace("\"", "") + "\"").getDuration("d");
    } catch (com.typesafe.config.ConfigException e) {
      throw new BadInputException("Invalid " + option + " '" + text + "': use a duration such as 7d, 36h or 90m");
    }
    if (duration.isNegative()) {
      throw new BadInputException("Invalid " + option + " '" + text + "': a retention cannot be negative; "
          + "use a duration such as 7d");
    }
    return duration;
  }

  static String human(Duration d) {
    if (d.toSeconds() % 86_400 == 0 && d.toSeconds() > 0) {
      return d.toDays() + "d";
    }
    if (d.toSeconds() % 3_600 == 0 && d.toSeconds() > 0) {
      return d.toHours() + "h";
    }
    return d.toSeconds() + "s";
  }
}
