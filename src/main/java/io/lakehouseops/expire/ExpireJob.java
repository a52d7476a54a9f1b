package io.lakehouseops.expire;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.publish.AuditBranch;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires old snapshots and removes orphan files of one table with Iceberg's actions, after
 * dropping audit branches that crashed promotions left behind. Snapshots a branch or tag
 * still references are kept by Iceberg; live files are never deleted.
 */
public final class ExpireJob {
  private static final Logger LOG = LoggerFactory.getLogger(ExpireJob.class);
  private static final int MAX_ATTEMPTS = 3;
  static final int ORPHANS_LISTED = 100;

  private final SparkSession spark;
  private final TableRef ref;
  private final ExpireSettings settings;

  public ExpireJob(SparkSession spark, TableRef ref, ExpireSettings settings) {
    this.spark = spark;
    this.ref = ref;
    this.settings = settings;
  }

  public JobOutcome execute() {
    Table table = Tables.load(spark, ref);
    table.refresh();
    int before = size(table.snapshots());
    List<String> branches = removeStaleAuditBranches(table);
    long cutoff = Instant.now().minus(settings.olderThan()).toEpochMilli();
    List<Snapshot> expiring = table.expireSnapshots().expireOlderThan(cutoff)
        .retainLast(settings.retainLast()).apply();
    List<Long> ids = expiring.stream().map(Snapshot::snapshotId).toList();
    ExpireResult result;
    if (settings.dryRun()) {
      ExpiredFiles files = ExpiredFiles.planned(operations(table).current(), expiring, table.io());
      Orphans orphans = settings.removeOrphans() ? orphans(table, true, null) : Orphans.NONE;
      result = result(true, before, before - ids.size(), ids, files, orphans, branches);
      return new JobOutcome(RunStatus.SUCCEEDED, result, "dry run: would expire " + ids.size()
          + " snapshots, delete " + files.count() + " files and " + orphans.found + " orphans, freeing "
          + result.bytesFreed() + " bytes; nothing changed");
    }
    ExecutorService pool = Executors.newFixedThreadPool(settings.maxConcurrentDeletes());
    try {
      spark.sparkContext().setJobDescription("lakehouse-ops expire-snapshots: " + ref);
      ExpiredFiles files = expire(table, cutoff, pool);
      FaultInjection.point("expire.before-orphans");
      Orphans orphans = settings.removeOrphans() ? orphans(Tables.load(spark, ref), false, pool) : Orphans.NONE;
      Table after = Tables.load(spark, ref);
      after.refresh();
      result = result(false, before, size(after.snapshots()), ids, files, orphans, branches);
    } finally {
      pool.shutdown();
    }
    if (ids.isEmpty() && result.orphanFilesFound() == 0 && branches.isEmpty()) {
      return JobOutcome.nothingToDo(result, "nothing to expire in " + ref + " (no snapshot older than "
          + ExpireSettings.human(settings.olderThan()) + " beyond the newest " + settings.retainLast() + ")");
    }
    return new JobOutcome(RunStatus.SUCCEEDED, result, "expired " + ids.size() + " snapshots, deleted "
        + (result.dataFilesDeleted() + result.deleteFilesDeleted() + result.manifestsDeleted()
        + result.manifestListsDeleted()) + " files and " + result.orphanFilesDeleted()
        + " orphans, freed " + result.bytesFreed() + " bytes");
  }

