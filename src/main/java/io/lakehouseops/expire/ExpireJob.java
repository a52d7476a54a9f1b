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
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.actions.ExpireSnapshots;
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
      ExpiryPreview.Files files = ExpiryPreview.of(table, expiring);
      Orphans orphans = settings.removeOrphans() ? orphans(table, true, null) : Orphans.NONE;
      result = new ExpireResult(ref.name(), true, before, before - ids.size(), ids, ids.size(),
          files.dataFiles(), files.deleteFiles(), files.manifests(), files.manifestLists(),
          orphans.found, 0, orphans.listed, files.bytes() + orphans.bytes.get(), branches);
      return new JobOutcome(RunStatus.SUCCEEDED, result, "dry run: would expire " + ids.size()
          + " snapshots, delete " + (files.dataFiles() + files.deleteFiles() + files.manifests()
          + files.manifestLists()) + " files and "
          + orphans.found + " orphans, freeing " + result.bytesFreed() + " bytes; nothing changed");
    }
    // The bytes freed are the sizes the manifests record: a delete function counting them (one
    // size request per file) would make Iceberg give up the FileIO's bulk deletes (HadoopFileIO:
    // its own parallel deletes; S3FileIO: batches of up to 1,000 keys).
    long bytes = ExpiryPreview.of(table, expiring).bytes();
    ExecutorService pool = Executors.newFixedThreadPool(settings.maxConcurrentDeletes());
    try {
      spark.sparkContext().setJobDescription("lakehouse-ops expire-snapshots: " + ref);
      ExpireSnapshots.Result expired = expire(table, cutoff, pool);
      FaultInjection.point("expire.before-orphans");
      Orphans orphans = settings.removeOrphans() ? orphans(Tables.load(spark, ref), false, pool) : Orphans.NONE;
      Table after = Tables.load(spark, ref);
      after.refresh();
      result = new ExpireResult(ref.name(), false, before, size(after.snapshots()), ids, ids.size(),
          expired.deletedDataFilesCount(),
          expired.deletedPositionDeleteFilesCount() + expired.deletedEqualityDeleteFilesCount(),
          expired.deletedManifestsCount(), expired.deletedManifestListsCount(), orphans.found,
          orphans.found, orphans.listed, bytes + orphans.bytes.get(), branches);
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
   * Iceberg's expiry, started again (at most MAX_ATTEMPTS times) when the table changed while
   * it ran, as when another expiry of it runs at once: Iceberg's own commit retry then re-applies
   * the ids of its first attempt to the new metadata and fails ("arraySize cannot be
   * negative"), or its cleanup reads a manifest the other job has just deleted. Either way the
   * table is as the jobs committed it, and a fresh action on its new state finishes the work.
   */
  private ExpireSnapshots.Result expire(Table table, long cutoff, ExecutorService pool) {
    for (int attempt = 1; ; attempt++) {
      String metadata = metadataFile(table);
      try {
        return SparkActions.get(spark).expireSnapshots(table)
            .expireOlderThan(cutoff).retainLast(settings.retainLast())
            .option("stream-results", "true").executeDeleteWith(pool).execute();
      } catch (Exception e) { // the cleanup's read surfaces as a SparkException, a checked one
        table.refresh();
        if (attempt >= MAX_ATTEMPTS || metadataFile(table).equals(metadata)) {
          throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
        LOG.warn("{} changed while its snapshots expired (another job committed): expiring again on its new "
            + "state (attempt {} of {}); the failure was: {}", ref, attempt + 1, MAX_ATTEMPTS, e.getMessage());
      }
    }
  }

  private static String metadataFile(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
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
