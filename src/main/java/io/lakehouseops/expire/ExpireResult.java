package io.lakehouseops.expire;

import java.util.List;

/** expire-snapshots' report result (in a dry run: what would go). */
public record ExpireResult(
    String table,
    boolean dryRun,
    int snapshotsBefore,
    int snapshotsAfter,
    List<Long> expiredSnapshotIds,
    int snapshotsExpired,
    long dataFilesDeleted,
    long deleteFilesDeleted,
    long manifestsDeleted,
    long manifestListsDeleted,
    long orphanFilesFound,
    long orphanFilesDeleted,
    List<String> orphanCandidates,
    long bytesFreed,
    List<String> branchesRemoved) {}
