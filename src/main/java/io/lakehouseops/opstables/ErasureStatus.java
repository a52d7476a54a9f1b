package io.lakehouseops.opstables;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * An erasure request's state in ops.erasure_ledger: requested from the moment its keys are
 * known (promote and backfill withhold them from then on), completed once every table is
 * rewritten, expired and verified, nothing_to_do when no table held a matching row.
 */
public enum ErasureStatus {
  REQUESTED,
  COMPLETED,
  NOTHING_TO_DO;

  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
