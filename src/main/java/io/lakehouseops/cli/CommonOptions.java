package io.lakehouseops.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Option;

/** Options every subcommand accepts, anywhere on the line (Airflow appends them freely). */
public class CommonOptions {
  @Option(names = "--config", paramLabel = "FILE|URI",
      description = "HOCON configuration file (over reference.conf): a local path or a Hadoop "
          + "URI (s3a://, hdfs://, file://), read before Spark starts.")
  String config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one configuration key (repeatable); wins over --config.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--report", paramLabel = "FILE|URI",
      description = "Also write the JSON report here: a local path or a Hadoop URI (s3a://, "
          + "hdfs://), the report's durable home where the driver runs on a cluster.")
  String report;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Identifier of this run (default: a new UUID).")
  String runId;

  @Option(names = "--dag-run-id", paramLabel = "ID",
      description = "Airflow's run_id, recorded for lineage (default: AIRFLOW_CTX_DAG_RUN_ID, which "
          + "Airflow sets for the task's processes).")
  String dagRunId;

  /**
   * Airflow's run id: given, or from the environment Airflow gives a task (and spark-submit
   * passes on to a client-mode driver), so a run started from a DAG without --dag-run-id is
   * still traced to it.
   */
  String dagRunId() {
    if (dagRunId == null) {
      String fromAirflow = System.getenv("AIRFLOW_CTX_DAG_RUN_ID");
      dagRunId = fromAirflow == null || fromAirflow.isBlank() ? null : fromAirflow;
    }
    return dagRunId;
  }

  String runId() {
    if (runId == null) {
      runId = UUID.randomUUID().toString();
    }
    return runId;
  }
}
