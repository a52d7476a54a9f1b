package io.lakehouseops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.StandaloneCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * C1: P1's promote and P3's compaction and selective query through the real spark-submit, on
 * local[2] and on a Spark standalone cluster of the same two cores (a master and two workers of
 * one core each, each its own JVM on loopback, as the project's cluster tests start it): what
 * the distributed path costs. Each run is a whole spark-submit, so the JVM and Spark start are
 * in both; the command's own time (the report's duration_ms) is noted apart. The two ways
 * alternate which runs first; each run writes tables of its own (its own namespaces).
 */
final class ClusterBench {
  private static final int RUNS = 2;
  private static final String FILE_SYSTEM = "spark.hadoop.fs.file.impl=org.apache.hadoop.fs.LocalFileSystem";

  private ClusterBench() {}

  /** launcher: scripts/lakehouse-ops, beside which spark-submit-local is. */
  static List<Measurement> run(BenchLakehouse lake, Path launcher, List<String> partitions) throws Exception {
    Path root = launcher.toAbsolutePath().getParent().getParent();
    submit(List.of(launcher.toString(), "--version")); // builds the jar when the sources are newer
    Path jar = jar(root);
    StandaloneCluster cluster = new StandaloneCluster(2);
    cluster.beforeAll(null);
    try {
      Way local = new Way("local[2]", root, jar, List.of("--master", "local[2]"));
      Way standalone = new Way("cluster", root, jar, List.of("--master", cluster.masterUrl(),
          "--conf", "spark.executor.memory=1g", "--conf", "spark.cores.max=2"));
      // Untimed: the first spark-submit after a build writes the launcher's class-data archive.
      local.run(lake, "sql", "SELECT 1");
      List<Measurement> results = new ArrayList<>();
      long rows = lake.rawPartition(partitions.get(0)).count();
      double[][] promote = new double[2][2];
      double[][] compact = new double[2][2];
      double[][] query = new double[2][2];
      for (int run = 0; run < RUNS; run++) {
        String partition = partitions.get(run % partitions.size());
        for (Way way : run % 2 == 0 ? List.of(local, standalone) : List.of(standalone, local)) {
          int w = way == local ? 0 : 1;
          String ns = "c1_" + (w == 0 ? "local" : "cluster") + "_" + run;
          add(promote[w], way.run(lake, "promote", "--dataset", "lineitem", "--date", partition,
              "--set", "lakehouse.namespaces.curated=" + ns, "--set", "lakehouse.namespaces.quarantine=" + ns + "_q",
              "--set", "lakehouse.namespaces.ops=" + ns + "_ops"));
          String table = "lake.bench." + ns + "_small";
          CompactionBench.smallFilesTable(lake, table, partition);
          add(compact[w], way.run(lake, "compact", "--table", table.substring("lake.".length())));
          add(query[w], way.run(lake, "sql", CompactionBench.selectiveQuery(table, partition)));
        }
      }
      results.add(measure("C1-P1", "promote of a lineitem year", promote, rows));
      results.add(measure("C1-P3-compact", "compact (binpack) of P3's 2,040-file table", compact, rows));
      results.add(measure("C1-P3-selective", "TPC-H Q6 on it after the compaction", query, rows));
      return results;
    } finally {
      cluster.afterAll(null);
    }
  }

  private static void add(double[] totals, double[] run) {
    totals[0] += run[0];
    totals[1] += run[1];
  }

  private static Measurement measure(String id, String what, double[][] seconds, long rows) {
    double local = seconds[0][0] / RUNS;
    double cluster = seconds[1][0] / RUNS;
    return Measurement.reported(id, what + ", standalone cluster vs local[2]", "spark-submit --master spark://...",
        "spark-submit --master local[2]", cluster, local, rows, String.format(Locale.ROOT,
            "mean of %d spark-submits each, JVM and Spark start included; the command alone (the report's "
                + "duration_ms): %.2f s on the cluster, %.2f s on local[2]; 2 workers of 1 core against 2 local cores",
            RUNS, seconds[1][1] / RUNS, seconds[0][1] / RUNS));
  }

  /** One way of running the tool: spark-submit with these options. */
  private record Way(String name, Path root, Path jar, List<String> options) {
    /** Runs a subcommand; returns its wall time and the report's duration, in seconds. */
    double[] run(BenchLakehouse lake, String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of(root.resolve("scripts/spark-submit-local").toString()));
      command.addAll(options);
      command.addAll(List.of("--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
          "--conf", FILE_SYSTEM, jar.toString()));
      command.addAll(List.of(args));
      command.addAll(List.of("--config", lake.config().toString()));
      long start = System.nanoTime();
      CliRun done = submit(command);
      double wall = (System.nanoTime() - start) / 1e9;
      JsonNode report = done.report();
      if (done.exitCode() != 0) {
        throw new IllegalStateException(name + " " + args[0] + " exited " + done.exitCode() + ": " + report);
      }
      return new double[] {wall, report.get("duration_ms").asLong() / 1000.0};
    }
  }

  private static CliRun submit(List<String> command) throws Exception {
    Path out = Files.createTempFile("c1", ".out");
    Path err = Files.createTempFile("c1", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("did not finish in 10 minutes: " + command);
      }
      return new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Path jar(Path root) throws Exception {
    try (var files = Files.list(root.resolve("target"))) {
      return files.filter(f -> f.getFileName().toString().matches("lakehouse-ops-.*\\.jar")
          && !f.getFileName().toString().matches(".*(original|tests).*")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no lakehouse-ops jar in target/ after a launch"));
    }
  }
}
