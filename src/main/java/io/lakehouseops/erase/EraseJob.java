package io.lakehouseops.erase;

import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.opstables.ErasureLedger;
import io.lakehouseops.opstables.ErasureStatus;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.run.JobOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One erasure request end to end: find the subjects' rows (in every table of the dataset, in
 * the files as stored, and with --purge-raw in the raw files), refuse what would pin them
 * (tags, branches) or look like a mistake (too large a share of a table), record the keys in
 * the ledger, rewrite the files that hold them, expire the history that still references the
 * old files, verify, and close the ledger rows. Every step is idempotent: a re-run after a
 * crash at any point finishes the request.
 */
public final class EraseJob {
  private static final Logger LOG = LoggerFactory.getLogger(EraseJob.class);
  static final String RETENTION_EXCEPTION = "snapshots older than the erasure were expired whatever "
      + "lakehouse.expire.older-than and min-retention say: an erasure is the one exception to them";

  private final SparkSession spark;
  private final EraseRequest request;
  private final ErasureLedger ledger;

  public EraseJob(SparkSession spark, LakehouseSettings settings, EraseRequest request) {
    this.spark = spark;
    this.request = request;
    this.ledger = new ErasureLedger(spark, settings.opsTable(ErasureLedger.NAME));
  }

  /** What one table holds of the request, before anything changes. */
  private record TableState(TableRef table, TableEraser.Found found, Optional<HistoryPurge.Replaced> replaced,
      boolean historyLeft, List<PinnedRefs.Pin> pins) {
    boolean needsWork() {
      return found.any() || historyLeft || pins.stream().anyMatch(p -> p.rows() > 0);
    }
  }

  public JobOutcome execute() {
    List<TableState> states = new ArrayList<>();
    for (TableRef table : request.tables()) {
      states.add(inspect(table));
    }
    EraseRequest.Reach reach = request.reach();
    RawPurge raw = new RawPurge(spark, request.dataset(), request.subjects(), request.requestId());
    Map<String, Long> rawFound = Map.of();
    if (reach.purgeRaw()) {
      raw.check();
      rawFound = raw.find();
    }
    refuseMistakes(states);
    boolean work = states.stream().anyMatch(TableState::needsWork) || !rawFound.isEmpty();
    if (reach.dryRun()) {
      return dryRun(states, rawFound, work);
    }
    ledger.request(request.requestId(), request.dataset().name(), request.subjects().columns(), hashes(states, rawFound));
    FaultInjection.point("erase.after-ledger");
    int interrupted = reach.purgeRaw() ? raw.finishInterrupted() : 0;
    if (!work && interrupted == 0) {
      ledger.complete(request.requestId(), new ErasureLedger.Completion(ErasureStatus.NOTHING_TO_DO,
          List.of(), 0, 0, 0, reach.purgeRaw() ? 0L : null));
      EraseResult result = result(false, states.stream().map(s -> emptyErasure(s.table())).toList(),
          rawErasure(0, List.of()), verify(states), null);
      return JobOutcome.nothingToDo(result, "no table" + (reach.purgeRaw() ? " and no raw file" : "")
          + " of " + request.dataset().name() + " holds " + request.subjects().describe()
          + "; request " + request.requestId() + " recorded in " + ledger.table());
    }
    List<EraseResult.TableErasure> erasures = new ArrayList<>();
    for (TableState state : states) {
      erasures.add(erase(state));
    }
    EraseResult.Verification verification = verify(states);
    if (!verification.passed()) {
      throw new IllegalStateException("Erasure " + request.requestId() + " did not verify: " + verification
          + "; its ledger rows stay requested: re-run the request");
    }
    List<String> rewritten = raw.rewrite(rawFound);
    long rawRows = rawFound.values().stream().mapToLong(Long::longValue).sum();
    long rows = erasures.stream().mapToLong(EraseResult.TableErasure::rowsRemoved).sum();
    long files = erasures.stream().mapToLong(e -> e.dataFilesRewritten() + e.filesDeleted()).sum();
    long expired = erasures.stream().mapToLong(EraseResult.TableErasure::snapshotsExpired).sum();
    ledger.complete(request.requestId(), new ErasureLedger.Completion(ErasureStatus.COMPLETED,
        request.tables().stream().map(TableRef::name).toList(), rows, files, expired,
        reach.purgeRaw() ? (long) rewritten.size() + interrupted : null));
    EraseResult result = result(false, erasures, rawErasure(rawRows, rewritten), verification, RETENTION_EXCEPTION);
    String what = rows > 0 ? "erased " + rows + " rows of " + request.subjects().describe() + " from "
        + request.tables().size() + " tables"
        : "finished erasure " + request.requestId() + " (an earlier run removed its rows)";
    return JobOutcome.succeeded(result).withMessage(what + " (" + expired + " snapshots expired"
        + (reach.purgeRaw() ? ", " + rewritten.size() + " raw files rewritten" : "") + "); verified");
  }

