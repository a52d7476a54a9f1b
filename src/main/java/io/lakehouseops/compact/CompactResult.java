package io.lakehouseops.compact;

import io.lakehouseops.health.TableHealth;
import java.util.List;

/** compact's report result: what was (or, in a dry run, would be) rewritten, and health before/after. */
public record CompactResult(
    String table,
    String strategy,
    boolean dryRun,
    int groupsPlanned,
    int groupsRewritten,
    int groupsFailed,
    List<String> failedGroups,
    long dataFilesRewritten,
    long dataFilesAdded,
    long bytesRewritten,
    long deleteFilesRemoved,
    long deleteFilesRewritten,
    long manifestsRewritten,
    long coldFilesSkipped,
    String coldFilesNote,
    Long snapshotId,
    List<PlannedGroup> plan,
    EqualityDeletes equalityDeletes,
    TableHealth before,
    TableHealth after) {

  /** One file group of the plan: its partition, input files and bytes, expected output files. */
  public record PlannedGroup(String partition, int inputFiles, long inputBytes, int expectedOutputFiles) {
    /** A group of Iceberg's planner, with the files it is expected to write (or wrote). */
    static PlannedGroup of(org.apache.iceberg.actions.RewriteFileGroup group, int outputFiles) {
      return new PlannedGroup(String.valueOf(group.info().partition()), group.inputFileNum(),
          group.inputFilesSizeInBytes(), outputFiles);
    }
  }

  /**
   * With --rewrite-deletes on a table with equality deletes: the mode, each partition's choice
   * (at most MAX_GROUPS_LISTED listed), and what the conversion replaced and wrote (null when
   * the table has none or --rewrite-deletes was not given).
   */
  public record EqualityDeletes(EqualityDeleteMode mode, long partitionsRewritten, long partitionsConverted,
      List<PartitionChoice> partitions, long equalityDeleteFilesConverted, long fileScopedDeletesReplaced,
      long dataFilesReferenced, long deletedPositions, long deleteFilesWritten, boolean deletionVectors) {

    static EqualityDeletes of(EqualityDeleteMode mode, EqualityDeletePlan plan, EqualityDeleteConverter.Converted done) {
      long converted = plan.converted().size();
      List<PartitionChoice> listed = plan.partitions().stream().limit(CompactionPlanner.MAX_GROUPS_LISTED)
          .map(p -> new PartitionChoice(p.name(), p.choice(), p.reason(), p.dataFiles(), p.dataBytes(),
              p.equalityDeleteFiles(), p.equalityDeleteRows())).toList();
      return new EqualityDeletes(mode, plan.partitions().size() - converted, converted, listed,
          done.equalityDeleteFilesRemoved(), done.fileScopedDeletesRemoved(), done.dataFiles(),
          done.deletedPositions(), done.deleteFilesAdded(), done.deletionVectors());
    }
  }

  /** One partition with equality deletes: rewritten or converted, and why. */
  public record PartitionChoice(String partition, EqualityDeletePlan.Choice choice, String reason, long dataFiles,
      long dataBytes, long equalityDeleteFiles, long equalityDeleteRows) {}
}
