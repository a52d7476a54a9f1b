package io.lakehouseops.testing;

import io.lakehouseops.config.ConfigLoader;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.iceberg.LakehouseSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * One lakehouse and one SparkSession per test JVM: a temp folder with a SQLite JDBC catalog,
 * a warehouse and a raw zone, and a config file that in-process CLI runs pass with --config,
 * so jobs join the same session and catalog. Tests keep apart by dataset and table names.
 */
public final class TestLakehouse {
  /** The sample user_events' quality rules (the shipped ones, without a minimum day volume). */
  public static final String USER_EVENTS_RULES = """
      { rule = complete, column = event_id }
      { rule = unique, columns = [event_id] }
      { rule = non-negative, column = user_id }
      { rule = allowed-values, column = event_type,
        values = [page_view, click, add_to_cart, purchase, signup, logout] }
      { rule = pattern, column = country, regex = "^[A-Z]{2}$", level = warn }
      { rule = row-count, min = 1 }
      """;

  private static Path root;
  private static Path configFile;
  private static SparkSession spark;

  private TestLakehouse() {}

  public static synchronized Path root() {
    if (root == null) {
      try {
        root = TempTrees.create("lakehouse-test-");
        configFile = root.resolve("test.conf");
        Files.writeString(configFile, config(root));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  /** The config file in-process runs use: --config <this>. */
  public static Path configFile() {
    root();
    return configFile;
  }

  public static Path rawZone() {
    return root().resolve("raw");
  }

  public static synchronized SparkSession spark() {
    if (spark == null) {
      LakehouseSettings settings = LakehouseSettings.from(ConfigLoader.load(configFile().toString(), List.of()));
      spark = LakehouseSession.getOrCreate(settings, "lakehouse-ops tests");
    }
    return spark;
  }

  /**
   * A config file declaring one more dataset, NAME, like user_events (same contract and rules)
   * with the given HOCON overrides; its raw data lives in raw/NAME, its table is curated.NAME.
   */
  public static Path configWithDataset(String name, String overrides) {
    return configWithDataset(configFile(), name, overrides);
  }

  /** As above, on top of another base config file (e.g. another catalog's). */
  public static Path configWithDataset(Path base, String name, String overrides) {
    Path file = root().resolve(name + ".conf");
    String text = "include file(\"" + base.toString().replace("\\", "/") + "\")\n"
        + "lakehouse.datasets." + name + " = ${lakehouse.datasets.user_events}\n"
        + "lakehouse.datasets." + name + " { " + overrides + " }\n";
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The project's conf/schemas folder (tests run from the project root). */
  public static Path schemas() {
    return Paths.get("conf", "schemas").toAbsolutePath();
  }

  private static String config(Path root) {
    String r = root.toString().replace("\\", "/");
    return """
        lakehouse {
          catalog {
            name = "lake"
            type = "jdbc"
            uri = "jdbc:sqlite:%1$s/catalog.db?journal_mode=WAL"
            warehouse = "%1$s/warehouse"
          }
          spark {
            master = "local[2]"
            conf {
              spark.sql.shuffle.partitions = 2
              spark.ui.enabled = false
              spark.driver.host = "127.0.0.1"
              spark.driver.bindAddress = "127.0.0.1"
            }
          }
          zones.raw = "%1$s/raw"
          datasets {
            user_events {
              contract = "%2$s/user_events.avsc"
              keys = ["event_id"]
              event-time = "event_ts"
              partition-by = ["days(event_ts)"]
              dedupe-order = ["ingested_at asc"]
              quality {
                rules = [
                  %3$s
                ]
              }
            }
          }
        }
        """.formatted(r, schemas().toString().replace("\\", "/"), USER_EVENTS_RULES);
  }
}
