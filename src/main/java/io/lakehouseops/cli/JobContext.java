package io.lakehouseops.cli;

import io.lakehouseops.alerts.Alerter;
import io.lakehouseops.alerts.RunAlerts;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.iceberg.LakehouseSession;
import io.lakehouseops.storage.StorageProbe;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What a command hands its job: the validated settings, the run's identifiers, stdout for
 * row output, and a SparkSession created on first use (commands that need none start none).
 */
public final class JobContext {
  private final LakehouseSettings settings;
  private final String command;
  private final String runId;
  private final String dagRunId;
  private final PrintWriter out;
  private SparkSession spark;
  private final Alerter alerter;

  JobContext(LakehouseSettings settings, String command, String runId, String dagRunId,
      PrintWriter out) {
    this.settings = settings;
    this.command = command;
    this.runId = runId;
    this.dagRunId = dagRunId;
    this.out = out;
    this.alerter = new Alerter(settings, this::spark, runId, command);
  }

  /** Sends the run's alerts (and keeps what became of them for the report). */
  public Alerter alerter() {
    return alerter;
  }

  public RunAlerts alerts() {
    return new RunAlerts(alerter);
  }

  public LakehouseSettings settings() {
    return settings;
  }

  public String runId() {
    return runId;
  }

  public String dagRunId() {
    return dagRunId;
  }

  public PrintWriter out() {
    return out;
  }

  public SparkSession spark() {
    if (spark == null) {
      spark = LakehouseSession.getOrCreate(settings, "lakehouse-ops " + command);
      Map<String, String> roots = new LinkedHashMap<>();
      roots.put("lakehouse.catalog.warehouse", settings.catalog().warehouse());
      roots.put("lakehouse.zones.raw", settings.rawZone());
      StorageProbe.check(spark.sparkContext().hadoopConfiguration(), roots);
    }
    return spark;
  }
}
