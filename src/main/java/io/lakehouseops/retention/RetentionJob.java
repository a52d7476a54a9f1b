package io.lakehouseops.retention;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.Identifiers;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.RunLineage;
import io.lakehouseops.iceberg.TableFiles;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.run.JobOutcome;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a curated table's partitions older than its retention, never the held ones. The age
 * of a partition is its partition value against --as-of, never a file's time. On a table
 * partitioned by event time, whole partitions are dropped from metadata (Iceberg's
 * delete-by-filter on their exact ranges: no file is read or written); otherwise rows are
 * deleted with a rewrite. Refuses (exit 2, nothing changed) to delete the newest partition
 * or more than max-fraction of the rows unless forced. Raw is never touched.
 */
public final class RetentionJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  static final String NOTE = "the raw zone is not touched: its retention is a storage lifecycle rule; "
      + "deleted files are freed by expire-snapshots once no snapshot references them";

  private final SparkSession spark;
  private final DatasetSettings dataset;
  private final RetentionPolicy policy;

  public RetentionJob(SparkSession spark, DatasetSettings dataset, RetentionPolicy policy) {
    this.spark = spark;
    this.dataset = dataset;
    this.policy = policy;
  }

  /** The partitions past the limit, those held, and what the table holds in all. */
  private record Plan(DeleteMode mode, List<RetentionResult.PartitionDeleted> expiring, Expression filter,
      Map<Hold, List<String>> held, LocalDate newest, long totalRows) {
    long rows() {
      return expiring.stream().mapToLong(RetentionResult.PartitionDeleted::rows).sum();
    }

    long bytes() {
      return expiring.stream().mapToLong(RetentionResult.PartitionDeleted::bytes).sum();
    }

    double fraction() {
      return totalRows == 0 ? 0 : Math.round(10_000.0 * rows() / totalRows) / 10_000.0;
    }
  }

  public JobOutcome execute() {
    Table table = Tables.load(spark, dataset.table());
    table.refresh();
    if (table.currentSnapshot() == null) {
      return JobOutcome.nothingToDo(result(emptyPlan(), true, null), dataset.table() + " has no data");
    }
    Plan planned = plan(table);
    Plan plan = planned.mode() == DeleteMode.REWRITE ? rowPlan() : planned;
    for (Map.Entry<Hold, List<String>> held : plan.held().entrySet()) {
      LOG.info("Legal hold {}..{} ({}) keeps {} partitions of {} past the retention limit", held.getKey().from(),
          held.getKey().to(), held.getKey().reason(), held.getValue().size(), dataset.table());
    }
    if (plan.expiring().isEmpty()) {
      return JobOutcome.nothingToDo(result(plan, policy.dryRun(), null), "no partition of " + dataset.table()
          + " ends before " + policy.cutoff() + " outside a hold");
    }
    refuseMistakes(plan);
    String summary = plan.expiring().size() + " partitions (" + plan.rows() + " rows, " + plan.bytes()
        + " bytes) of " + dataset.table() + " ending before " + policy.cutoff();
    if (policy.dryRun()) {
      return JobOutcome.succeeded(result(plan, true, null)).withMessage("dry run: would delete " + summary);
    }
    FaultInjection.point("retention.before-commit");
    Long snapshot = plan.mode() == DeleteMode.METADATA_ONLY ? dropPartitions(table, plan) : deleteRows(plan);
    LOG.info("Deleted {} ({}) in snapshot {}", summary, plan.mode().value(), snapshot);
    return JobOutcome.succeeded(result(plan, false, snapshot)).withMessage("deleted " + summary);
  }

  /**
   * For health, from metadata alone: how many partitions are past the limit outside a hold;
   * empty when the table's partitions are not dated (only a data scan could tell).
   */
  public java.util.Optional<Integer> partitionsPastLimit() {
    Table table = Tables.load(spark, dataset.table());
    table.refresh();
    if (table.currentSnapshot() == null) {
      return java.util.Optional.of(0);
    }
    Plan plan = plan(table);
    return plan.mode() == DeleteMode.METADATA_ONLY ? java.util.Optional.of(plan.expiring().size())
        : java.util.Optional.empty();
  }

  private void refuseMistakes(Plan plan) {
    if (policy.force()) {
      return;
    }
    boolean newest = plan.expiring().stream().anyMatch(p -> p.lastEventDate().equals(String.valueOf(plan.newest())));
    if (newest) {
      throw new BadInputException("Refusing retention of " + dataset.table() + ": it would delete the newest "
          + "partition (" + plan.newest() + ", cutoff " + policy.cutoff() + " from --as-of " + policy.asOf()
          + "), i.e. every row the table has; nothing was changed. Check retention.days and --as-of, or pass --force");
    }
    if (plan.fraction() > policy.maxFraction()) {
      throw new BadInputException("Refusing retention of " + dataset.table() + ": it would delete " + plan.rows()
          + " of " + plan.totalRows() + " rows (" + plan.fraction() + ", above retention.max-fraction "
          + policy.maxFraction() + "); nothing was changed. Check retention.days, or pass --force");
    }
  }

  private Plan plan(Table table) {
    List<TableFiles.TableFile> files;
    try {
      files = TableFiles.list(table, policy.column());
    } catch (BadInputException notTimePartitioned) {
      return new Plan(DeleteMode.REWRITE, List.of(), null, Map.of(), null, 0);
    }
    List<TableFiles.TableFile> data = files.stream().filter(TableFiles.TableFile::data).toList();
    // Live rows: a partition's data rows less its delete files' (position deletes apply
    // within their partition; the delete files leave with it).
    Map<String, Long> deletedRows = new HashMap<>();
    files.stream().filter(f -> !f.data()).forEach(f -> deletedRows.merge(f.partition(), f.records(), Long::sum));
    if (data.stream().anyMatch(f -> f.lastEventDate() == null && f.partitionRange() == null)) {
      // Some files' partitions are not dated (an older spec): only the rows can tell.
      return new Plan(DeleteMode.REWRITE, List.of(), null, Map.of(), null, 0);
    }
    LocalDate cutoff = policy.cutoff();
    Map<String, List<TableFiles.TableFile>> byPartition = new TreeMap<>();
    Map<Hold, List<String>> held = new LinkedHashMap<>();
    LocalDate newest = null;
    long total = 0;
    total -= deletedRows.values().stream().mapToLong(Long::longValue).sum();
    for (TableFiles.TableFile file : data) {
      total += file.records();
      if (file.lastEventDate() == null) {
        continue; // a null event time: no age
      }
      newest = newest == null || file.lastEventDate().isAfter(newest) ? file.lastEventDate() : newest;
      if (!file.lastEventDate().isBefore(cutoff)) {
        continue;
      }
      List<Hold> holding = policy.holds().stream()
          .filter(h -> h.covers(file.firstEventDate(), file.lastEventDate())).toList();
      if (holding.isEmpty()) {
        byPartition.computeIfAbsent(file.partition(), p -> new ArrayList<>()).add(file);
      } else {
        holding.forEach(h -> {
          List<String> kept = held.computeIfAbsent(h, x -> new ArrayList<>());
          if (!kept.contains(file.partition())) {
            kept.add(file.partition());
          }
        });
      }
    }
    List<RetentionResult.PartitionDeleted> expiring = new ArrayList<>();
    List<Expression> ranges = new ArrayList<>();
    for (Map.Entry<String, List<TableFiles.TableFile>> partition : byPartition.entrySet()) {
      List<TableFiles.TableFile> partitionFiles = partition.getValue();
      expiring.add(new RetentionResult.PartitionDeleted(partition.getKey(),
          String.valueOf(partitionFiles.get(0).lastEventDate()),
          partitionFiles.stream().mapToLong(TableFiles.TableFile::records).sum()
              - deletedRows.getOrDefault(partition.getKey(), 0L),
          partitionFiles.stream().mapToLong(TableFiles.TableFile::bytes).sum(), partitionFiles.size()));
      partitionFiles.stream().map(TableFiles.TableFile::partitionRange).filter(Objects::nonNull).distinct()
          .forEach(ranges::add);
    }
    Expression filter = ranges.stream().reduce(Expressions::or).orElse(Expressions.alwaysFalse());
    return new Plan(DeleteMode.METADATA_ONLY, expiring, filter, held, newest, total);
  }

  /** Iceberg's delete by filter on the partitions' exact ranges: whole files leave the metadata. */
  private Long dropPartitions(Table table, Plan plan) {
    DeleteFiles delete = RunLineage.set(table.newDelete())
        .deleteFromRowFilter(plan.filter())
        .set("lakehouse.retention-cutoff", policy.cutoff().toString());
    delete.commit();
    table.refresh();
    return table.currentSnapshot().snapshotId();
  }

  /** A table whose partitions are not dated: the rows' own event time, deleted with a rewrite. */
  private Plan rowPlan() {
    String column = Identifiers.quote(policy.column());
    spark.sparkContext().setJobDescription("lakehouse-ops retention: count the expired rows of " + dataset.table());
    Map<Hold, List<String>> held = new LinkedHashMap<>();
    List<RetentionResult.PartitionDeleted> expiring = new ArrayList<>();
    LocalDate newest = null;
    long total = 0;
    for (Row row : spark.table(dataset.table().name())
        .groupBy(functions.to_date(functions.col(column)).as("d")).count().collectAsList()) {
      long rows = row.getLong(1);
      total += rows;
      if (row.isNullAt(0)) {
        continue;
      }
      LocalDate date = row.getDate(0).toLocalDate();
      newest = newest == null || date.isAfter(newest) ? date : newest;
      if (!date.isBefore(policy.cutoff())) {
        continue;
      }
      List<Hold> holding = policy.holds().stream().filter(h -> h.covers(date, date)).toList();
      if (holding.isEmpty()) {
        expiring.add(new RetentionResult.PartitionDeleted(date.toString(), date.toString(), rows, 0, 0));
      } else {
        holding.forEach(h -> held.computeIfAbsent(h, x -> new ArrayList<>()).add(date.toString()));
      }
    }
    expiring.sort(Comparator.comparing(RetentionResult.PartitionDeleted::partition));
    return new Plan(DeleteMode.REWRITE, expiring, null, held, newest, total);
  }

  private Long deleteRows(Plan plan) {
    String column = Identifiers.quote(policy.column());
    StringBuilder where = new StringBuilder(column + " < " + timestamp(policy.cutoff()));
    for (Hold hold : policy.holds()) {
      where.append(" AND NOT (").append(column).append(" >= ").append(timestamp(hold.from())).append(" AND ")
          .append(column).append(" < ").append(timestamp(hold.to().plusDays(1))).append(")");
    }
    spark.sparkContext().setJobDescription("lakehouse-ops retention: delete the expired rows of " + dataset.table());
    RunLineage.sparkWrites(Map.of("lakehouse.retention-cutoff", policy.cutoff().toString()),
        () -> spark.sql("DELETE FROM " + dataset.table().quoted() + " WHERE " + where));
    Table table = Tables.load(spark, dataset.table());
    table.refresh();
    return table.currentSnapshot().snapshotId();
  }

  private static String timestamp(LocalDate date) {
    return functions.lit(Timestamp.from(date.atStartOfDay(ZoneOffset.UTC).toInstant())).expr().sql();
  }

  private Plan emptyPlan() {
    return new Plan(DeleteMode.METADATA_ONLY, List.of(), Expressions.alwaysFalse(), Map.of(), null, 0);
  }

  private RetentionResult result(Plan plan, boolean dryRun, Long snapshot) {
    List<RetentionResult.HoldApplied> holds = policy.holds().stream().map(h -> new RetentionResult.HoldApplied(
        h.from().toString(), h.to().toString(), h.reason(), plan.held().getOrDefault(h, List.of()))).toList();
    return new RetentionResult(dataset.name(), dataset.table().name(), dryRun, policy.asOf().toString(),
        policy.days(), policy.cutoff().toString(), plan.mode(), plan.expiring(), plan.rows(), plan.bytes(),
        plan.fraction(), holds, snapshot, NOTE);
  }
}
