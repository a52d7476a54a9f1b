package io.lakehouseops.tier;

import io.lakehouseops.iceberg.TableFiles;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.opstables.TieringStatus;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.RunStatus;
import io.lakehouseops.storage.StorageClass;
import io.lakehouseops.storage.StorageClassMover.S3Location;
import io.lakehouseops.storage.StorageClassMover;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the files of a table's old partitions to colder S3 storage classes, in place: a
 * server-side copy of each object onto itself with the new class. Never reads the data, never
 * deletes, never touches Iceberg metadata; objects already as cold are skipped, so a re-run
 * after a crash finishes the rest. Every object looked at goes to ops.tiering_log.
 */
public final class TierJob {
  private static final Logger LOG = LoggerFactory.getLogger(TierJob.class);
  private static final Set<String> S3_SCHEMES = Set.of("s3", "s3a", "s3n");
  static final int LEDGER_BATCH = 500;
  static final int FAILED_LISTED = 100;

  private final TableRef ref;
  private final Table table;
  private final TierSettings settings;
  private final StorageClassMover mover;
  private final TieringLog ledger;
  private final String runId;
  private final String eventTime;

  public TierJob(Table table, TableRef ref, TierSettings settings, StorageClassMover mover,
      TieringLog ledger, String runId, String eventTime) {
    this.table = table;
    this.ref = ref;
    this.settings = settings;
    this.mover = mover;
    this.ledger = ledger;
    this.runId = runId;
    this.eventTime = eventTime;
  }

  /** Refuses tables whose files are not on S3, before anything else. */
  public static void requireS3(TableRef ref, Table table) {
    String scheme = URI.create(table.location()).getScheme();
    if (scheme == null || !S3_SCHEMES.contains(scheme)) {
      throw new BadInputException("Cannot tier " + ref + ": its files are on "
          + (scheme == null ? "the local file system" : scheme)
          + ", storage classes exist only on S3");
    }
  }

  public JobOutcome execute() throws Exception {
    requireS3(ref, table);
    List<TableFiles.TableFile> files = TableFiles.list(table, eventTime);
    List<Move> candidates = new ArrayList<>();
    for (TableFiles.TableFile file : files) {
      if (file.lastEventDate() == null) {
        continue;
      }
      Duration age = Duration.ofDays(ChronoUnit.DAYS.between(file.lastEventDate(), settings.asOf()));
      StorageClass target = TierRule.targetFor(settings.rules(), age);
      if (target != null) {
        candidates.add(new Move(file, target));
      }
    }
    LOG.info("{}: {} of {} files are in partitions old enough to tier (as of {})", ref,
        candidates.size(), files.size(), settings.asOf());
    String bucket = S3Location.of(table.location()).bucket();
    StorageClassMover.Versioning versioning = candidates.isEmpty() ? StorageClassMover.Versioning.OFF
        : mover.versioning(bucket);
    TierTally tally = new TierTally(settings.prices(), bucket, versioning);
    List<TieringLog.Entry> pending = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Move move : candidates) {
        futures.add(pool.submit(() -> process(move, tally, pending)));
      }
      for (int i = 0; i < futures.size(); i++) {
        try {
          futures.get(i).get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof StorageClassMover.CustomerKeyRequiredException refused) {
            pool.shutdownNow(); // every object of the table needs the same key: stop here
            throw new BadInputException(refused.getMessage(), refused);
          }
          throw e;
        }
        if (!settings.dryRun() && pending.size() >= LEDGER_BATCH) {
          flush(pending);
        }
        if ((i + 1) % 1000 == 0) {
          LOG.info("{}: {} of {} objects done", ref, i + 1, futures.size());
        }
      }
    } finally {
      pool.shutdown();
      if (!settings.dryRun()) {
        flush(pending);
      }
    }
    TierResult result = tally.result(ref.name(), settings, files, candidates.size());
    String verb = settings.dryRun() ? "would move " : "moved ";
    String message = verb + (settings.dryRun() ? tally.toMove() : tally.moved()) + " of "
        + candidates.size() + " old files (" + tally.skipped() + " already there, " + tally.failed()
        + " failed)" + (settings.dryRun() ? "; nothing copied" : "");
    if (tally.failed() > 0) {
      return new JobOutcome(RunStatus.FAILED, result, message + "; rerun tier to retry the failed keys");
    }
    if (tally.moved() == 0 && tally.toMove() == 0) {
      return JobOutcome.nothingToDo(result, "nothing to tier in " + ref + ": " + message);
    }
    return new JobOutcome(RunStatus.SUCCEEDED, result, message);
  }

  private void process(Move move, TierTally tally, List<TieringLog.Entry> ledgerEntries) {
    S3Location object = S3Location.of(move.file().path());
    String partition = move.file().partition();
    try {
      StorageClassMover.Head head = mover.head(object);
      if (!move.target().colderThan(head.storageClass())) {
        tally.skipped(head.storageClass(), head.bytes());
        ledgerEntries.add(entry(move, head, TieringStatus.ALREADY_IN_CLASS, null));
        return;
      }
      if (settings.dryRun()) {
        tally.wouldMove(head.storageClass(), move.target(), head.bytes());
        return;
      }
      int requests = mover.move(object, head, move.target());
      tally.moved(head.storageClass(), move.target(), head.bytes(), requests);
      ledgerEntries.add(entry(move, head, TieringStatus.MOVED, null));
      FaultInjection.crashAfter("tier.after-copies", tally.moved());
    } catch (StorageClassMover.CustomerKeyRequiredException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("Could not tier {} ({}): {}", move.file().path(), partition, e.getMessage());
      tally.failed(move.file().path(), move.file().bytes());
      ledgerEntries.add(new TieringLog.Entry(runId, ref.name(), move.file().path(), partition, null,
          move.target().name(), move.file().bytes(), Timestamp.from(Instant.now()), TieringStatus.FAILED,
          String.valueOf(e.getMessage())));
    }
  }

  private TieringLog.Entry entry(Move move, StorageClassMover.Head head, TieringStatus status, String error) {
    return new TieringLog.Entry(runId, ref.name(), move.file().path(), move.file().partition(),
        head.storageClass().name(), status == TieringStatus.ALREADY_IN_CLASS ? head.storageClass().name()
        : move.target().name(), head.bytes(), Timestamp.from(Instant.now()), status, error);
  }

  private void flush(List<TieringLog.Entry> pending) {
    List<TieringLog.Entry> batch;
    synchronized (pending) {
      batch = new ArrayList<>(pending);
      pending.clear();
    }
    ledger.record(batch);
  }

  /** One file and the class its partition's age sends it to. */
  record Move(TableFiles.TableFile file, StorageClass target) {}
}
