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
    TableHealth before,
    TableHealth after) {

  /** One file group of the plan: its partition, input files and bytes, expected output files. */
  public record PlannedGroup(String partition, int inputFiles, long inputBytes, int expectedOutputFiles) {}
}
