package io.lakehouseops.alerts;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.opstables.AlertsTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a run's alerts to the routes of their dataset's severity and records each delivery in
 * ops.alerts and in the run's report. A delivery that fails is reported and recorded, never
 * fatal: the job's own outcome and exit code do not change.
 */
public final class Alerter {
  private static final Logger LOG = LoggerFactory.getLogger(Alerter.class);

  private final LakehouseSettings lakehouse;
  private final AlertSettings settings;
  private final Supplier<SparkSession> spark;
  private final String runId;
  private final String command;
  private final AlertSender sender;
  private final List<Delivery> deliveries = new ArrayList<>();

  public Alerter(LakehouseSettings lakehouse, Supplier<SparkSession> spark, String runId, String command) {
    this.lakehouse = lakehouse;
    this.settings = AlertSettings.from(lakehouse.config());
    // Every dataset's severity and routes checked now: a wrong one stops any command at start.
    lakehouse.datasets().values().forEach(settings::routesFor);
    this.spark = spark;
    this.runId = runId;
    this.command = command;
    this.sender = new AlertSender(settings);
  }

  public String runId() {
    return runId;
  }

  /** Triggers the alert on every route of the dataset's severity. */
  public void raise(DatasetSettings dataset, Alert alert) {
    send(settings.routesFor(dataset), alert, AlertPayloads.TRIGGER);
  }

  /** A run that failed outside any dataset's alerting (no --dataset): the non-paging routes. */
  public void raiseWithoutDataset(Alert alert) {
    send(settings.routesWithoutDataset(), alert, AlertPayloads.TRIGGER);
  }

  /**
   * The incident of this alert is over (its partition passed, its dataset is fresh again):
   * resolves it on each PagerDuty route where ops.alerts shows it triggered and not resolved.
   */
  public void resolve(DatasetSettings dataset, Alert alert) {
    List<AlertRoute> open = settings.routesFor(dataset).stream()
        .filter(r -> r.type() == RouteType.PAGERDUTY)
        .filter(r -> table().open(alert.dedupKey(), r.type().value())).toList();
    send(open, alert, AlertPayloads.RESOLVE);
  }

  /** What this run's alerts became, for its report. */
  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  private void send(List<AlertRoute> routes, Alert alert, String action) {
    if (routes.isEmpty()) {
      return;
    }
    List<AlertsTable.Entry> entries = new ArrayList<>();
    for (AlertRoute route : routes) {
      Delivery delivery = sender.send(route, alert, action);
      deliveries.add(delivery);
      if (delivery.sent()) {
        LOG.info("Alert {} {} of {} {} sent to the {} ({} attempts)", action, alert.kind().value(), alert.dataset(),
            alert.partition() == null ? "" : alert.partition(), route, delivery.attempts());
      } else {
        LOG.warn("Alert {} {} of {} not delivered to the {} after {} attempts: {}", action, alert.kind().value(),
            alert.dataset(), route, delivery.attempts(), delivery.error());
      }
      entries.add(new AlertsTable.Entry(Timestamp.from(Instant.now()), runId, command, alert.dataset(),
          alert.partition(), alert.kind().value(), route.type().value(), action, alert.dedupKey(), delivery.sent(),
          delivery.httpStatus(), delivery.attempts(), delivery.error()));
    }
    try {
      table().append(entries);
    } catch (RuntimeException e) {
      // The record is best effort (the catalog may be what failed); the report has the deliveries.
      LOG.warn("Could not record {} alert deliveries in {}: {}", entries.size(),
          lakehouse.opsTable(AlertsTable.NAME), e.getMessage());
    }
  }

  private AlertsTable table() {
    return new AlertsTable(spark.get(), lakehouse.opsTable(AlertsTable.NAME));
  }
}
