package io.lakehouseops.compact;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.actions.RewriteDataFiles;

/** What a data-file rewrite did, whichever runner did it (Iceberg's action or RangeZOrderRewrite). */
record RewriteSummary(int groupsRewritten, List<String> failedGroups, long rewrittenFiles, long addedFiles,
    long rewrittenBytes, long removedDeleteFiles) {

  /** As this, with the delete files removed counted anew (by the rewrite's and the dangling removal's commits). */
  RewriteSummary withRemovedDeleteFiles(long removed) {
    return new RewriteSummary(groupsRewritten, failedGroups, rewrittenFiles, addedFiles, rewrittenBytes, removed);
  }

  static RewriteSummary of(RewriteDataFiles.Result result) {
    List<String> failed = new ArrayList<>();
    result.rewriteFailures().forEach(f -> failed.add(String.valueOf(f.info().partition())
        + " (" + f.dataFilesCount() + " files)"));
    return new RewriteSummary(result.rewriteResults().size(), failed, result.rewrittenDataFilesCount(),
        result.addedDataFilesCount(), result.rewrittenBytesCount(), result.removedDeleteFilesCount());
  }
}
