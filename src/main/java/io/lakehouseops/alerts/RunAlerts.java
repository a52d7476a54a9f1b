package io.lakehouseops.alerts;

import io.lakehouseops.backfill.BackfillResult;
import io.lakehouseops.backfill.PartitionResult;
import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.health.Freshness;
import io.lakehouseops.health.HealthResult;
import io.lakehouseops.opstables.BackfillStatus;
import io.lakehouseops.promote.PromoteResult;
import io.lakehouseops.promote.QualityStatus;
import io.lakehouseops.quality.AnomalyScore;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.RunStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What each command's outcome alerts about: a promote or backfill partition that failed its
 * gate, a promote that passed with an anomaly warning, a dataset past its SLA; and what it
 * resolves: a partition that passed cleanly, a dataset fresh again.
 */
public final class RunAlerts {
  private final Alerter alerter;

  public RunAlerts(Alerter alerter) {
    this.alerter = alerter;
  }

  public void afterPromote(DatasetSettings dataset, JobOutcome outcome) {
    if (!(outcome.result() instanceof PromoteResult result) || result.qualityStatus() == null) {
      return;
    }
    Alert gate = new Alert(AlertKind.QUALITY_FAILED, dataset.name(), result.partition(), alerter.runId(),
        "quality gate failed on " + dataset.name() + " " + result.partition() + ": " + result.rowsQuarantined()
            + " rows quarantined to " + result.quarantineTable(),
        result.failedRules(), metrics(result), inspect(result.quarantineTable()));
    if (outcome.status() == RunStatus.QUALITY_FAILED || result.qualityStatus() == QualityStatus.FAILED) {
      alerter.raise(dataset, gate);
      return;
    }
    List<String> anomalies = result.warnings().stream().filter(w -> w.startsWith("anomaly(")).toList();
    if (!anomalies.isEmpty()) {
      alerter.raise(dataset, new Alert(AlertKind.ANOMALY_WARNING, dataset.name(), result.partition(),
          alerter.runId(), "anomaly warning on " + dataset.name() + " " + result.partition() + ": " + anomalies
              + " (published)", anomalies, metrics(result), null));
    } else if (result.qualityStatus() == QualityStatus.PASSED) {
      alerter.resolve(dataset, gate);
    }
  }

  public void afterBackfill(DatasetSettings dataset, JobOutcome outcome) {
    if (!(outcome.result() instanceof BackfillResult result)) {
      return;
    }
    for (PartitionResult partition : result.partitions()) {
      if (partition.status() == BackfillStatus.FAILED && !partition.failedRules().isEmpty()) {
        alerter.raise(dataset, new Alert(AlertKind.QUALITY_FAILED, dataset.name(), partition.partitionKey(),
            alerter.runId(), "quality gate failed on " + dataset.name() + " " + partition.partitionKey()
                + " in backfill " + result.backfillId() + ": " + partition.rowsQuarantined() + " rows quarantined to "
                + result.quarantineTable(), partition.failedRules(),
            Map.of("rows_read", (double) partition.rowsRead()), inspect(result.quarantineTable())));
      }
    }
  }

  /** health: a dataset past its SLA alerts; one within it again resolves. datasets: by name. */
  public void afterHealth(JobOutcome outcome, Function<String, DatasetSettings> datasets) {
    if (!(outcome.result() instanceof HealthResult result)) {
      return;
    }
    for (HealthResult.TableReport table : result.tables()) {
      Freshness freshness = table.freshness();
      if (freshness == null) {
        continue;
      }
      DatasetSettings dataset = datasets.apply(freshness.dataset());
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("lag_hours", freshness.lagHours());
      metrics.put("sla_hours", (double) freshness.slaHours());
      Alert alert = new Alert(AlertKind.SLA_BREACH, dataset.name(), null, alerter.runId(), dataset.name() + " is "
          + freshness.freshness().value() + ": newest event date " + freshness.newestEventDate() + ", days through "
          + freshness.dueThrough() + " due (sla-hours " + freshness.slaHours() + ")", List.of(), metrics, null);
      if (freshness.breached()) {
        alerter.raise(dataset, alert);
      } else {
        alerter.resolve(dataset, alert);
      }
    }
  }

  /** A run that failed (exit 1): its dataset's routes, or the non-paging ones without a dataset. */
  public void afterFailure(DatasetSettings dataset, String command, String error) {
    Alert alert = new Alert(AlertKind.RUN_FAILED, dataset == null ? null : dataset.name(), null, alerter.runId(),
        "lakehouse-ops " + command + " failed" + (dataset == null ? "" : " for " + dataset.name()) + ": " + error,
        List.of(), Map.of(), null);
    if (dataset == null) {
      alerter.raiseWithoutDataset(alert);
    } else {
      alerter.raise(dataset, alert);
    }
  }

  private static Map<String, Double> metrics(PromoteResult result) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("rows_read", (double) result.rowsRead());
    metrics.put("rows_quarantined", (double) result.rowsQuarantined());
    for (AnomalyScore anomaly : result.anomalies()) {
      if (anomaly.value() != null) {
        metrics.put(anomaly.metric(), anomaly.value());
      }
    }
    return metrics;
  }

  private String inspect(String quarantineTable) {
    return "lakehouse-ops sql \"SELECT * FROM " + quarantineTable + " WHERE _quarantine_run_id = '"
        + alerter.runId() + "'\"";
  }
}
