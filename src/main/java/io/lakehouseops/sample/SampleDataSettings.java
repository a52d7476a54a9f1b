package io.lakehouseops.sample;

import io.lakehouseops.run.BadInputException;
import java.time.LocalDate;

/**
 * What sample-data writes: {@code days} raw partitions from {@code start}, and which faults
 * to inject on {@code faultDate} so a quality gate has something to catch.
 */
public record SampleDataSettings(
    LocalDate start,
    int days,
    int rowsPerDay,
    long seed,
    LocalDate faultDate,
    int nullKeys,
    int outOfRange,
    double volumeDrop) {

  public SampleDataSettings {
    require(days >= 1 && days <= 3660, "--days must be between 1 and 3660, cannot be: " + days);
    require(rowsPerDay >= 1, "--rows-per-day must be at least 1, cannot be: " + rowsPerDay);
    require(nullKeys >= 0, "--null-keys must be 0 or more, cannot be: " + nullKeys);
    require(outOfRange >= 0, "--out-of-range must be 0 or more, cannot be: " + outOfRange);
    require(volumeDrop >= 0 && volumeDrop < 1,
        "--volume-drop must be a fraction in [0, 1), cannot be: " + volumeDrop);
    if (faultDate == null) {
      faultDate = start.plusDays(days - 1L);
    }
    require(!faultDate.isBefore(start) && faultDate.isBefore(start.plusDays(days)),
        "--fault-date " + faultDate + " must be one of the generated days " + start + " .. "
            + start.plusDays(days - 1L));
  }

  public boolean hasFaults() {
    return nullKeys > 0 || outOfRange > 0 || volumeDrop > 0;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new BadInputException("Cannot generate sample data: " + message);
    }
  }
}
