package io.lakehouseops.lineage;

/** One rule of a quality gate as OpenLineage's data-quality assertions facet holds it. */
public record QualityAssertion(String assertion, boolean success, String column) {}
