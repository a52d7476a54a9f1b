package io.lakehouseops.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor of every run: a subcommand that finds nothing to do, launched as users launch it
 * (scripts/lakehouse-ops, a JVM of its own), timed from start to report. Hourly schedules pay
 * this whatever the data.
 */
final class NoopFloor {
  private NoopFloor() {}

  static List<Measurement> run(BenchLakehouse lake, Path launcher) throws Exception {
    List<List<String>> noops = List.of(
        List.of("sql", "SELECT 1"),
        List.of("promote", "--dataset", "lineitem", "--date", "1980-01-01"),
        List.of("backfill", "--dataset", "lineitem", "--from", "1980-01-01", "--to", "1980-01-01",
            "--triggered-by", "manual", "--dry-run"),
        List.of("health", "--table", "bench.lineitem_copy"),
        List.of("compact", "--table", "bench.lineitem_copy", "--dry-run"),
        List.of("expire-snapshots", "--table", "bench.lineitem_copy", "--dry-run"),
        List.of("tier", "--all", "--dry-run"));
    // One untimed launch first, unless the launcher is warm: after a build it rebuilds the jar
    // and (re)writes its class-data archive, a one-off cost users do not pay on every run.
    if (!isWarm(launcher.toAbsolutePath().getParent().getParent())) {
      launch(launcher, lake, noops.get(0));
    }
    List<Measurement> results = new ArrayList<>();
    for (List<String> args : noops) {
      double seconds = Stopwatch.seconds(() -> launch(launcher, lake, args));
      results.add(Measurement.floor("floor-" + args.get(0), args.get(0) + " with nothing to do", seconds,
          String.join(" ", args)));
    }
    return results;
  }

  /**
   * As scripts/classpath.sh judges it: the jar is newer than every source and the pom, and the
   * class-data archive newer than the jar and the Spark classpath.
   */
  private static boolean isWarm(Path root) throws java.io.IOException {
    Path target = root.resolve("target");
    Path archive = target.resolve("lakehouse-ops.jsa");
    Path classpath = target.resolve("spark-classpath.txt");
    Path jar;
    try (var files = java.nio.file.Files.list(target)) {
      jar = files.filter(f -> f.getFileName().toString().matches("lakehouse-ops-.*\\.jar")
          && !f.getFileName().toString().matches(".*(original|tests).*")).findFirst().orElse(null);
    }
    if (jar == null || !java.nio.file.Files.exists(archive) || !java.nio.file.Files.exists(classpath)) {
      return false;
    }
    long built = modified(jar);
    if (modified(archive) <= built || modified(archive) <= modified(classpath) || modified(root.resolve("pom.xml")) > built) {
      return false;
    }
    try (var sources = java.nio.file.Files.walk(root.resolve("src/main"))) {
      return sources.noneMatch(f -> modified(f) > built);
    }
  }

  private static long modified(Path file) {
    try {
      return java.nio.file.Files.getLastModifiedTime(file).toMillis();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int launch(Path launcher, BenchLakehouse lake, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(args);
    command.addAll(List.of("--config", lake.config().toString()));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", args) + " exited " + code);
    }
    return code;
  }
}
