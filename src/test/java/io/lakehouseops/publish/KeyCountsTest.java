package io.lakehouseops.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The counts of a batch less the rows dedupe drops, derived without reading the rows again:
 * only when the dropped rows are exactly the duplicates and the counts per date are per row.
 */
class KeyCountsTest {
  private static final LocalDate JUNE_1 = LocalDate.parse("2026-06-01");
  private static final LocalDate JUNE_2 = LocalDate.parse("2026-06-02");

  /** 10 rows, 3 of them repeats of other rows' keys, counted by their hashes (per row dates). */
  private static KeyCounts hashedWithRepeats() {
    return new KeyCounts(10, 3, 0, Map.of(JUNE_1, 6L, JUNE_2, 3L), 10, 5, List.of(7L, 9L));
  }

  @Test
  void theDuplicatesDroppedLeaveEachKeyOnceAndTheRestPerDate() {
    KeyCounts left = hashedWithRepeats().withoutDuplicates(3, Map.of(JUNE_1, 2L));

    assertEquals(7, left.rows());
    assertTrue(left.keysUnique());
    assertEquals(Map.of(JUNE_1, 4L, JUNE_2, 3L), left.byDate(), "one dropped row had no event date");
    assertEquals(1.0, left.keyUniqueness());
  }

  @Test
  void aDateLeftWithoutRowsIsNotCounted() {
    KeyCounts left = hashedWithRepeats().withoutDuplicates(3, Map.of(JUNE_2, 3L));

    assertEquals(Map.of(JUNE_1, 6L), left.byDate());
  }

  @Test
  void anythingButTheDuplicatesDroppedIsNotDerived() {
    assertNull(hashedWithRepeats().withoutDuplicates(2, Map.of(JUNE_1, 2L)), "fewer rows than the duplicates");
    assertNull(hashedWithRepeats().withoutDuplicates(3, Map.of(JUNE_2, 4L)), "more rows of a date than it has");
  }

  @Test
  void countsGroupedByKeyAreNotDerived() {
    // Grouped by key, a repeated key's rows count under one of its dates: not per row.
    KeyCounts grouped = new KeyCounts(10, 3, 0, Map.of(JUNE_1, 6L, JUNE_2, 4L), 10, 5, List.of());

    assertNull(grouped.withoutDuplicates(3, Map.of(JUNE_1, 3L)));
  }
}
