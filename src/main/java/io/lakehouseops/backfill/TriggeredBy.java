package io.lakehouseops.backfill;

import io.lakehouseops.run.BadInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Why a backfill runs, recorded in the audit log and the snapshot summary. */
public enum TriggeredBy {
  MANUAL, QUALITY_FAILURE, BUG_FIX, LATE_DATA;

  public static TriggeredBy parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new BadInputException("Invalid --triggered-by '" + text + "': use one of " + names());
    }
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(TriggeredBy::label).toList();
  }

  /** The name as written on the command line and in the audit log. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
