package io.lakehouseops.iceberg;

/** What a write-audit-publish changed on main. */
public record PublishResult(Long snapshotId, long rowsInserted, long rowsUpdated) {}
