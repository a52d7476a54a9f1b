package io.lakehouseops.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
 * make, as real Airflow 2 and 3 rendered them (airflow/tests/run.sh, before the integration
 * tests), must be accepted by the jar's own command line. Renaming an option breaks this
 * build, not the 3 a.m. run.
 */
class AirflowDagContractIT {
  private static final Path CALLS = Paths.get(System.getProperty("test.airflow.calls", "target/airflow"));

  static List<JsonNode> renderedCalls() throws Exception {
    assumeFalse(Boolean.getBoolean("test.airflow.skipped"), "-Dairflow.checks.skip");
    List<JsonNode> calls = new ArrayList<>();
    for (String version : List.of("2", "3")) {
      Path file = CALLS.resolve("rendered-calls-airflow" + version + ".json");
      assertThat(file).as("rendered under Airflow " + version + " by airflow/tests/run.sh").exists();
      new ObjectMapper().readTree(file.toFile()).forEach(calls::add);
    }
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
      assertThat(args.get(args.indexOf("--config") + 1)).as(task + ": the config from its Variable")
          .isEqualTo("/opt/lakehouse-ops/application.conf");
      assertThat(call.get("conf").fieldNames()).as(task + ": the catalog comes from the config file")
          .toIterable().noneMatch(key -> key.startsWith("spark.sql.catalog"));
    }
    assertThat(commands.values()).contains("promote", "health", "compact", "expire-snapshots", "tier", "backfill");
  }

  @Test
  void everyDatasetTheDagsNameIsDeclaredInTheProductionConfig() throws Exception {
    LakehouseSettings production = LakehouseSettings.from(
        ConfigLoader.load("conf/application.conf", List.of()));
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
