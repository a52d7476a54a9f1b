package io.lakehouseops.backfill;

import com.typesafe.config.Config;
import io.lakehouseops.run.BadInputException;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * What to backfill: the dataset, the range and why, where the rows come from (the raw zone
 * when both source fields are null) and how: replace missing rows, dry run.
 */
public record BackfillRequest(
    String dataset,
    BackfillRange range,
    TriggeredBy triggeredBy,
    String sourceTable,
    String sourceSql,
    String backfillId,
    boolean deleteMissing,
    boolean dryRun,
    String runId,
    String dagRunId) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:+-]{1,200}");

  /** What the command line asks for; null where it leaves the choice to the config. */
  public record Options(String dataset, LocalDate from, LocalDate to, String triggeredBy, String sourceTable,
      String sourceSql, String backfillId, boolean deleteMissing, Integer chunkDays, boolean force,
      boolean dryRun) {}

  /**
   * The request the options make under lakehouse.backfill (chunk-days, max-days), checked:
   * the range, the reason, the backfill id (the run id when none is given).
   */
  public static BackfillRequest resolve(Config config, Options options, String runId, String dagRunId) {
    Config backfill = config.getConfig("lakehouse.backfill");
    BackfillRange range = BackfillRange.of(options.from(), options.to(),
        options.chunkDays() != null ? options.chunkDays() : backfill.getInt("chunk-days"),
        backfill.getInt("max-days"), options.force());
    String id = options.backfillId() != null ? options.backfillId() : runId;
    if (!ID.matcher(id).matches()) {
      throw new BadInputException("Invalid --backfill-id '" + id + "': use 1 to 200 letters, digits "
          + "or _ . : + -");
    }
    return new BackfillRequest(options.dataset(), range, TriggeredBy.parse(options.triggeredBy()),
        options.sourceTable(), options.sourceSql(), id, options.deleteMissing(), options.dryRun(), runId, dagRunId);
  }

  public boolean fromRaw() {
    return sourceTable == null && sourceSql == null;
  }

  /** The source as the report and the lineage name it. */
  public String sourceLabel() {
    if (sourceTable != null) {
      return "table " + sourceTable;
    }
    return sourceSql != null ? "query" : "raw";
  }
}
