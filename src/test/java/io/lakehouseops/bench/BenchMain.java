package io.lakehouseops.bench;

import io.lakehouseops.testing.LoopbackRelay;
import io.lakehouseops.testing.S3MockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark suite (scripts/bench.sh runs it): every benchmark against its baseline in this
 * one JVM and SparkSession, on the generated lineitem raw zone. Prints the table and writes
 * results.json and results.md. Benchmarks, not tests: a missed target is reported, not failed.
 *
 * <p>Usage: BenchMain --scale NAME --data RAW_LINEITEM_DIR --contract AVSC --out DIR --launcher PATH
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path out = Paths.get(options.getOrDefault("out", "target/bench"));
    Path work = out.resolve("work");
    deleteRecursively(work);
    // --only P1,P3: a subset, e.g. while profiling one benchmark.
    List<String> only = List.of(options.getOrDefault("only", "P1,P2,P3,P4,P5,E1,P6,P7,P8,P9,floor").split(","));
    // P6's S3 server (its own process) and the relay that counts what it sends, launched first:
    // the catalog takes its S3 settings when the session starts. It boots while Spark does, and
    // is waited for before the first benchmark.
    boolean s3Needed = only.contains("P6") || only.contains("P9") || only.contains("P9-deletes");
    S3MockServer s3 = s3Needed ? new S3MockServer() : null;
    if (s3 != null) {
      s3.start();
    }
    try {
      run(options, out, work, only, s3);
    } finally {
      if (s3 != null) {
        s3.afterAll(null); // its own process: never left running
      }
    }
  }

  private static void run(Map<String, String> options, Path out, Path work, List<String> only, S3MockServer s3)
      throws Exception {
    LoopbackRelay proxy = s3 == null ? null : new LoopbackRelay(s3.port(), false);
    BenchLakehouse lake = new BenchLakehouse(work.toAbsolutePath(), Paths.get(options.get("data")).toAbsolutePath(),
        Paths.get(options.get("contract")), proxy == null ? null : proxy.endpoint());
    SparkJobCounter jobs = SparkJobCounter.register(lake.spark());
    List<String> partitions = lake.partitions();
    long lineitemRows = lake.rawRowCount();
    if (s3 != null) {
      s3.awaitReady();
    }
    // The biggest full years are in the middle of TPC-H's date range.
    String middle = partitions.get(partitions.size() / 2);

    // small is a quick check: fewer timed repeats and objects than medium.
    boolean medium = "medium".equals(options.get("scale"));
    List<Measurement> results = new ArrayList<>();
    long section = System.nanoTime();
    if (only.contains("P1")) {
      // Two partitions warm up; then four timed (two for a quick check): this machine's noise
      // moved a three-year sum by a tenth of the ratio from run to run.
      int timed = medium ? 4 : 2;
      results.add(print(PromoteBench.run(lake, jobs,
          partitions.subList(0, Math.min(PromoteBench.WARM_UPS + timed, partitions.size())))));
      results.add(print(EventsPromoteBench.run(lake, jobs, medium ? 500_000 : 20_000, timed)));
      section = took("P1", section);
    }
    if (only.contains("P2")) {
      GateBench.run(lake, jobs, middle).forEach(m -> results.add(print(m)));
      section = took("P2", section);
    }
    if (only.contains("P3")) {
      CompactionBench.run(lake, middle, medium ? 3 : 1).forEach(m -> results.add(print(m)));
      section = took("P3", section);
    }
    if (only.contains("P4")) {
      ZOrderBench.run(lake, partitions.subList(partitions.size() / 2 - 1, partitions.size() / 2 + 2), medium).forEach(m -> results.add(print(m)));
      section = took("P4", section);
    }
    if (only.contains("P5")) {
      BackfillBench.run(lake, jobs, medium ? 200_000 : 20_000, !medium).forEach(m -> results.add(print(m)));
      section = took("P5", section);
    }
    if (only.contains("E1")) {
      EraseBench.run(lake, medium ? 200_000 : 20_000).forEach(m -> results.add(print(m)));
      section = took("E1", section);
    }
    if (only.contains("P6")) {
      int objects = medium ? 1000 : 50;
      TierBench.run(lake, proxy, objects).forEach(m -> results.add(print(m)));
      section = took("P6", section);
    }
    if (only.contains("P7")) {
      CdcBench.run(lake, medium ? 2_000_000 : 100_000, medium ? 500 : 50, medium ? 1 : 3, medium ? 5 : 3)
          .forEach(m -> results.add(print(m)));
      section = took("P7", section);
    }
    if (only.contains("P8")) {
      TableSizeBench.run(lake, jobs, medium ? 100_000 : 20_000, medium ? 1000 : 100)
          .forEach(m -> results.add(print(m)));
      section = took("P8", section);
    }
    if (only.contains("P9")) {
      LargeMetadataBench.run(lake, medium ? 10_000 : 2_000).forEach(m -> results.add(print(m)));
      section = took("P9", section);
    }
    if (only.contains("P9") || only.contains("P9-deletes")) {
      ExpireDeleteBench.run(lake, proxy, medium ? 1000 : 100).forEach(m -> results.add(print(m)));
      section = took("P9-deletes", section);
    }
    if (only.contains("cluster")) {
      // Not in the default set: a standalone cluster of its own, about 5 minutes at medium.
      ClusterBench.run(lake, Paths.get(options.get("launcher")), List.of(middle)).forEach(m -> results.add(print(m)));
      section = took("cluster", section);
    }
    if (only.contains("floor")) {
      lake.createEmptyLineitemTable("lake.bench.lineitem_copy", "");
      if (!only.contains("P1")) {
        // backfill needs the curated table P1's promotes create.
        lake.spark().sql("CREATE NAMESPACE IF NOT EXISTS lake.curated");
        lake.createEmptyLineitemTable("lake.curated.lineitem", "'write.wap.enabled' = 'true'");
      }
      NoopFloor.run(lake, Paths.get(options.get("launcher"))).forEach(m -> results.add(print(m)));
      took("floor", section);
    }

    Map<String, Object> run = new LinkedHashMap<>();
    run.put("scale", options.get("scale"));
    run.put("lineitem_rows", lineitemRows);
    run.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version") + ", Spark " + lake.spark().version() + ", local[2]");
    run.put("date", LocalDate.now().toString());
    ResultsWriter.write(out, run, results);
    System.out.println();
    System.out.print(ResultsWriter.markdown(run, results));
    System.out.println("\nwritten: " + out.resolve("results.json") + ", " + out.resolve("results.md"));
    lake.spark().stop();
    if (proxy != null) {
      proxy.close();
    }
  }

  /** Prints how long a benchmark took with its set-up (what a run of the suite costs), and restarts the watch. */
  private static long took(String id, long sectionStart) {
    System.out.printf("bench: %s took %.0f s with its set-up%n", id, (System.nanoTime() - sectionStart) / 1e9);
    return System.nanoTime();
  }

  private static Measurement print(Measurement m) {
    if ("-".equals(m.baseline())) {
      System.out.printf("%-22s %-40s %8.2fs%n", m.id(), m.name(), m.subjectSeconds());
      return m;
    }
    System.out.printf("%-14s %-40s %8.2fs vs %8.2fs  %8s  target %-18s %s%n", m.id(), m.name(),
        m.subjectSeconds(), m.baselineSeconds(), m.ratioText(), m.target(), m.met() ? "met" : "MISSED");
    return m;
  }

  private static void deleteRecursively(Path folder) throws java.io.IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (var paths = Files.walk(folder)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
