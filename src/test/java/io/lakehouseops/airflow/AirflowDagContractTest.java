package io.lakehouseops.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakehouseops.cli.LakehouseOpsCommand;
import io.lakehouseops.cli.Main;
import io.lakehouseops.config.ConfigLoader;
import io.lakehouseops.config.LakehouseSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The argument contract between the Airflow DAGs and the jar: every spark-submit call the DAGs
 * make, as rendered by airflow/checks/check_dags.py, must be accepted by the jar's own command
 * line. Renaming an option breaks this build, not the 3 a.m. run.
 */
class AirflowDagContractTest {
  private static final Path CALLS = Paths.get(System.getProperty("test.airflow.calls",
      "target/airflow/rendered-calls.json"));

  static List<JsonNode> renderedCalls() throws Exception {
    assertThat(CALLS).as("rendered by airflow/checks/run.sh in generate-test-resources").exists();
    List<JsonNode> calls = new ArrayList<>();
    new ObjectMapper().readTree(CALLS.toFile()).forEach(calls::add);
    return calls;
  }

  static List<String> args(JsonNode call) {
    List<String> args = new ArrayList<>();
    call.get("application_args").forEach(a -> args.add(a.asText()));
    return args;
  }

  @Test
  void everyRenderedCallParsesWithTheJarsCommandLine() throws Exception {
    List<JsonNode> calls = renderedCalls();
    Map<String, String> commands = new TreeMap<>();
    for (JsonNode call : calls) {
      String task = call.get("dag_id").asText() + "." + call.get("task_id").asText();
      List<String> args = args(call);
      StringWriter err = new StringWriter();
      CommandLine line = LakehouseOpsCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err));

      ParseResult parsed;
      try {
        parsed = line.parseArgs(args.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        throw new AssertionError(task + ": the jar rejects " + args + ": " + e.getMessage(), e);
      }

      assertThat(parsed.hasSubcommand()).as(task).isTrue();
      commands.put(task, parsed.subcommand().commandSpec().name());
      assertThat(parsed.subcommand().unmatched()).as(task).isEmpty();
      assertThat(call.get("java_class").asText()).as(task).isEqualTo(Main.class.getName());
      String config = args.get(args.indexOf("--config") + 1);
      assertThat(Paths.get(call.get("files").asText()).getFileName().toString())
          .as(task + ": --config names the file spark-submit ships with --files").isEqualTo(config);
      assertThat(call.get("conf").get("spark.sql.extensions").asText())
          .isEqualTo("org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    }
    assertThat(commands.values()).contains("promote", "health", "compact", "expire-snapshots", "tier", "backfill");
  }

  @Test
  void everyDatasetTheDagsNameIsDeclaredInTheProductionConfig() throws Exception {
    LakehouseSettings production = LakehouseSettings.from(
        ConfigLoader.load(Paths.get("conf/application.conf"), List.of()));
    for (JsonNode call : renderedCalls()) {
      List<String> args = args(call);
      int dataset = args.indexOf("--dataset");
      if (dataset >= 0) {
        assertThat(production.datasets()).as(call.get("task_id").asText()).containsKey(args.get(dataset + 1));
      }
    }
  }

  /** The check above can fail: an option the jar does not have is a parse error. */
  @Test
  void aRenamedOptionIsCaught() {
    CommandLine line = LakehouseOpsCommand.commandLine(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> line.parseArgs("promote", "--dataset", "x",
        "--day", "2024-01-02")).isInstanceOf(CommandLine.ParameterException.class);
  }
}