  /**
   * Commits the expiry with Iceberg's core API, then deletes what it left unreferenced:
   * ExpiredFiles' walk of the metadata before and after the commit, the files deleted in bulk
   * where the FileIO can (HadoopFileIO: its own parallel deletes; S3FileIO: batches of up to
   * 1,000 keys), content files first, then manifests, then manifest lists, as Iceberg does. Not
   * Iceberg's cleanup: it reports neither counts nor bytes (a delete function counting them
   * would make it give up bulk deletes), its incremental cleanup leaves the files a kept
   * snapshot deleted, and the Spark action's reachability (every manifest before and after, as
   * Spark jobs) took 10 times as long at 2,000 snapshots (P9).
   *
   * <p>Started again (at most MAX_ATTEMPTS times) when the table changed while it ran, as when
   * another expiry of it runs at once: Iceberg's own commit retry then re-applies the ids of its
   * first attempt to the new metadata and fails ("arraySize cannot be negative"). The table is
   * as the jobs committed it, and an expiry of its new state finishes the work.
   */
  private ExpiredFiles expire(Table table, long cutoff, ExecutorService pool) {
    for (int attempt = 1; ; attempt++) {
      TableMetadata before = operations(table).current();
      try {
        table.expireSnapshots().expireOlderThan(cutoff).retainLast(settings.retainLast())
            .cleanExpiredFiles(false).commit();
      } catch (RuntimeException e) {
        table.refresh();
        if (attempt >= MAX_ATTEMPTS || metadataFile(table).equals(before.metadataFileLocation())) {
          throw e;
        }
        LOG.warn("{} changed while its snapshots expired (another job committed): expiring again on its new "
            + "state (attempt {} of {}); the failure was: {}", ref, attempt + 1, MAX_ATTEMPTS, e.getMessage());
        continue;
      }
      ExpiredFiles files = ExpiredFiles.committed(before, operations(table).refresh(), table.io());
      FileDeletion deletion = new FileDeletion(table.io(), pool);
      deletion.delete(files.dataFiles(), "data");
      deletion.delete(files.deleteFiles(), "delete");
      deletion.delete(files.statisticsFiles(), "statistics");
      deletion.delete(files.manifests(), "manifest");
      deletion.delete(files.manifestLists(), "manifest list");
      return files;
    }
  }

  private ExpireResult result(boolean dryRun, int before, int after, List<Long> ids, ExpiredFiles files,
      Orphans orphans, List<String> branches) {
    return new ExpireResult(ref.name(), dryRun, before, after, ids, ids.size(), files.dataFiles().size(),
        files.deleteFiles().size(), files.manifests().size(), files.manifestLists().size(), orphans.found,
        dryRun ? 0 : orphans.found, orphans.listed, files.bytes() + orphans.bytes.get(), branches);
  }

  private static TableOperations operations(Table table) {
    return ((HasTableOperations) table).operations();
  }

  private static String metadataFile(Table table) {
    return operations(table).current().metadataFileLocation();
  }

  private List<String> removeStaleAuditBranches(Table table) {
    long cutoff = Instant.now().minus(settings.auditBranchMaxAge()).toEpochMilli();
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      Snapshot head = table.snapshot(ref.getValue().snapshotId());
      if (ref.getKey().startsWith(AuditBranch.PREFIX) && ref.getValue().isBranch()
          && head != null && head.timestampMillis() < cutoff) {
        stale.add(ref.getKey());
      }
    }
    if (!stale.isEmpty() && !settings.dryRun()) {
      var update = table.manageSnapshots();
      stale.forEach(update::removeBranch);
      update.commit();
      table.refresh();
      LOG.info("Removed stale audit branches of {}: {}", ref, stale);
    }
    return stale;
  }

  /** Orphans found (dry run: only listed) and, for real, deleted (with the pool, if any). */
  private Orphans orphans(Table table, boolean dryRun, ExecutorService pool) {
    Orphans orphans = new Orphans();
    spark.sparkContext().setJobDescription("lakehouse-ops expire-snapshots: orphan files of " + ref);
    Consumer<String> delete = dryRun ? path -> { } : deleteCounting(table.io(), orphans.bytes);
    DeleteOrphanFiles action = SparkActions.get(spark).deleteOrphanFiles(table);
    if (pool != null) {
      action = action.executeDeleteWith(pool);
    }
    DeleteOrphanFiles.Result result = action
        .olderThan(Instant.now().minus(settings.orphanOlderThan()).toEpochMilli())
        .prefixMismatchMode(settings.prefixMismatchMode())
        .deleteWith(path -> {
          if (dryRun) {
            orphans.bytes.addAndGet(table.io().newInputFile(path).getLength());
          }
          delete.accept(path);
        })
        .execute();
    for (String path : result.orphanFileLocations()) {
      orphans.found++;
      if (orphans.listed.size() < ORPHANS_LISTED) {
        orphans.listed.add(path);
      }
    }
    return orphans;
  }

  private static Consumer<String> deleteCounting(FileIO io, AtomicLong bytes) {
    return path -> {
      try {
        bytes.addAndGet(io.newInputFile(path).getLength());
      } catch (RuntimeException e) {
        LOG.debug("No size for {}: {}", path, e.getMessage());
      }
      io.deleteFile(path);
    };
  }

  private static int size(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }

  /** Orphan files of one run. */
  private static final class Orphans {
    static final Orphans NONE = new Orphans();
    long found;
    final List<String> listed = new ArrayList<>();
    final AtomicLong bytes = new AtomicLong();
  }
}
