package io.lakehouseops.compact;

import com.typesafe.config.Config;
import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.Identifiers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;

/**
 * What compact does to one table: lakehouse.compact defaults with the command line's options
 * on top, validated before any work.
 */
public record CompactSettings(
    String strategy,
    List<String> sortColumns,
    Curve curve,
    String where,
    Long targetFileSizeBytes,
    int minInputFiles,
    boolean partialProgress,
    int maxConcurrentGroups,
    boolean rewriteDeletes,
    boolean rewriteManifests,
    boolean includeCold,
    EqualityDeleteMode equalityDeletes,
    Map<String, String> options,
    boolean dryRun) {

  /** Command-line values; null means "the configured default". */
  public record Overrides(String strategy, List<String> sortColumns, String where,
      String targetFileSize, Integer minInputFiles, Boolean partialProgress,
      Integer maxConcurrentGroups, Boolean rewriteDeletes, Boolean rewriteManifests,
      Boolean includeCold, Integer deleteFileThreshold, Double deleteRatioThreshold, String equalityDeletes,
      boolean dryRun) {}

  public static CompactSettings resolve(Config config, Overrides cli) {
    Config c = config.getConfig("lakehouse.compact");
    String strategy = (cli.strategy() != null ? cli.strategy() : c.getString("strategy"))
        .toLowerCase(Locale.ROOT);
    if (!List.of("binpack", "sort", "zorder").contains(strategy)) {
      throw new ConfigException("Invalid strategy '" + strategy + "' (--strategy or "
          + "lakehouse.compact.strategy): use binpack, sort or zorder");
    }
    List<String> sortColumns = cli.sortColumns() != null ? cli.sortColumns() : c.getStringList("sort-columns");
    sortColumns.forEach(col -> Identifiers.requireIdentifier(col, "--sort-columns"));
    if ("zorder".equals(strategy) && sortColumns.isEmpty()) {
      throw new ConfigException("Invalid --sort-columns: zorder needs the columns to interleave, "
          + "e.g. --strategy zorder --sort-columns user_id,event_ts");
    }
    String size = cli.targetFileSize() != null ? cli.targetFileSize() : c.getString("target-file-size");
    Long targetBytes = size.isBlank() ? null : bytes(size);
    int minInputFiles = cli.minInputFiles() != null ? cli.minInputFiles() : c.getInt("min-input-files");
    int concurrent = cli.maxConcurrentGroups() != null ? cli.maxConcurrentGroups() : c.getInt("max-concurrent-groups");
    if (minInputFiles < 1 || concurrent < 1) {
      throw new ConfigException("Invalid --min-input-files or --max-concurrent-groups: must be at least 1");
    }
    Map<String, String> options = new LinkedHashMap<>(stringMap(c.getConfig("options")));
    if (cli.deleteFileThreshold() != null) {
      if (cli.deleteFileThreshold() < 1) {
        throw new ConfigException("Invalid --delete-file-threshold " + cli.deleteFileThreshold()
            + ": the number of delete files from which a data file is rewritten, at least 1");
      }
      options.put(DELETE_FILE_THRESHOLD, String.valueOf(cli.deleteFileThreshold()));
    }
    if (cli.deleteRatioThreshold() != null) {
      if (cli.deleteRatioThreshold() <= 0 || cli.deleteRatioThreshold() > 1) {
        throw new ConfigException("Invalid --delete-ratio-threshold " + cli.deleteRatioThreshold()
            + ": the share of a file's rows deleted from which it is rewritten, in (0, 1]");
      }
      options.put("delete-ratio-threshold", String.valueOf(cli.deleteRatioThreshold()));
    }
    boolean rewriteDeletes = pick(cli.rewriteDeletes(), c.getBoolean("rewrite-deletes"));
    if (cli.equalityDeletes() != null && !rewriteDeletes) {
      // Only a run that rewrites deletes applies equality deletes: silently ignoring it would hide that.
      throw new ConfigException("Invalid --equality-deletes " + cli.equalityDeletes() + " without --rewrite-deletes: "
          + "equality deletes are only rewritten or converted by a run that rewrites deletes; add --rewrite-deletes");
    }
    return new CompactSettings(strategy, List.copyOf(sortColumns), Curve.parse(c.getString("curve"),
        "lakehouse.compact.curve"), cli.where(), targetBytes, minInputFiles,
        pick(cli.partialProgress(), c.getBoolean("partial-progress")), concurrent,
        rewriteDeletes,
        pick(cli.rewriteManifests(), c.getBoolean("rewrite-manifests")),
        pick(cli.includeCold(), c.getBoolean("include-cold")),
        EqualityDeleteMode.parse(cli.equalityDeletes() != null ? cli.equalityDeletes() : c.getString("equality-deletes")),
        java.util.Collections.unmodifiableMap(options), cli.dryRun());
  }

  private static final String REMOVE_DANGLING_DELETES = "remove-dangling-deletes";

  /**
   * The options handed to Iceberg's rewrite_data_files for this table, in Iceberg's own names.
   * --rewrite-deletes on a table with equality deletes (a streaming upsert writer's) also
   * rewrites every data file one applies to (delete-file-threshold 1, unless given): rewriting
   * position deletes alone would leave them all, and a CDC table needs no tuning of its own;
   * and it keeps the delete files it reads in the executors' cache (cache-delete-files).
   */
  public Map<String, String> icebergOptions(Table table) {
    Map<String, String> result = configuredOptions();
    if (handlesEqualityDeletes(table)) {
      result.putIfAbsent(DELETE_FILE_THRESHOLD, "1");
      // Iceberg's rewrite turns its executor cache of delete files off unless asked: then every
      // data file of a partition opens each of the partition's equality-delete files again.
      result.putIfAbsent(CACHE_DELETE_FILES, "true");
    }
    return result;
  }

  /** Whether this run applies the table's equality deletes: --rewrite-deletes, and it has some. */
  boolean handlesEqualityDeletes(Table table) {
    Snapshot current = table.currentSnapshot();
    return rewriteDeletes && current != null && Long.parseLong(current.summary()
        .getOrDefault(SnapshotSummary.TOTAL_EQ_DELETES_PROP, "0")) > 0;
  }

  /**
   * Files below this size are "small" to Iceberg's bin-pack (its min-file-size-bytes: by
   * default 75% of the target file size, the option's or the table's).
   */
  long smallFileBytes(Table table) {
    String given = options.get("min-file-size-bytes");
    if (given != null) {
      return Long.parseLong(given);
    }
    long target = targetFileSizeBytes != null ? targetFileSizeBytes
        : Long.parseLong(options.getOrDefault("target-file-size-bytes", table.properties().getOrDefault(
            org.apache.iceberg.TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            String.valueOf(org.apache.iceberg.TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT))));
    return (long) (target * 0.75);
  }

  /** Iceberg's delete-ratio-threshold as given, else its default (0.3). */
  double deleteRatioThreshold() {
    return Double.parseDouble(options.getOrDefault("delete-ratio-threshold", "0.3"));
  }

  private static final String DELETE_FILE_THRESHOLD = "delete-file-threshold";
  private static final String CACHE_DELETE_FILES = "cache-delete-files";

  /** The options given (configuration, command line), in Iceberg's own names. */
  private Map<String, String> configuredOptions() {
    Map<String, String> result = new LinkedHashMap<>(options);
    if (targetFileSizeBytes != null) {
      result.put("target-file-size-bytes", String.valueOf(targetFileSizeBytes));
    }
    result.put("min-input-files", String.valueOf(minInputFiles));
    result.put("partial-progress.enabled", String.valueOf(partialProgress));
    result.put("max-concurrent-file-group-rewrites", String.valueOf(maxConcurrentGroups));
    // Run by CompactJob itself (see removeDanglingDeletes), so that commit carries lineage.
    result.remove(REMOVE_DANGLING_DELETES);
    return result;
  }

  /**
   * Whether delete files that no longer apply to a live data file are removed after the data
   * rewrite: with --rewrite-deletes (the rewrite applies deletes and leaves their files
   * dangling), or Iceberg's own option remove-dangling-deletes in lakehouse.compact.options.
   */
  public boolean removeDanglingDeletes() {
    return rewriteDeletes || Boolean.parseBoolean(options.getOrDefault(REMOVE_DANGLING_DELETES, "false"));
  }

  private static final java.util.regex.Pattern SIZE =
      java.util.regex.Pattern.compile("(?i)\\s*(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?\\s*");

  /** 256MB, 1GiB, 512k, 1048576: binary units, as Iceberg's defaults (512MB = 536870912). */
  static long bytes(String size) {
    java.util.regex.Matcher m = SIZE.matcher(size);
    if (!m.matches()) {
      throw new ConfigException("Invalid --target-file-size '" + size + "': use a size such as 256MB or 1GB");
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT).substring(0, 1);
    int shift = switch (unit) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    return Long.parseLong(m.group(1)) << shift;
  }

  private static boolean pick(Boolean cli, boolean configured) {
    return cli != null ? cli : configured;
  }

  private static Map<String, String> stringMap(Config options) {
    Map<String, String> result = new LinkedHashMap<>();
    options.entrySet().forEach(e -> result.put(
        String.join(".", com.typesafe.config.ConfigUtil.splitPath(e.getKey())),
        String.valueOf(e.getValue().unwrapped())));
    return result;
  }
}
