package io.lakehouseops.compact;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.health.TableHealth;
import io.lakehouseops.health.TableHealthReader;
import io.lakehouseops.iceberg.LineageTable;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.RunStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.RewriteManifests;
import org.apache.iceberg.actions.RewritePositionDeleteFiles;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts one table with Iceberg's own actions: rewrite_data_files (binpack, sort or z-order),
 * optionally position-delete and manifest rewrites. Every commit carries the run id.
 */
public final class CompactJob {
  private static final Logger LOG = LoggerFactory.getLogger(CompactJob.class);
  private static final String RUN_ID = "lakehouse.run-id";

  private final SparkSession spark;
  private final TableRef ref;
  private final CompactSettings settings;
  private final double smallFileRatio;
  private final Map<String, String> commitProperties;

  private final TieringLog tieringLog;

  public CompactJob(SparkSession spark, TableRef ref, CompactSettings settings, double smallFileRatio,
      String runId, TieringLog tieringLog) {
    this.spark = spark;
    this.tieringLog = tieringLog;
    this.ref = ref;
    this.settings = settings;
    this.smallFileRatio = smallFileRatio;
    this.commitProperties = Map.of(RUN_ID, runId, "lakehouse.command", "compact");
  }

  public JobOutcome execute() {
    Expression where = WherePredicate.parse(spark, ref, settings.where());
    Table table = Tables.load(spark, ref);
    requireSortColumns(table);
    TableHealthReader health = new TableHealthReader(spark, smallFileRatio, settings.minInputFiles(), tieringLog);
    // With --where, health counts the files in its scope (cold ones included, before and
    // after alike): a whole-table count would read every manifest twice a run, however small
    // the work (P8).
    String scope = where.op() == Expression.Operation.TRUE ? null : settings.where();
    TableHealth before = health.measure(ref, scope, where);
    ColdPartitions.Exclusion cold = coldPartitions(table);
    Expression filter = Expressions.and(where, cold.keep());
    String coldNote = settings.includeCold() ? "--include-cold: files in colder storage classes are rewritten too"
        : cold.filesSkipped() == 0 ? "no file of this table is in a colder storage class (ops.tiering_log)"
        : cold.filesSkipped() + " files in " + cold.partitions() + " partitions tiered to colder storage "
            + "classes were left out (rewriting them costs retrieval and early-deletion fees; --include-cold to rewrite)";
    EqualityDeletePlan deletePlan = settings.handlesEqualityDeletes(table)
        ? EqualityDeletePlanner.plan(table, filter, settings.equalityDeletes(), settings.smallFileBytes(table),
            settings.deleteRatioThreshold())
        : EqualityDeletePlan.NONE;
    // Partitions whose equality deletes are converted are left out of the data-file rewrite.
    Expression rewriteFilter = deletePlan.converted().isEmpty() ? filter
        : Expressions.and(filter, deletePlan.rewriteFilter());
    // Worked out once: it reads the snapshot summary for equality deletes.
    Map<String, String> options = settings.icebergOptions(table);
    if (settings.dryRun()) {
      List<CompactResult.PlannedGroup> plan = CompactionPlanner.plan(table, rewriteFilter, options);
      LOG.info("Planned {} file groups for {} of {} ({} data files before)", plan.size(),
          settings.strategy(), ref, before.dataFiles());
      CompactResult result = new CompactResult(ref.name(), settings.strategy(), true, plan.size(), 0, 0,
          List.of(), 0, 0, 0, 0, 0, 0, cold.filesSkipped(), coldNote, snapshotId(table), listed(plan),
          equalityDeletes(deletePlan, EqualityDeleteConverter.Converted.NONE), before, before);
      long files = plan.stream().mapToLong(CompactResult.PlannedGroup::inputFiles).sum();
      return new JobOutcome(RunStatus.SUCCEEDED, result, "dry run: would rewrite " + files
          + " files in " + plan.size() + " groups" + (deletePlan.converted().isEmpty() ? ""
          : " and convert the equality deletes of " + deletePlan.converted().size() + " partitions")
          + "; nothing committed");
    }
    // A run is planned once, by the rewrite itself (a plan reads every manifest in scope): the
    // report lists the groups it committed.
    spark.sparkContext().setJobDescription("lakehouse-ops compact: " + settings.strategy() + " " + ref);
    Long started = snapshotId(table);
    RewriteSummary rewrite = rewriteDataFiles(table, rewriteFilter, options);
    if (settings.removeDanglingDeletes()) {
      spark.sparkContext().setJobDescription("lakehouse-ops compact: dangling delete files of " + ref);
      // Iceberg's action commits without snapshot properties: through LineageTable, it has ours.
      SparkActions.get(spark).removeDanglingDeleteFiles(LineageTable.of(Tables.load(spark, ref), commitProperties))
          .execute();
    }
    // Counted from the commits: the rewrite's result leaves out the delete files its commit drops.
    rewrite = rewrite.withRemovedDeleteFiles(deleteFilesRemovedSince(started));
    long deletesRewritten = 0;
    if (settings.removeDanglingDeletes()) {
      spark.sparkContext().setJobDescription("lakehouse-ops compact: position deletes of rewritten files of " + ref);
      Table current = Tables.load(spark, ref);
      deletesRewritten = new PositionDeletesOfRewrittenFiles(spark, commitProperties)
          .rewrite(current, runSnapshots(current, started), filter);
    }
    EqualityDeleteConverter.Converted converted = convertEqualityDeletes(deletePlan);
    if (settings.rewriteDeletes()) {
      spark.sparkContext().setJobDescription("lakehouse-ops compact: position deletes of " + ref);
      RewritePositionDeleteFiles.Result deletes = withCommitProperties(
          SparkActions.get(spark).rewritePositionDeletes(Tables.load(spark, ref)).filter(filter)).execute();
      deletesRewritten += deletes.rewrittenDeleteFilesCount();
    }
    long manifests = 0;
    if (settings.rewriteManifests()) {
      spark.sparkContext().setJobDescription("lakehouse-ops compact: manifests of " + ref);
      RewriteManifests.Result result = SparkActions.get(spark).rewriteManifests(Tables.load(spark, ref))
          .snapshotProperty("lakehouse.command", "compact").execute();
      manifests = count(result.rewrittenManifests());
    }
    TableHealth after = health.measure(ref, scope, where);
    List<String> failed = rewrite.failedGroups();
    CompactResult result = new CompactResult(ref.name(), settings.strategy(), false,
        rewrite.groupsRewritten() + failed.size(), rewrite.groupsRewritten(), failed.size(), failed,
        rewrite.rewrittenFiles(), rewrite.addedFiles(), rewrite.rewrittenBytes(), rewrite.removedDeleteFiles(),
        deletesRewritten, manifests, cold.filesSkipped(), coldNote, snapshotId(Tables.load(spark, ref)),
        listed(rewrite.rewritten()),
        equalityDeletes(deletePlan, converted), before, after);
    boolean nothing = rewrite.rewrittenFiles() == 0 && rewrite.removedDeleteFiles() == 0
        && deletesRewritten == 0 && manifests == 0 && converted.equalityDeleteFilesRemoved() == 0;
    if (nothing) {
      return JobOutcome.nothingToDo(result, "nothing to compact in " + ref + ": no file group "
          + "reaches the rewrite thresholds (--min-input-files " + settings.minInputFiles()
          + ", the target file size; lakehouse.compact.options.rewrite-all=true rewrites anyway)");
    }
    String message = summary(rewrite, converted, deletesRewritten, manifests, before, after);
    if (!failed.isEmpty()) {
      return new JobOutcome(RunStatus.FAILED, result, message + "; " + failed.size()
          + " groups failed to commit (conflicts with concurrent writes); rerun compact to retry them");
    }
    return JobOutcome.succeeded(result).withMessage(message);
  }

