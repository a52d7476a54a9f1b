package io.lakehouseops.retention;

import java.time.LocalDate;

/** A legal hold: event dates from..to (inclusive) kept whatever the retention limit. */
public record Hold(LocalDate from, LocalDate to, String reason) {
  /** Whether a partition covering first..last shares a date with the hold. */
  boolean covers(LocalDate first, LocalDate last) {
    return !last.isBefore(from) && !first.isAfter(to);
  }
}
