package io.lakehouseops.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The promote task of lakehouse_promote_user_events, as check_dags.py rendered it, run end to
 * end through scripts/spark-submit-local (Spark's real SparkSubmit) with --master local[2].
 * Only --config changes: the DAG ships the production application.conf, this run points at the
 * embedded test catalog instead.
 */
class RenderedPromoteIT {
  @Test
  void theDagsPromoteCommandPromotesTheDayOfItsRun() throws Exception {
    JsonNode promote = AirflowDagContractTest.renderedCalls().stream()
        .filter(c -> c.get("dag_id").asText().equals("lakehouse_promote_user_events")).findFirst().orElseThrow();
    List<String> args = new ArrayList<>(AirflowDagContractTest.args(promote));
    String date = args.get(args.indexOf("--date") + 1);
    String dagRunId = args.get(args.indexOf("--dag-run-id") + 1);
    Path report = Path.of(args.get(args.indexOf("--report") + 1));
    args.set(args.indexOf("--config") + 1, TestLakehouse.configFile().toString());
    CliRun sample = CliRun.of("sample-data", "--dataset", "user_events", "--start", date, "--days", "1",
        "--rows-per-day", "300", "--config", TestLakehouse.configFile().toString());
    assertThat(sample.exitCode()).as(sample.toString()).isZero();

    List<String> command = new ArrayList<>(List.of("bash", "scripts/spark-submit-local", "--master", "local[2]",
        "--conf", "spark.ui.enabled=false", "--name", promote.get("name").asText(),
        "--class", promote.get("java_class").asText(), System.getProperty("test.lakehouse.jar")));
    command.addAll(args);
    Path out = Files.createTempFile("rendered-promote", ".out");
    Path err = Files.createTempFile("rendered-promote", ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("finished in 5 minutes").isTrue();
    CliRun run = new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.report().get("dag_run_id").asText()).isEqualTo(dagRunId);
    assertThat(run.report().get("result").get("partition").asText()).isEqualTo("dt=" + date);
    assertThat(run.report().get("result").get("rows_inserted").asLong()).isEqualTo(300);
    assertThat(report).as("--report as the DAG renders it").exists();
  }
}
