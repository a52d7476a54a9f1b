package io.lakehouseops.iceberg;

import io.lakehouseops.config.CatalogSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.Locations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds (or joins) the SparkSession with the Iceberg SQL extensions and the configured
 * catalog. Values given to spark-submit (--master, --conf) win over the config file.
 */
public final class LakehouseSession {
  private static final Logger LOG = LoggerFactory.getLogger(LakehouseSession.class);
  static final String EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";

  private LakehouseSession() {}

  public static SparkSession getOrCreate(LakehouseSettings settings, String appName) {
    prepareLocalCatalog(settings.catalog());
    SparkConf submitted = new SparkConf(); // reads spark.* system properties set by spark-submit
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!submitted.contains("spark.master")) {
      builder.master(settings.spark().master());
    }
    Map<String, String> conf = new LinkedHashMap<>(settings.spark().conf());
    conf.putAll(catalogConf(settings.catalog()));
    conf.putIfAbsent("spark.sql.extensions", EXTENSIONS);
    conf.putIfAbsent("spark.sql.session.timeZone", "UTC");
    conf.forEach((key, value) -> {
      if (!submitted.contains(key)) {
        builder.config(key, value);
      }
    });
    return builder.getOrCreate();
  }

  /** SQLite does not create the folder of its database file; the embedded default needs it. */
  private static void prepareLocalCatalog(CatalogSettings catalog) {
    Path sqlite = Locations.sqliteFile(catalog.uri());
    if ("jdbc".equals(catalog.type()) && sqlite != null && sqlite.getParent() != null) {
      try {
        Files.createDirectories(sqlite.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the folder of the SQLite catalog "
            + sqlite.getParent() + " (lakehouse.catalog.uri)", e);
      }
    }
    if ("hadoop".equals(catalog.type())) {
      LOG.warn("The hadoop catalog has no atomic commit on object stores; it is only safe on a "
          + "local or HDFS warehouse ({}). Prefer jdbc, rest, hive or glue.", catalog.warehouse());
    }
  }

  /** spark.sql.catalog.NAME.* for an Iceberg SparkCatalog. */
  public static Map<String, String> catalogConf(CatalogSettings catalog) {
    String prefix = "spark.sql.catalog." + catalog.name();
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
    conf.put(prefix + ".type", catalog.type());
    if (!catalog.uri().isEmpty() && !"glue".equals(catalog.type())) {
      conf.put(prefix + ".uri", catalog.uri());
    }
    if (!catalog.warehouse().isEmpty()) {
      conf.put(prefix + ".warehouse", catalog.warehouse());
    }
    if ("jdbc".equals(catalog.type())) {
      // V1 schema: the JDBC catalog then also stores views.
      conf.put(prefix + ".jdbc.schema-version", "V1");
    }
    catalog.properties().forEach((key, value) -> conf.put(prefix + "." + key, value));
    return conf;
  }
}