  private TableState inspect(TableRef table) {
    TableEraser.Found found = new TableEraser(spark, table, request.subjects()).find();
    HistoryPurge history = new HistoryPurge(spark, table, request.requestId());
    Optional<HistoryPurge.Replaced> replaced = history.replaced();
    boolean historyLeft = replaced.isPresent()
        && (history.olderSnapshots(replaced.get()) > 0 || history.onStorage(replaced.get().files()) > 0);
    List<PinnedRefs.Pin> pins = PinnedRefs.find(spark, table, request.subjects(), found, request.ownRefs());
    return new TableState(table, found, replaced, historyLeft, pins);
  }

  /** A ref that pins the subjects, or a share of a table too large to be one person's rows. */
  private void refuseMistakes(List<TableState> states) {
    List<String> pinned = states.stream().flatMap(s -> s.pins().stream()).filter(p -> !p.own())
        .map(PinnedRefs.Pin::describe).toList();
    if (!pinned.isEmpty() && !request.reach().releaseRefs()) {
      throw new BadInputException("Erasure " + request.requestId() + " cannot expire what these refs pin: "
          + String.join("; ", pinned) + ". Nothing was changed: drop them deliberately with --release-refs");
    }
    for (TableState state : states) {
      long rows = state.found().rows();
      if (!request.reach().force() && state.found().tableRows() > 0
          && rows > request.maxRowFraction() * state.found().tableRows()) {
        throw new BadInputException("Erasure " + request.requestId() + " matches " + rows + " of the "
            + state.found().tableRows() + " rows of " + state.table() + ", more than lakehouse.erase.max-row-fraction ("
            + request.maxRowFraction() + "). Nothing was changed: check the keys or predicate, or pass --force");
      }
    }
  }

  /** The key hashes to record: the keys file's, or those of the rows the predicate matches. */
  private Dataset<Row> hashes(List<TableState> states, Map<String, Long> rawFound) {
    Subjects subjects = request.subjects();
    if (subjects instanceof Subjects.Keys keys) {
      return keys.hashes();
    }
    StructType schema = new StructType().add("key_hash", DataTypes.StringType);
    Dataset<Row> hashes = spark.createDataFrame(List.of(), schema);
    for (TableState state : states) {
      if (state.found().any()) {
        hashes = hashes.union(subjects.matching(spark.table(state.table().name()))
            .select(ErasureLedger.keyHash(subjects.columns()).as("key_hash")));
      }
    }
    if (!rawFound.isEmpty()) {
      hashes = hashes.union(subjects.matching(spark.read().format("avro").option("recursiveFileLookup", "true")
          .load(rawFound.keySet().toArray(String[]::new)))
          .select(ErasureLedger.keyHash(subjects.columns()).as("key_hash")));
    }
    return hashes.distinct();
  }

  private EraseResult.TableErasure erase(TableState state) {
    List<PinnedRefs.Pin> released = state.pins().stream()
        .filter(p -> p.own() || request.reach().releaseRefs()).toList();
    PinnedRefs.release(spark, state.table(), released);
    TableEraser.Rewritten rewritten = state.found().any()
        ? new TableEraser(spark, state.table(), request.subjects()).rewrite(state.found(), request.requestId())
        : null;
    FaultInjection.point("erase.after-rewrite");
    HistoryPurge history = new HistoryPurge(spark, state.table(), request.requestId());
    Optional<HistoryPurge.Replaced> replaced = history.replaced();
    HistoryPurge.Purged purged = replaced.isPresent() ? history.purge(replaced.get())
        : new HistoryPurge.Purged(0, 0, 0);
    return new EraseResult.TableErasure(state.table().name(),
        rewritten == null ? 0 : rewritten.rowsRemoved(),
        rewritten == null ? 0 : rewritten.filesRemoved(),
        rewritten == null ? 0 : rewritten.filesAdded(),
        rewritten == null ? 0 : rewritten.deleteFilesRemoved(),
        replaced.map(r -> r.newest().snapshotId()).orElse(null),
        purged.snapshotsExpired(), purged.filesDeleted() + purged.leftoversDeleted(),
        released.stream().map(PinnedRefs.Pin::name).toList());
  }

