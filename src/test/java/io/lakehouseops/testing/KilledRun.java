package io.lakehouseops.testing;

import io.lakehouseops.ops.FaultInjection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the jar through spark-submit in a child JVM that stops at a named fault point
 * (lakehouse-ops.fault-mode=pause), then kills it there with SIGKILL from outside, as an
 * operator's kill -9 or a lost node would: no exception handler, no finally block runs.
 */
public final class KilledRun {
  /** What the paused job prints on stderr (FaultInjection's marker). */
  public static final String MARKER = FaultInjection.PAUSED;

  private KilledRun() {}

  /**
   * Starts the job, waits until it pauses at the point (after `after` passes of it), kills it
   * with SIGKILL and returns what it printed. Fails if the job ends before reaching the point.
   */
  public static CliRun killAt(String point, long after, List<String> sparkArgs, List<String> appArgs)
      throws Exception {
    List<String> jvm = new ArrayList<>(List.of("-Dlakehouse-ops.fault-point=" + point,
        "-Dlakehouse-ops.fault-mode=pause", "-Dlakehouse-ops.fault-after=" + after));
    Path out = Files.createTempFile("killed", ".out");
    Path err = Files.createTempFile("killed", ".err");
    Process process = SparkSubmitProcess.builder(jvm, sparkArgs, appArgs)
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!Files.readString(err, StandardCharsets.UTF_8).contains(MARKER + point)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("the job never paused at " + point + " (exit " + process.exitValue()
            + "):\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
      Thread.sleep(200);
    }
    process.destroyForcibly(); // SIGKILL on Unix
    assertKilled(process.waitFor(), point);
    return new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void assertKilled(int exitCode, String point) {
    if (exitCode != 137) { // 128 + SIGKILL
      throw new AssertionError("the job paused at " + point + " was not killed by SIGKILL: exit " + exitCode);
    }
  }
}
