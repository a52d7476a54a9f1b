package io.lakehouseops.schema;

/** An additive change of the curated schema: add-column or widen (int->long, float->double). */
public record SchemaChange(String change, String field, String fromType, String toType) {}