  /** Every data file any snapshot of each table references, read again; the replaced files looked up. */
  private EraseResult.Verification verify(List<TableState> states) {
    DataFilesScan scan = new DataFilesScan(spark);
    long filesScanned = 0;
    long matching = 0;
    long replaced = 0;
    long referenced = 0;
    long onStorage = 0;
    for (TableState state : states) {
      spark.sparkContext().setJobDescription("lakehouse-ops erase: verify " + state.table());
      List<String> files = spark.table(state.table().name() + ".all_data_files").select("file_path").distinct()
          .collectAsList().stream().map(r -> r.getString(0)).toList();
      filesScanned += files.size();
      matching += scan.matchingRows(files, request.subjects()).values().stream().mapToLong(Long::longValue).sum();
      HistoryPurge history = new HistoryPurge(spark, state.table(), request.requestId());
      Optional<HistoryPurge.Replaced> erased = history.replaced();
      if (erased.isPresent()) {
        Set<String> old = erased.get().files();
        replaced += old.size();
        referenced += history.referenced(old).size();
        onStorage += history.onStorage(old);
      }
    }
    boolean passed = matching == 0 && referenced == 0 && onStorage == 0;
    LOG.info("Verified erasure {}: {} data files of {} tables read, {} rows of the subjects, {} of {} replaced "
        + "files still referenced, {} on storage", request.requestId(), filesScanned, states.size(), matching,
        referenced, replaced, onStorage);
    return new EraseResult.Verification(passed, states.size(), filesScanned, matching, replaced, referenced, onStorage);
  }

  private JobOutcome dryRun(List<TableState> states, Map<String, Long> rawFound, boolean work) {
    List<EraseResult.TableErasure> tables = states.stream().map(s -> new EraseResult.TableErasure(
        s.table().name(), s.found().rows(), s.found().rowsByFile().size(), 0, 0, null, 0, 0,
        s.pins().stream().filter(p -> p.own() || request.reach().releaseRefs()).map(PinnedRefs.Pin::name)
            .toList())).toList();
    long rawRows = rawFound.values().stream().mapToLong(Long::longValue).sum();
    EraseResult result = result(true, tables, rawErasure(rawRows, List.copyOf(rawFound.keySet())), null,
        work ? RETENTION_EXCEPTION : null);
    long rows = tables.stream().mapToLong(EraseResult.TableErasure::rowsRemoved).sum();
    String message = "dry run: would erase " + rows + " rows of " + request.subjects().describe() + " from "
        + tables.stream().filter(t -> t.rowsRemoved() > 0).count() + " tables (" + tables.stream()
        .mapToLong(EraseResult.TableErasure::dataFilesRewritten).sum() + " data files)"
        + (request.reach().purgeRaw() ? " and " + rawFound.size() + " raw files" : "");
    return work ? JobOutcome.succeeded(result).withMessage(message) : JobOutcome.nothingToDo(result, message);
  }

  private EraseResult.RawErasure rawErasure(long rows, List<String> files) {
    if (!request.reach().purgeRaw()) {
      return new EraseResult.RawErasure(false, 0, List.of(), "raw files kept (no --purge-raw): promote and "
          + "backfill withhold the erased keys, which " + ledger.table() + " holds as hashes");
    }
    return new EraseResult.RawErasure(true, rows, files, null);
  }

  private EraseResult.TableErasure emptyErasure(TableRef table) {
    return new EraseResult.TableErasure(table.name(), 0, 0, 0, 0, null, 0, 0, List.of());
  }

  private EraseResult result(boolean dryRun, List<EraseResult.TableErasure> tables, EraseResult.RawErasure raw,
      EraseResult.Verification verification, String retentionException) {
    return new EraseResult(request.requestId(), request.dataset().name(), request.subjects().describe(), dryRun,
        tables, raw, verification, ledger.table().name(), retentionException);
  }
}
