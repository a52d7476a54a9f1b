package io.lakehouseops.quality;

/** A metric scored against history besides row_count: null-rate or mean of a column. */
public record AnomalyMetric(String metric, String column) {
  public String id() {
    return metric + "(" + column + ")";
  }
}
