package io.lakehouseops.health;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.storage.StorageClass;
import io.lakehouseops.iceberg.TableFiles;
import io.lakehouseops.tier.TierRule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a table's health from its Iceberg metadata (its manifests, manifest list and snapshots)
 * from the driver: no data file is opened and no Spark job runs (but one on the tiering log,
 * when anything was ever tiered).
 */
public final class TableHealthReader {
  private final SparkSession spark;
  private final double smallFileRatio;
  private final int minInputFiles;
  private final TieringLog tieringLog;

  /**
   * minInputFiles: compact's per-partition threshold (lakehouse.compact.min-input-files); small
   * files count as compactable only in partitions that hold at least that many of them.
   */
  public TableHealthReader(SparkSession spark, double smallFileRatio, int minInputFiles,
      TieringLog tieringLog) {
    this.spark = spark;
    this.smallFileRatio = smallFileRatio;
    this.minInputFiles = minInputFiles;
    this.tieringLog = tieringLog;
  }

  public TableHealth measure(TableRef ref) {
    return measured(ref, List.of()).health();
  }

  /** The health, with the live files it was totalled from (health's deletes and freshness read them too). */
  record Measured(Table table, TableHealth health, LiveFiles live) {}

  /** With tiering rules: also how many partitions are older than the policy but not yet moved. */
  Measured measured(TableRef ref, List<TierRule> tieringRules) {
    return measure(ref, tieringRules, null, Expressions.alwaysTrue());
  }

  /**
   * Only the files a scan with the filter plans (and the delete files that apply to them), as
   * compact --where reports them: reading them costs what the work costs, not what the table
   * holds. scope: the filter as the user gave it, reported (null with an always-true filter:
   * the whole table); manifests and snapshots are the table's.
   */
  public TableHealth measure(TableRef ref, String scope, Expression filter) {
    return measure(ref, List.of(), scope, filter).health();
  }

  private Measured measure(TableRef ref, List<TierRule> tieringRules, String scope, Expression filter) {
    Table table = Tables.load(spark, ref);
    table.refresh();
    long target = PropertyUtil.propertyAsLong(table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    long smallBelow = (long) (target * smallFileRatio);
    // Files never tiered are in STANDARD; the tiering log (when anything was ever tiered) knows the rest.
    Map<String, String> classes = tieringLog.exists() ? tieringLog.currentClasses(ref) : Map.of();
    Function<String, String> storageClass = path -> classes.getOrDefault(path, StorageClass.STANDARD.name());
    LiveFiles live = filter.op() == Expression.Operation.TRUE ? LiveFiles.of(table, smallBelow, storageClass)
        : LiveFiles.inScope(table, filter, smallBelow, storageClass);
    Snapshot current = table.currentSnapshot();
    long manifests = current == null ? 0 : current.allManifests(table.io()).size();
    long snapshots = 0;
    long oldestMillis = Long.MAX_VALUE;
    for (Snapshot snapshot : table.snapshots()) {
      snapshots++;
      oldestMillis = Math.min(oldestMillis, snapshot.timestampMillis());
    }
    Double oldestHours = snapshots == 0 ? null
        : Math.round(Duration.between(Instant.ofEpochMilli(oldestMillis), Instant.now()).toMinutes() / 6.0) / 10.0;
    long files = live.files;
    return new Measured(table, new TableHealth(ref.name(), scope, files, live.bytes, live.records,
        files == 0 ? 0 : live.bytes / files, target, live.smallFiles, share(live.smallFiles, files),
        live.compactableSmallFiles(Math.max(2, minInputFiles)), live.partitions.size(), live.deleteFiles(),
        share(live.deleteFiles(), files), manifests, snapshots, oldestHours, live.bytesByClass,
        tieringRules.isEmpty() ? null : partitionsPastPolicy(table, tieringRules, classes)), live);
  }

  /** Partitions whose age sends them to a colder class than the one their files are in. */
  private Long partitionsPastPolicy(Table table, List<TierRule> rules, Map<String, String> classes) {
    List<TableFiles.TableFile> files;
    try {
      files = TableFiles.list(table, null);
    } catch (BadInputException notTimePartitioned) {
      return null;
    }
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Set<String> behind = new HashSet<>();
    for (TableFiles.TableFile file : files) {
      if (file.lastEventDate() != null) {
        StorageClass target = TierRule.targetFor(rules,
            Duration.ofDays(ChronoUnit.DAYS.between(file.lastEventDate(), today)));
        if (target != null && target.colderThan(StorageClass.ofS3(classes.get(file.path())))) {
          behind.add(file.partition());
        }
      }
    }
    return (long) behind.size();
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
  }
}
