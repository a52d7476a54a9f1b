package io.lakehouseops.cli;

import io.lakehouseops.backfill.BackfillJob;
import io.lakehouseops.backfill.BackfillRequest;
import io.lakehouseops.run.JobOutcome;
import java.time.LocalDate;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reprocesses a date range and MERGEs it into the curated table, with an audit log. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
    description = "Reprocesses the event dates --from..--to of a dataset into its curated table: "
        + "from the raw zone through promote's contract, cleaning and quality gate (or from "
        + "corrected rows with --source/--source-sql), MERGEd on the keys and event date in "
        + "chunks of --chunk-days, one commit each, every partition logged in "
        + "ops.backfill_audit_log. Re-run with the same --backfill-id to resume. Exit 3 when "
        + "a partition fails the gate (it is quarantined, the others continue).")
public class BackfillCommand extends JobCommand {

  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Configured dataset.")
  String dataset;

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First event date.")
  LocalDate from;

  @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last event date (inclusive).")
  LocalDate to;

  @Option(names = "--triggered-by", required = true, paramLabel = "WHY",
      description = "manual | quality_failure | bug_fix | late_data (audit log and snapshot summary).")
  String triggeredBy;

  @ArgGroup(exclusive = true)
  Source source;

  /** Corrected rows instead of the raw zone. */
  static class Source {
    @Option(names = "--source", paramLabel = "NS.TABLE",
        description = "Table of corrected rows with the curated table's columns.")
    String table;

    @Option(names = "--source-sql", paramLabel = "SELECT",
        description = "Query returning corrected rows with the curated table's columns.")
    String sql;
  }

  @Option(names = "--backfill-id", paramLabel = "ID",
      description = "Names this backfill in the audit log; re-use it to resume (default: the run id).")
  String backfillId;

  @Option(names = "--delete-missing", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
      description = "Delete the curated rows of each reprocessed date whose key the source lacks "
          + "(--delete-missing=false spells out the default, for templated callers).")
  boolean deleteMissing;

  @Option(names = "--chunk-days", paramLabel = "N",
      description = "Event dates per commit (default lakehouse.backfill.chunk-days, 1).")
  Integer chunkDays;

  @Option(names = "--force", description = "Allow a range longer than lakehouse.backfill.max-days.")
  boolean force;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) throws Exception {
    var settings = context.settings();
    var target = settings.dataset(dataset);
    target.requirePromotable();
    BackfillRequest request = BackfillRequest.resolve(settings.config(), new BackfillRequest.Options(dataset,
        from, to, triggeredBy, source == null ? null : source.table, source == null ? null : source.sql,
        backfillId, deleteMissing, chunkDays, force, dryRun.dryRun), context.runId(), context.dagRunId());
    JobOutcome outcome = new BackfillJob(context.spark(), settings, target, request).execute();
    if (!dryRun.dryRun) {
      context.alerts().afterBackfill(target, outcome);
    }
    return outcome;
  }
}
