package io.lakehouseops.schema;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * What the raw files' writer schemas mean for the contract: breaking violations, or the
 * effective schema (the contract plus additive changes) that the batch is read as.
 */
public record ContractCheck(StructType effectiveSchema, List<SchemaChange> additiveChanges,
    List<ContractViolation> violations) {
  public boolean compatible() {
    return violations.isEmpty();
  }
}
