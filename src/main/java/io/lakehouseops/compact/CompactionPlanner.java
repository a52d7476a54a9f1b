package io.lakehouseops.compact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.BinPackRewriteFilePlanner;
import org.apache.iceberg.actions.FileRewritePlan;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Plans a rewrite without executing it, with Iceberg's own planner (the one the rewrite
 * action uses): the file groups, their input files and bytes, and the expected output files.
 */
final class CompactionPlanner {
  static final int MAX_GROUPS_LISTED = 100;

  private CompactionPlanner() {}

  static List<CompactResult.PlannedGroup> plan(Table table, Expression filter, Map<String, String> options) {
    return groups(table, filter, options).stream()
        .map(group -> CompactResult.PlannedGroup.of(group, group.expectedOutputFiles())).toList();
  }

  /** The file groups themselves, with their files (what RangeZOrderRewrite rewrites). */
  static List<RewriteFileGroup> groups(Table table, Expression filter, Map<String, String> options) {
    Long snapshotId = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
    BinPackRewriteFilePlanner planner = new BinPackRewriteFilePlanner(table, filter, snapshotId, false);
    planner.init(options);
    FileRewritePlan<RewriteDataFiles.FileGroupInfo, org.apache.iceberg.FileScanTask,
        org.apache.iceberg.DataFile, RewriteFileGroup> plan = planner.plan();
    List<RewriteFileGroup> groups = new ArrayList<>();
    try (CloseableIterable<RewriteFileGroup> planned = plan.groups()) {
      planned.forEach(groups::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return groups;
  }
}
