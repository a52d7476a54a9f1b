package io.lakehouseops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The test lakehouse on a server-backed catalog: the Iceberg JDBC catalog in a fresh
 * PostgreSQL database (one per test JVM, dropped at exit) on the loopback server that
 * scripts/postgres-local.sh starts. Same raw zone and datasets as {@link TestLakehouse}; the
 * catalog is named {@value #CATALOG}, beside the SQLite one.
 *
 * <p>Without the server, tests are skipped with the command that starts it; in CI (CI set in
 * the environment) they fail instead: there the server must run.
 */
public final class PostgresLakehouse {
  public static final String CATALOG = "pglake";
  private static final String HOST = System.getProperty("test.postgres.host", "127.0.0.1");
  private static final String PORT = System.getProperty("test.postgres.port", "5432");
  private static final String USER = System.getProperty("test.postgres.user", "lakehouse");
  private static final String PASSWORD = System.getProperty("test.postgres.password", "lakehouse");
  private static Path configFile;

  private PostgresLakehouse() {}

  /** The config file of the PostgreSQL-backed lakehouse (skips or fails the test without a server). */
  public static synchronized Path configFile() {
    if (configFile == null) {
      String database = "lakehouse_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      createDatabase(database);
      Path root = TestLakehouse.root();
      configFile = root.resolve("postgres.conf");
      write(configFile, """
          include file("%s")
          lakehouse.catalog {
            name = "%s"
            uri = "jdbc:postgresql://%s:%s/%s"
            warehouse = "%s/pg-warehouse"
            properties { "jdbc.user" = "%s", "jdbc.password" = "%s" }
          }
          """.formatted(TestLakehouse.configFile(), CATALOG, HOST, PORT, database, root, USER, PASSWORD));
    }
    return configFile;
  }

  /** A fresh database of its own (dropped at exit): its JDBC URL, for a catalog configured elsewhere. */
  public static String newDatabase() {
    String database = "lakehouse_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    createDatabase(database);
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
  }

  /** The login role's name and password, as jdbc.user and jdbc.password take them. */
  public static String user() {
    return USER;
  }

  public static String password() {
    return PASSWORD;
  }

  /** A config file declaring dataset NAME (as user_events, with HOCON overrides) on this catalog. */
  public static Path configWithDataset(String name, String overrides) {
    return TestLakehouse.configWithDataset(configFile(), name, overrides);
  }

  private static void createDatabase(String database) {
    try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      String reason = "PostgreSQL is not reachable on " + HOST + ":" + PORT + " as role " + USER
          + " (" + e.getMessage() + "); start it with scripts/postgres-local.sh";
      if (System.getenv("CI") != null) {
        throw new AssertionError("CI must run the PostgreSQL catalog tests: " + reason, e);
      }
      Assumptions.abort("Skipped: " + reason);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> dropDatabase(database)));
  }

  /** Best effort: a database left behind holds only this run's catalog rows. */
  private static void dropDatabase(String database) {
    try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("Could not drop test database " + database + ": " + e.getMessage());
    }
  }

  private static Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    properties.setProperty("password", PASSWORD);
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, properties);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
