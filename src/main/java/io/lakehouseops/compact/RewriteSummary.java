package io.lakehouseops.compact;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.actions.RewriteDataFiles;

/** What a data-file rewrite did, whichever runner did it (Iceberg's action or RangeZOrderRewrite). */
record RewriteSummary(int groupsRewritten, List<String> failedGroups, long rewrittenFiles, long addedFiles,
    long rewrittenBytes, long removedDeleteFiles) {

  /** As this, with more delete files removed (the dangling ones, removed after the rewrite). */
  RewriteSummary plusRemovedDeleteFiles(long more) {
    return new RewriteSummary(groupsRewritten, failedGroups, rewrittenFiles, addedFiles, rewrittenBytes,
        removedDeleteFiles + more);
  }

  static RewriteSummary of(RewriteDataFiles.Result result) {
    List<String> failed = new ArrayList<>();
    result.rewriteFailures().forEach(f -> failed.add(String.valueOf(f.info().partition())
        + " (" + f.dataFilesCount() + " files)"));
    return new RewriteSummary(result.rewriteResults().size(), failed, result.rewrittenDataFilesCount(),
        result.addedDataFilesCount(), result.rewrittenBytesCount(), result.removedDeleteFilesCount());
  }
}
