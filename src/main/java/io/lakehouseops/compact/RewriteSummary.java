package io.lakehouseops.compact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.actions.RewriteDataFiles;

/**
 * What a data-file rewrite did, whichever runner did it (Iceberg's action or RangeZOrderRewrite):
 * rewritten, the groups committed, each with its input files and bytes and the files it wrote;
 * the totals are theirs.
 */
record RewriteSummary(List<CompactResult.PlannedGroup> rewritten, List<String> failedGroups, long removedDeleteFiles) {

  int groupsRewritten() {
    return rewritten.size();
  }

  long rewrittenFiles() {
    return rewritten.stream().mapToLong(CompactResult.PlannedGroup::inputFiles).sum();
  }

  long addedFiles() {
    return rewritten.stream().mapToLong(CompactResult.PlannedGroup::expectedOutputFiles).sum();
  }

  long rewrittenBytes() {
    return rewritten.stream().mapToLong(CompactResult.PlannedGroup::inputBytes).sum();
  }

  /** As this, with the delete files removed counted anew (by the rewrite's and the dangling removal's commits). */
  RewriteSummary withRemovedDeleteFiles(long removed) {
    return new RewriteSummary(rewritten, failedGroups, removed);
  }

  static RewriteSummary of(RewriteDataFiles.Result result) {
    List<String> failed = new ArrayList<>();
    result.rewriteFailures().forEach(f -> failed.add(String.valueOf(f.info().partition())
        + " (" + f.dataFilesCount() + " files)"));
    // In the planner's order (the action reports groups as they commit).
    List<CompactResult.PlannedGroup> rewritten = result.rewriteResults().stream()
        .sorted(Comparator.comparingInt(r -> r.info().globalIndex()))
        .map(r -> new CompactResult.PlannedGroup(String.valueOf(r.info().partition()), r.rewrittenDataFilesCount(),
            r.rewrittenBytesCount(), r.addedDataFilesCount()))
        .toList();
    return new RewriteSummary(rewritten, failed, result.removedDeleteFilesCount());
  }
}
