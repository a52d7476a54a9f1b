package io.lakehouseops.lineage;

/**
 * For the report: where the run's lineage went, how many events were emitted and failed, and
 * the last failure's message (never an endpoint or a key).
 */
public record LineageDelivery(LineageTransport transport, int emitted, int failed, String lastError) {}
