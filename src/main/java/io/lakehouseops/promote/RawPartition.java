package io.lakehouseops.promote;

import io.lakehouseops.run.BadInputException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A raw-zone partition: dt=YYYY-MM-DD, optionally /hour=HH. */
public record RawPartition(LocalDate date, Integer hour) {
  private static final Pattern FORM = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})(?:/hour=(\\d{2}))?");

  public static RawPartition ofDate(String date) {
    return new RawPartition(parseDate(date, "--date"), null);
  }

  /** Parses --partition dt=YYYY-MM-DD[/hour=HH]. */
  public static RawPartition parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new BadInputException("Invalid --partition '" + text
          + "': expected dt=YYYY-MM-DD or dt=YYYY-MM-DD/hour=HH");
    }
    Integer hour = m.group(2) == null ? null : Integer.parseInt(m.group(2));
    if (hour != null && hour > 23) {
      throw new BadInputException("Invalid --partition '" + text + "': hour must be 00 to 23");
    }
    return new RawPartition(parseDate(m.group(1), "--partition"), hour);
  }

  private static LocalDate parseDate(String text, String option) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new BadInputException("Invalid " + option + " '" + text + "': expected a date YYYY-MM-DD");
    }
  }

  /** The partition's path below the dataset's raw root, and its key in reports and ops tables. */
  public String key() {
    return hour == null ? "dt=" + date : String.format("dt=%s/hour=%02d", date, hour);
  }
}
