package io.lakehouseops.config;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Makes local paths absolute at start-up: Iceberg stores locations in table metadata, and a
 * relative one would mean something else from another working directory.
 */
public final class Locations {
  private static final String SQLITE = "jdbc:sqlite:";

  private Locations() {}

  /** file paths without a scheme become absolute; URIs (s3a://, file:/, hdfs://) stay. */
  public static String absolute(String location) {
    if (location.isEmpty() || location.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return location;
    }
    return Paths.get(location).toAbsolutePath().normalize().toString();
  }

  /** jdbc:sqlite:relative/file.db?x=y -> jdbc:sqlite:/abs/relative/file.db?x=y */
  static String absoluteSqliteUri(String uri) {
    if (!uri.startsWith(SQLITE) || uri.startsWith(SQLITE + "/") || uri.contains(":memory:")) {
      return uri;
    }
    String rest = uri.substring(SQLITE.length());
    int query = rest.indexOf('?');
    String file = query < 0 ? rest : rest.substring(0, query);
    String params = query < 0 ? "" : rest.substring(query);
    return SQLITE + absolute(file) + params;
  }

  /** The database file of a jdbc:sqlite: URI, or null for other URIs. */
  public static Path sqliteFile(String uri) {
    if (!uri.startsWith(SQLITE) || uri.contains(":memory:")) {
      return null;
    }
    String rest = uri.substring(SQLITE.length());
    int query = rest.indexOf('?');
    return Paths.get(query < 0 ? rest : rest.substring(0, query));
  }
}
