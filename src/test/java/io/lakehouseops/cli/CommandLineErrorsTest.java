package io.lakehouseops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Mistakes on the command line or in the config: exit 2, one line naming the input, a report. */
class CommandLineErrorsTest {

  @Test
  void helpListsEverySubcommandAndTheExitCodes() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("promote", "compact", "expire-snapshots", "tier", "backfill",
        "health", "sql", "sample-data", "Exit codes");
  }

  @Test
  void versionNamesToolSparkAndIceberg() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).containsPattern("lakehouse-ops \\d+\\.\\d+\\.\\d+")
        .contains("Spark 3.5.9", "Iceberg 1.12.0");
  }

  @Test
  void subcommandHelpShowsTheCommonOptions() {
    CliRun run = CliRun.of("sql", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("--config", "--set", "--report", "--run-id", "--dag-run-id");
  }

  static Stream<Arguments> badInvocations() {
    return Stream.of(
        Arguments.of(new String[] {"sample-data", "--start", "2024-01-01"}, "usage",
            "sample-data writes raw data (--dataset NAME --start YYYY-MM-DD) or a CDC table (--cdc --table "
                + "NS.TABLE), not without --dataset and --start"),
        Arguments.of(new String[] {"sample-data", "--cdc", "--table", "cdc.t", "--rows", "10", "--commits", "20"},
            "usage", "--cdc needs 1 <= --commits <= --rows"),
        Arguments.of(new String[] {"compact"}, "usage", "Missing required argument"),
        Arguments.of(new String[] {"sample-data", "--dataset", "user_events", "--start", "2024-13-01"},
            "usage", "Invalid value for option '--start'"),
        Arguments.of(new String[] {"sql", "SELECT 1", "--set", "lakehouse.spark.master"}, "config",
            "Invalid --set 'lakehouse.spark.master': expected key=value"),
        Arguments.of(new String[] {"sql", "SELECT 1", "--set", "lakehouse.catalg.name=x"}, "config",
            "Unknown configuration key lakehouse.catalg (--set lakehouse.catalg.name): check the spelling"),
        Arguments.of(new String[] {"sql", "SELECT 1", "--set", "lakehouse.catalog.type=oracle"}, "config",
            "Invalid configuration at lakehouse.catalog.type: 'oracle' is not one of"),
        Arguments.of(new String[] {"sql", "SELECT 1", "--set", "lakehouse.dataset-defaults.sla-hours=soon"},
            "config", "Invalid configuration: --set lakehouse.dataset-defaults.sla-hours: sla-hours has type STRING rather than NUMBER"),
        Arguments.of(new String[] {"sql", "SELECT 1", "--set", "lakehouse.catalog.name=lake-1"}, "config",
            "Invalid lakehouse.catalog.name: 'lake-1' is not an identifier"),
        Arguments.of(new String[] {"sql", "SELECT 1", "--set",
            "lakehouse.catalog.uri=jdbc:sqlite::memory:"}, "config", "an in-memory SQLite database"),
        Arguments.of(new String[] {"sql", "SELECT 1", "--set", "lakehouse.catalog.type=hadoop",
            "--set", "lakehouse.catalog.warehouse=s3a://bucket/wh"}, "config",
            "the hadoop catalog loses concurrent commits on object stores"),
        Arguments.of(new String[] {"sample-data", "--dataset", "clicks", "--start", "2024-01-01"},
            "config", "Unknown dataset 'clicks': declare it under lakehouse.datasets.clicks"),
        Arguments.of(new String[] {"health", "--table", "curated.bad-name"}, "config",
            "Invalid --table 'curated.bad-name': expected NS.TABLE or CATALOG.NS.TABLE"));
  }

  @ParameterizedTest(name = "{index}: {2}")
  @MethodSource("badInvocations")
  void badInputExitsTwoWithOneLineAndAReport(String[] args, String errorType, String message) {
    assertUsageError(CliRun.withTestConfig(args), errorType, message);
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    assertUsageError(CliRun.of("frobnicate"), "usage", "Unmatched argument at index 0: 'frobnicate'");
  }

  @Test
  void noSubcommandIsAUsageError() {
    assertUsageError(CliRun.of(), "usage", "Missing subcommand: choose one of");
  }

  private static void assertUsageError(CliRun run, String errorType, String message) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    String firstLine = run.stderr().lines().findFirst().orElse("");
    assertThat(firstLine).as("first stderr line").contains(message);
    JsonNode report = run.report();
    assertThat(report.get("status").asText()).isEqualTo("FAILED");
    assertThat(report.get("error").get("type").asText()).isEqualTo(errorType);
    assertThat(report.get("error").get("message").asText()).contains(message);
  }

  @Test
  void unreadableConfigFileIsAConfigError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.conf");
    CliRun run = CliRun.of("sql", "SELECT 1", "--config", missing.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("Cannot read config file " + missing + ": no such readable file");
    assertThat(run.report().get("error").get("type").asText()).isEqualTo("config");
  }

  @Test
  void malformedConfigFileNamesFileAndLine(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "lakehouse {\n  catalog { name = \n");
    CliRun run = CliRun.of("sql", "SELECT 1", "--config", bad.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr().lines().findFirst().orElse(""))
        .startsWith("lakehouse-ops sql: Cannot parse config file " + bad)
        .contains("bad.conf: 3");
  }

  @Test
  void reportFileGetsTheSameJsonAsStdout(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("reports/run.json");
    CliRun run = CliRun.of("sql", "SELECT 1", "--set", "lakehouse.nope=1", "--report",
        report.toString(), "--run-id", "run-42", "--dag-run-id", "scheduled__2024-01-01");
    assertThat(run.exitCode()).isEqualTo(2);
    String written = Files.readString(report).strip();
    assertThat(written).isEqualTo(run.stdoutLines().get(run.stdoutLines().size() - 1));
    assertThat(run.report().get("run_id").asText()).isEqualTo("run-42");
    assertThat(run.report().get("dag_run_id").asText()).isEqualTo("scheduled__2024-01-01");
    assertThat(TestLakehouse.configFile()).exists();
  }
}
