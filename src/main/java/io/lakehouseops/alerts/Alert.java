package io.lakehouseops.alerts;

import java.util.List;
import java.util.Map;

/**
 * One alert: what happened to which dataset and partition, in which run, with the rules that
 * failed, the metrics, and the command that shows the quarantined rows. dedupKey identifies
 * the incident (dataset and partition) so that PagerDuty can resolve it when a run passes.
 */
public record Alert(
    AlertKind kind,
    String dataset,
    String partition,
    String runId,
    String summary,
    List<String> rules,
    Map<String, Double> metrics,
    String inspect) {

  public String dedupKey() {
    return "lakehouse-ops/" + (dataset == null ? "-" : dataset) + "/" + (partition == null ? kind.value() : partition);
  }
}
