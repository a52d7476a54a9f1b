package io.lakehouseops.compact;

import io.lakehouseops.iceberg.PartitionDates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewritePositionDeleteFiles;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.spark.sql.SparkSession;

/**
 * Drops the positions a data-file rewrite left pointing at files it replaced. Iceberg's commit
 * removes a rewritten file's deletion vector (v3) but not a v2 position-delete file naming it,
 * and its dangling-delete removal keeps a file whose path bounds still span live files: a
 * partition-scoped file (one for many data files, as the equality-delete conversion writes)
 * outlives every file it names and is read by every scan of the partition. Iceberg's
 * rewrite_position_delete_files keeps only positions of live data files, so it rewrites all
 * position deletes of the partitions where this run replaced data files.
 */
final class PositionDeletesOfRewrittenFiles {
  private final SparkSession spark;
  private final Map<String, String> commitProperties;

  PositionDeletesOfRewrittenFiles(SparkSession spark, Map<String, String> commitProperties) {
    this.spark = spark;
    this.commitProperties = commitProperties;
  }

  /**
   * The partitions of the data files the run's commits removed; their position-delete files
   * rewritten. Returns the delete files rewritten.
   */
  long rewrite(Table table, List<Snapshot> runSnapshots, Expression runFilter) {
    Set<String> touched = new HashSet<>();
    Expression ranges = Expressions.alwaysFalse();
    boolean allRanges = true;
    for (Snapshot s : runSnapshots) {
      for (DataFile removed : s.removedDataFiles(table.io())) {
        PartitionSpec spec = table.specs().get(removed.specId());
        if (touched.add(EqualityDeletePlan.key(spec, removed.partition()))) {
          int timeField = PartitionDates.timeField(spec, null);
          Expression range = timeField < 0 ? null : PartitionDates.range(spec, timeField, removed.partition());
          allRanges &= range != null;
          ranges = range == null ? ranges : Expressions.or(ranges, range);
        }
      }
    }
    if (touched.isEmpty() || !hasPositionDeleteFiles(table, touched)) {
      return 0;
    }
    // A partition that is not a time partition has no range to name it: the run's filter does.
    RewritePositionDeleteFiles action = SparkActions.get(spark).rewritePositionDeletes(table)
        .filter(allRanges ? Expressions.and(runFilter, ranges) : runFilter)
        .option("rewrite-all", "true");
    for (Map.Entry<String, String> property : commitProperties.entrySet()) {
      action = action.snapshotProperty(property.getKey(), property.getValue());
    }
    return action.execute().rewrittenDeleteFilesCount();
  }

  /** Whether a position-delete file (not a deletion vector) is live in one of the partitions. */
  private static boolean hasPositionDeleteFiles(Table table, Set<String> partitions) {
    for (ManifestFile manifest : table.currentSnapshot().deleteManifests(table.io())) {
      try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
        for (DeleteFile file : reader) {
          if (file.content() == FileContent.POSITION_DELETES && !ContentFileUtil.isDV(file)
              && partitions.contains(EqualityDeletePlan.key(table.specs().get(file.specId()), file.partition()))) {
            return true;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return false;
  }
}