  private static List<CompactResult.PlannedGroup> listed(List<CompactResult.PlannedGroup> groups) {
    return groups.subList(0, Math.min(groups.size(), CompactionPlanner.MAX_GROUPS_LISTED));
  }

  /** What was committed, every kind of change named: a run that only removed delete files says so. */
  private static String summary(RewriteSummary rewrite, EqualityDeleteConverter.Converted converted,
      long deletesRewritten, long manifests, TableHealth before, TableHealth after) {
    StringBuilder message = new StringBuilder(rewrite.rewrittenFiles() + " data files rewritten into "
        + rewrite.addedFiles() + " (" + before.dataFiles() + " -> " + after.dataFiles() + " files"
        + (before.scope() == null ? "" : " matching --where") + ")");
    if (converted.equalityDeleteFilesRemoved() > 0) {
      message.append("; ").append(converted.equalityDeleteFilesRemoved()).append(" equality-delete files converted to ")
          .append(converted.deleteFilesAdded()).append(converted.deletionVectors() ? " deletion vectors ("
              : " position-delete files (").append(converted.deletedPositions()).append(" rows of ")
          .append(converted.dataFiles()).append(" data files)");
    }
    if (rewrite.removedDeleteFiles() > 0) {
      message.append("; ").append(rewrite.removedDeleteFiles())
          .append(" delete files removed (applied, or referring to no live data file)");
    }
    if (deletesRewritten > 0) {
      // Rewritten positions of replaced data files are dropped: the delete-file count says how many are left.
      message.append("; ").append(deletesRewritten).append(" position delete files rewritten (")
          .append(before.deleteFiles()).append(" -> ").append(after.deleteFiles()).append(" delete files)");
    }
    if (manifests > 0) {
      message.append("; ").append(manifests).append(" manifests rewritten");
    }
    return message.toString();
  }

