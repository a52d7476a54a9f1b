package io.lakehouseops.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One partition transform of a curated table: days(event_ts), bucket(16, id), country. */
public record PartitionTransform(String transform, String column, int buckets) {
  private static final Pattern FORM = Pattern.compile(
      "(?:(identity|years|months|days|hours|year|month|day|hour)\\((\\w+)\\))"
          + "|(?:bucket\\((\\d+),\\s*(\\w+)\\))|(\\w+)");

  /** Parses the configured text; where names the HOCON path for the error. */
  public static PartitionTransform parse(String text, String where) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException("Invalid configuration at " + where + ": '" + text
          + "' is not a partition transform: years|months|days|hours(column), "
          + "bucket(N, column) or a column name");
    }
    PartitionTransform result;
    if (m.group(1) != null) {
      String name = m.group(1).toLowerCase(Locale.ROOT);
      String plural = name.equals("identity") || name.endsWith("s") ? name : name + "s";
      result = new PartitionTransform(plural, m.group(2), 0);
    } else if (m.group(3) != null) {
      result = new PartitionTransform("bucket", m.group(4), Integer.parseInt(m.group(3)));
    } else {
      result = new PartitionTransform("identity", m.group(5), 0);
    }
    Identifiers.requireIdentifier(result.column(), "column in " + where);
    return result;
  }
}
