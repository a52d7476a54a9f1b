package io.lakehouseops.backfill;

import io.lakehouseops.run.BadInputException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The event dates a backfill reprocesses, --from to --to inclusive, cut into chunks of
 * --chunk-days dates, each merged as one commit.
 */
public record BackfillRange(LocalDate from, LocalDate to, int chunkDays) {
  /** Checks the range against its guards: ordered, chunked, and not longer than maxDays without force. */
  public static BackfillRange of(LocalDate from, LocalDate to, int chunkDays, int maxDays, boolean force) {
    if (from.isAfter(to)) {
      throw new BadInputException("Invalid range: --from " + from + " is after --to " + to
          + "; give the earlier date first");
    }
    if (chunkDays < 1) {
      throw new BadInputException("Invalid --chunk-days " + chunkDays + ": at least 1");
    }
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    if (days > maxDays && !force) {
      throw new BadInputException("Refusing a backfill of " + days + " days (" + from + " to " + to
          + "): more than lakehouse.backfill.max-days = " + maxDays + "; split the range, or pass "
          + "--force if you mean it");
    }
    return new BackfillRange(from, to, chunkDays);
  }

  public List<List<LocalDate>> chunks() {
    List<List<LocalDate>> chunks = new ArrayList<>();
    List<LocalDate> chunk = new ArrayList<>();
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      chunk.add(date);
      if (chunk.size() == chunkDays) {
        chunks.add(List.copyOf(chunk));
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      chunks.add(List.copyOf(chunk));
    }
    return chunks;
  }
}