  private CompactResult.EqualityDeletes equalityDeletes(EqualityDeletePlan plan,
      EqualityDeleteConverter.Converted converted) {
    return plan.partitions().isEmpty() ? null
        : CompactResult.EqualityDeletes.of(settings.equalityDeletes(), plan, converted);
  }

  /** The converted partitions' equality deletes to position deletes, after the data rewrite. */
  private EqualityDeleteConverter.Converted convertEqualityDeletes(EqualityDeletePlan plan) {
    if (plan.converted().isEmpty()) {
      return EqualityDeleteConverter.Converted.NONE;
    }
    spark.sparkContext().setJobDescription("lakehouse-ops compact: equality deletes to position deletes of " + ref);
    try {
      return new EqualityDeleteConverter(spark, Tables.load(spark, ref), commitProperties).convert(plan.converted());
    } catch (ValidationException | CommitFailedException e) {
      throw new IllegalStateException("Cannot convert the equality deletes of " + ref + ": a concurrent commit "
          + "changed the files they apply to, and the conversion was not committed (the data-file rewrite "
          + "before it was); rerun compact, or narrow it with --where", e);
    }
  }

  private ColdPartitions.Exclusion coldPartitions(Table table) {
    if (settings.includeCold()) {
      return new ColdPartitions.Exclusion(Expressions.alwaysTrue(), 0, 0);
    }
    Set<String> cold = new HashSet<>();
    tieringLog.currentClasses(ref).forEach((path, storageClass) -> {
      if (!"STANDARD".equals(storageClass)) {
        cold.add(path);
      }
    });
    return ColdPartitions.of(table, cold, null);
  }

  /**
   * Tests only: with partial progress each file group is its own commit; the fault point
   * compact.between-group-commits fires after the Nth commit of this table (Iceberg notifies
   * listeners of every snapshot it creates).
   */
  private void armCommitFault(Table table) {
    if (FaultInjection.armed("compact.between-group-commits")) {
      java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
      org.apache.iceberg.events.Listeners.register(event -> {
        if (event.tableName().endsWith(table.name()) || table.name().endsWith(event.tableName())) {
          FaultInjection.crashAfter("compact.between-group-commits", commits.incrementAndGet());
        }
      }, org.apache.iceberg.events.CreateSnapshotEvent.class);
    }
  }

