package io.lakehouseops.schema;

/** A breaking difference between a raw file's writer schema and the contract. */
public record ContractViolation(String field, String file, String reason) {
  public String message() {
    return "field " + field + ": " + reason + " (" + file + ")";
  }
}
