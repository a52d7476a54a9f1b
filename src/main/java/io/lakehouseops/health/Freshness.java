package io.lakehouseops.health;

/**
 * A dataset's freshness, from its curated table's metadata: the newest event date it holds
 * (partition values), when a run last published to it (snapshot summaries), the newest day
 * that should be there by as_of (every day is due sla_hours after it ends), and how many hours
 * past its SLA the first missing day is (0 when none is).
 */
public record Freshness(
    String dataset,
    int slaHours,
    String asOf,
    String newestEventDate,
    String lastPublishedAt,
    String dueThrough,
    double lagHours,
    FreshnessStatus freshness) {

  public boolean breached() {
    return freshness != FreshnessStatus.OK;
  }
}
