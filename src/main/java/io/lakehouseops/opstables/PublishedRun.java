package io.lakehouseops.opstables;

import java.time.Instant;

/**
 * The record of a raw partition's publish by promote: the run, the snapshot it published, when,
 * and the fingerprint of the raw files it read (null for a record that did not keep one).
 * recorded: whether its quality-run row exists (false for a run stopped between its publish
 * and that row, found from the snapshot's lineage alone).
 */
public record PublishedRun(String runId, Long snapshotId, Instant publishedAt, String sourceFingerprint,
    boolean recorded) {}
