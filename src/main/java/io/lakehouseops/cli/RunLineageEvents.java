package io.lakehouseops.cli;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.lineage.HasLineage;
import io.lakehouseops.lineage.LineageDataset;
import io.lakehouseops.lineage.LineageDatasets;
import io.lakehouseops.lineage.LineageDelivery;
import io.lakehouseops.lineage.LineageEmitter;
import io.lakehouseops.lineage.LineageRun;
import io.lakehouseops.lineage.LineageSettings;
import io.lakehouseops.lineage.ParentRun;
import io.lakehouseops.lineage.TableDescription;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.RunStatus;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;

/**
 * A command run's OpenLineage events: START with what its options name (--dataset: the raw
 * dataset in, its curated table out; --table: that table), then COMPLETE, or FAIL with the
 * report's error, with what the job says it read and wrote when it knows (HasLineage).
 */
final class RunLineageEvents implements AutoCloseable {
  private final LineageEmitter emitter;
  private final LineageDatasets named;

  private RunLineageEvents(LineageEmitter emitter, LineageDatasets named) {
    this.emitter = emitter;
    this.named = named;
  }

  static RunLineageEvents start(LakehouseSettings settings, String command, String runId, String dagRunId,
      String dataset, String table, String version) {
    LineageSettings lineage = LineageSettings.from(settings.config());
    Optional<ParentRun> parent = ParentRun.find(System::getProperty, System::getenv, dagRunId,
        lineage.airflowNamespace());
    String subject = dataset != null ? "." + dataset : table != null ? "." + table : "";
    LineageRun run = new LineageRun(lineage.namespace(), command + subject, runId, parent,
        settings.catalog().warehouse(), "iceberg://" + settings.catalog().name(), version,
        org.apache.spark.package$.MODULE$.SPARK_VERSION());
    RunLineageEvents events = new RunLineageEvents(new LineageEmitter(lineage, run, RunLineageEvents::describe),
        named(settings, command, dataset, table));
    events.emitter.start(events.named);
    return events;
  }

  void finished(RunStatus status, JobOutcome outcome, String error) {
    LineageDatasets datasets = outcome != null && outcome.result() instanceof HasLineage known
        ? known.lineageDatasets() : named;
    if (status.exitCode() == 0 || status == RunStatus.NEEDS_ACTION) {
      emitter.complete(datasets);
    } else {
      emitter.fail(datasets, error != null ? error : outcome == null ? status.name() : outcome.message());
    }
  }

  Optional<LineageDelivery> delivery() {
    return emitter.delivery();
  }

  @Override
  public void close() {
    emitter.close();
  }

  /**
   * What the options name: the raw dataset in (promote, backfill) or out (sample-data); the
   * table out, or in for health, which only reads.
   */
  private static LineageDatasets named(LakehouseSettings settings, String command, String dataset, String table) {
    if (dataset != null && settings.datasets().containsKey(dataset)) {
      DatasetSettings d = settings.datasets().get(dataset);
      LineageDataset raw = LineageDataset.location(d.rawPath());
      LineageDataset curated = LineageDataset.table(d.table().name());
      return switch (command) {
        case "promote", "backfill" -> new LineageDatasets(List.of(raw), List.of(curated));
        case "sample-data" -> new LineageDatasets(List.of(), List.of(raw));
        case "health" -> new LineageDatasets(List.of(curated), List.of()); // reads metadata only
        default -> new LineageDatasets(List.of(), List.of(curated));
      };
    }
    if (table != null) {
      try {
        LineageDataset named = LineageDataset.table(TableRef.parse(table, settings.catalog().name(), "--table").name());
        return command.equals("health") ? new LineageDatasets(List.of(named), List.of())
            : new LineageDatasets(List.of(), List.of(named));
      } catch (RuntimeException e) { // the command refuses it itself
        return LineageDatasets.NONE;
      }
    }
    return LineageDatasets.NONE;
  }

  /** A table's location and columns, when the run has a session and the table exists. */
  private static Optional<TableDescription> describe(String name) {
    scala.Option<SparkSession> session = SparkSession.getDefaultSession();
    if (session.isEmpty()) {
      return Optional.empty();
    }
    try {
      TableRef ref = TableRef.parse(name, null, "table");
      if (!Tables.exists(session.get(), ref)) {
        return Optional.empty();
      }
      Table table = Tables.load(session.get(), ref);
      table.refresh();
      return Optional.of(new TableDescription(table.location(), table.schema().columns().stream()
          .map(c -> new TableDescription.Column(c.name(), c.type().toString())).toList()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
