package io.lakehouseops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakehouseops.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One in-process run of the command line: exit code, stdout, stderr and the report. */
public record CliRun(int exitCode, String stdout, String stderr) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs main in-process with the shared test config appended. */
  public static CliRun withTestConfig(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--config");
    all.add(TestLakehouse.configFile().toString());
    return of(all.toArray(String[]::new));
  }

  public static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    CliRun run = new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    run.checkReport();
    return run;
  }

  /**
   * Holds the report, when the run printed one (--help and --version print none), to the
   * schema, whether or not the test reads it.
   */
  private void checkReport() {
    List<String> lines = stdoutLines();
    if (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith("{")) {
      report();
    }
  }

  public List<String> stdoutLines() {
    return stdout.isBlank() ? List.of() : List.of(stdout.strip().split("\\R"));
  }

  /** The report: the last line of stdout, valid against docs/report.schema.json. */
  public JsonNode report() {
    List<String> lines = stdoutLines();
    if (lines.isEmpty()) {
      throw new AssertionError("no report on stdout; stderr was:\n" + stderr);
    }
    try {
      JsonNode report = JSON.readTree(lines.get(lines.size() - 1));
      JsonSchemas.assertValidReport(report);
      return report;
    } catch (java.io.IOException e) {
      throw new AssertionError("last stdout line is not JSON: " + lines.get(lines.size() - 1), e);
    }
  }

  /** stdout lines before the report, parsed as JSON. */
  public List<JsonNode> rows() {
    List<String> lines = stdoutLines();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : lines.subList(0, Math.max(0, lines.size() - 1))) {
      try {
        rows.add(JSON.readTree(line));
      } catch (java.io.IOException e) {
        throw new AssertionError("stdout line is not JSON: " + line, e);
      }
    }
    return rows;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
  }
}
