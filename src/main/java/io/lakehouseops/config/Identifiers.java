package io.lakehouseops.config;

import java.util.regex.Pattern;

/** Validation of names that end up in SQL: letters, digits and underscores only. */
public final class Identifiers {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Identifiers() {}

  public static boolean isIdentifier(String value) {
    return value != null && IDENTIFIER.matcher(value).matches();
  }

  public static String requireIdentifier(String value, String where) {
    if (!isIdentifier(value)) {
      throw new ConfigException("Invalid " + where + ": '" + value
          + "' is not an identifier (letters, digits and _; not starting with a digit)");
    }
    return value;
  }

  /** Back-quoted for Spark SQL; safe because the identifier was validated. */
  public static String quote(String identifier) {
    return "`" + requireIdentifier(identifier, "identifier") + "`";
  }
}
