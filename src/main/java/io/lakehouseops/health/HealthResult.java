package io.lakehouseops.health;

import java.util.List;

/** health's report result: per table its shape and recommendations; `actions` for a branch operator. */
public record HealthResult(List<TableReport> tables, List<String> actions) {
  /**
   * One table's health, its deletes, its dataset's freshness (null for a table of no
   * dataset), and what it needs.
   */
  public record TableReport(TableHealth health, DeleteHealth deletes, Freshness freshness,
      List<Recommendation> recommendations) {}
}
