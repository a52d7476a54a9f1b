package io.lakehouseops.config;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** lakehouse.datasets.NAME: one raw dataset and the curated table it is promoted into. */
public record DatasetSettings(
    String name,
    String owner,
    int slaHours,
    String rawPath,
    String rawFormat,
    String contract,
    TableRef table,
    List<String> keys,
    String eventTime,
    List<String> partitionBy,
    List<String> dedupeOrder,
    boolean appendOnly,
    String writeMode,
    boolean trimStrings,
    boolean emptyStringsAsNull,
    List<String> tieringRules,
    Config config) {

  private static final Set<String> FORMATS = Set.of("avro", "json");
  private static final Set<String> WRITE_MODES = Set.of("", "copy-on-write", "merge-on-read");
  private static final Pattern ORDER = Pattern.compile("(\\w+)(\\s+(asc|desc))?",
      Pattern.CASE_INSENSITIVE);

  static DatasetSettings from(String name, Config lakehouse, CatalogSettings catalog,
      Namespaces namespaces, String rawZone) {
    String path = "lakehouse.datasets." + name;
    Identifiers.requireIdentifier(name, "dataset name at " + path);
    Config c = lakehouse.getConfig("datasets." + name)
        .withFallback(lakehouse.getConfig("dataset-defaults"));
    String format = c.getString("raw.format").toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new ConfigException("Invalid configuration at " + path + ".raw.format: '" + format
          + "' is not one of " + new java.util.TreeSet<>(FORMATS));
    }
    String rawPath = c.getString("raw.path").isBlank()
        ? stripSlash(rawZone) + "/" + name : stripSlash(c.getString("raw.path"));
    String tableText = c.getString("table");
    TableRef table = tableText.isBlank()
        ? new TableRef(catalog.name(), namespaces.curated(), name)
        : TableRef.parse(tableText, catalog.name(), "table at " + path + ".table");
    List<String> keys = columns(c, "keys", path);
    String eventTime = c.getString("event-time");
    if (!eventTime.isEmpty()) {
      Identifiers.requireIdentifier(eventTime, path + ".event-time");
    }
    List<String> partitionBy = Settings.stringList(c, "partition-by", path);
    for (String transform : partitionBy) {
      PartitionTransform.parse(transform, path + ".partition-by");
    }
    String writeMode = c.getString("write-mode").trim().toLowerCase(Locale.ROOT);
    if (!WRITE_MODES.contains(writeMode)) {
      throw new ConfigException("Invalid configuration at " + path + ".write-mode: '" + writeMode
          + "' should be copy-on-write, merge-on-read, or empty for the table's own mode");
    }
    List<String> dedupeOrder = Settings.stringList(c, "dedupe-order", path);
    for (String order : dedupeOrder) {
      if (!ORDER.matcher(order.trim()).matches()) {
        throw new ConfigException("Invalid configuration at " + path + ".dedupe-order: '"
            + order + "' should be a column name, optionally followed by asc or desc");
      }
    }
    return new DatasetSettings(name, c.getString("owner"), c.getInt("sla-hours"), rawPath, format,
        c.getString("contract"), table, keys, eventTime, partitionBy, dedupeOrder,
        c.getBoolean("append-only"), writeMode, c.getBoolean("clean.trim-strings"),
        c.getBoolean("clean.empty-strings-as-null"), Settings.stringList(c, "tiering.rules", path), c);
  }

  private static List<String> columns(Config c, String key, String path) {
    List<String> columns = Settings.stringList(c, key, path);
    for (String column : columns) {
      Identifiers.requireIdentifier(column, "column in " + path + "." + key);
    }
    return columns;
  }

  private static String stripSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * Days after its event date an event may still land in the raw zone: a backfill of event
   * date D reads the raw partitions dt=D to dt=D+this.
   */
  public int lateArrivalDays() {
    int days = config.getInt("late-arrival-days");
    if (days < 0 || days > 31) {
      throw new ConfigException("Invalid configuration at lakehouse.datasets." + name
          + ".late-arrival-days: " + days + " should be 0 to 31");
    }
    return days;
  }

  /** Tables besides curated and quarantine that erase removes the dataset's subjects from. */
  public List<String> eraseAlso() {
    return Settings.stringList(config, "erase.also", "lakehouse.datasets." + name + ".erase.also");
  }

  /** For promote and backfill: the keys a curated table cannot do without. */
  public void requirePromotable() {
    String path = "lakehouse.datasets." + name;
    if (keys.isEmpty()) {
      throw new ConfigException("Invalid configuration at " + path + ".keys: list the key "
          + "columns, e.g. keys = [\"event_id\"]");
    }
    if (eventTime.isEmpty()) {
      throw new ConfigException("Invalid configuration at " + path + ".event-time: name the "
          + "event-time column, e.g. event-time = \"event_ts\"");
    }
    if (contract.isBlank()) {
      throw new ConfigException("Invalid configuration at " + path + ".contract: give the path "
          + "of the contract schema, e.g. contract = \"conf/schemas/" + name + ".avsc\"");
    }
  }
}
