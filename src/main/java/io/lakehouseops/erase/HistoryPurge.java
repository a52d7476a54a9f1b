package io.lakehouseops.erase;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.Tables;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.ExpireSnapshots;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a table's rewrite: expires every snapshot older than the erasure's commit, whatever
 * the usual retention (any of them may still reference a file that held a subject's row; the
 * one documented exception to expire-snapshots' guards), then deletes what is left of the
 * files the erasure replaced. Idempotent: a re-run after a crash finds the erasure's commits
 * by their request id and finishes the work.
 */
final class HistoryPurge {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryPurge.class);

  private final SparkSession spark;
  private final TableRef ref;
  private final String requestId;

  HistoryPurge(SparkSession spark, TableRef ref, String requestId) {
    this.spark = spark;
    this.ref = ref;
    this.requestId = requestId;
  }

  /** The files this request's commits replaced (data and delete files), and its newest commit. */
  record Replaced(Snapshot newest, Set<String> files) {}

  /** Empty when no commit of the request is in the table's metadata. */
  Optional<Replaced> replaced() {
    Table table = Tables.load(spark, ref);
    table.refresh();
    List<Snapshot> erasures = StreamSupport.stream(table.snapshots().spliterator(), false)
        .filter(s -> requestId.equals(s.summary().get(TableEraser.REQUEST_PROPERTY))).toList();
    if (erasures.isEmpty()) {
      return Optional.empty();
    }
    Set<String> files = new LinkedHashSet<>();
    for (Snapshot erasure : erasures) {
      SnapshotChanges changes = SnapshotChanges.builderFor(table).snapshot(erasure).build();
      changes.removedDataFiles().forEach(f -> files.add(f.location()));
      changes.removedDeleteFiles().forEach(f -> files.add(f.location()));
    }
    Snapshot newest = erasures.stream().max(Comparator.comparingLong(Snapshot::sequenceNumber)).orElseThrow();
    return Optional.of(new Replaced(newest, files));
  }

  /** Snapshots of the table older than the erasure's newest commit: what expiry must remove. */
  long olderSnapshots(Replaced replaced) {
    Table table = Tables.load(spark, ref);
    return StreamSupport.stream(table.snapshots().spliterator(), false)
        .filter(s -> s.sequenceNumber() < replaced.newest().sequenceNumber()).count();
  }

  /** What expiry and the clean-up removed. */
  record Purged(long snapshotsExpired, long filesDeleted, long leftoversDeleted) {}

  Purged purge(Replaced replaced) {
    Table table = Tables.load(spark, ref);
    table.refresh();
    long before = StreamSupport.stream(table.snapshots().spliterator(), false).count();
    spark.sparkContext().setJobDescription("lakehouse-ops erase: expire the snapshots of " + ref
        + " older than the erasure");
    ExpireSnapshots.Result result = SparkActions.get(spark).expireSnapshots(table)
        .expireOlderThan(replaced.newest().timestampMillis())
        .retainLast(1)
        .execute();
    FaultInjection.point("erase.after-expire");
    table.refresh();
    long after = StreamSupport.stream(table.snapshots().spliterator(), false).count();
    long deleted = result.deletedDataFilesCount() + result.deletedPositionDeleteFilesCount()
        + result.deletedEqualityDeleteFilesCount();
    Set<String> referenced = referenced(replaced.files());
    long leftovers = 0;
    for (String file : replaced.files()) {
      // Expiry deletes what it expired; a crash between its commit and its deletes leaves files
      // no snapshot references: removed here.
      if (!referenced.contains(file) && table.io().newInputFile(file).exists()) {
        table.io().deleteFile(file);
        leftovers++;
      }
    }
    LOG.info("Expired {} snapshots of {} older than erasure snapshot {}; {} files deleted by expiry, {} left over "
        + "deleted", before - after, ref, replaced.newest().snapshotId(), deleted, leftovers);
    return new Purged(before - after, deleted, leftovers);
  }

  /** Which of these files a snapshot of the table still references (all_files: data and deletes). */
  Set<String> referenced(Set<String> files) {
    if (files.isEmpty()) {
      return Set.of();
    }
    return spark.table(ref.name() + ".all_files").select("file_path")
        .filter(functions.col("file_path").isin(files.toArray())).distinct().collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  /** How many of these files still exist on storage. */
  long onStorage(Set<String> files) {
    Table table = Tables.load(spark, ref);
    return files.stream().filter(f -> table.io().newInputFile(f).exists()).count();
  }
}