  private RewriteSummary rewriteDataFiles(Table table, Expression filter, Map<String, String> options) {
    if ("zorder".equals(settings.strategy()) && CurveValue.supports(table.schema(), settings.sortColumns())) {
      // Numbers, dates and timestamps: a curve over range-scaled values (see CurveValue),
      // which lets range predicates skip more files than Iceberg's z-order of the raw encodings.
      armCommitFault(table);
      try {
        return new RangeZOrderRewrite(spark, table, settings.curve(), settings.sortColumns(), commitProperties,
            settings.partialProgress())
            .execute(CompactionPlanner.groups(table, filter, options));
      } catch (ValidationException | CommitFailedException e) {
        throw conflict(e);
      }
    }
    RewriteDataFiles action = withCommitProperties(SparkActions.get(spark).rewriteDataFiles(table).filter(filter));
    switch (settings.strategy()) {
      case "sort" -> action = settings.sortColumns().isEmpty() ? action.sort() : action.sort(sortOrder(table));
      case "zorder" -> action = action.zOrder(settings.sortColumns().toArray(String[]::new));
      default -> action = action.binPack();
    }
    for (Map.Entry<String, String> option : options.entrySet()) {
      action = action.option(option.getKey(), option.getValue());
    }
    armCommitFault(table);
    try {
      return RewriteSummary.of(action.execute());
    } catch (IllegalArgumentException e) {
      if (String.valueOf(e.getMessage()).startsWith("Cannot use options")) {
        throw new BadInputException("Invalid compaction option (lakehouse.compact.options): "
            + e.getMessage(), e);
      }
      if (String.valueOf(e.getMessage()).contains("sort order")) {
        throw new BadInputException("Cannot sort " + ref + ": it has no sort order; give "
            + "--sort-columns", e);
      }
      throw e;
    } catch (ValidationException | CommitFailedException e) {
      throw conflict(e);
    }
  }

  private IllegalStateException conflict(RuntimeException e) {
    return new IllegalStateException("Cannot compact " + ref + ": the rewrite conflicted with a "
        + "concurrent commit and nothing was committed; rerun, or use --partial-progress (groups "
        + "commit independently) or a narrower --where to reduce conflicts", e);
  }

  /**
   * The sort or z-order columns, each a column of the table (in any case, as Spark resolves
   * names), checked before anything is planned: Iceberg would find a missing one only once the
   * rewrite runs, and fail with its own message.
   */
  private void requireSortColumns(Table table) {
    for (String column : settings.sortColumns()) {
      if (table.schema().caseInsensitiveFindField(column) == null) {
        throw new BadInputException("Invalid --sort-columns: " + ref + " has no column '" + column + "' (its "
            + "columns: " + String.join(", ", table.schema().columns().stream()
                .map(org.apache.iceberg.types.Types.NestedField::name).toList()) + ")");
      }
    }
  }

  private SortOrder sortOrder(Table table) {
    // The columns were checked (requireSortColumns), in any case: matched here alike.
    SortOrder.Builder builder = SortOrder.builderFor(table.schema()).caseSensitive(false);
    settings.sortColumns().forEach(builder::asc);
    return builder.build();
  }

  private <T extends org.apache.iceberg.actions.SnapshotUpdate<T, ?>> T withCommitProperties(T action) {
    T result = action;
    for (Map.Entry<String, String> property : commitProperties.entrySet()) {
      result = result.snapshotProperty(property.getKey(), property.getValue());
    }
    return result;
  }

  /** Delete files removed by this run's commits after the snapshot `from`, by their summaries. */
  private long deleteFilesRemovedSince(Long from) {
    long removed = 0;
    for (Snapshot s : runSnapshots(Tables.load(spark, ref), from)) {
      removed += Long.parseLong(s.summary().getOrDefault(SnapshotSummary.REMOVED_DELETE_FILES_PROP, "0"));
    }
    return removed;
  }

  /** This run's commits (by its run id) after the snapshot `from`, newest first. */
  private List<Snapshot> runSnapshots(Table table, Long from) {
    List<Snapshot> ours = new ArrayList<>();
    for (Snapshot s = table.currentSnapshot(); s != null && !Objects.equals(s.snapshotId(), from);
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (commitProperties.get(RUN_ID).equals(s.summary().get(RUN_ID))) {
        ours.add(s);
      }
    }
    return ours;
  }

  private static Long snapshotId(Table table) {
    table.refresh();
    return table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
  }

  private static long count(Iterable<?> items) {
    long n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }
}
