package io.lakehouseops.testing;

import io.lakehouseops.faults.FaultInjection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One lakehouse-ops job in its own spark-submit JVM that the test steers: it may be held at a
 * named fault point (lakehouse-ops.fault-mode=pause), then released to go on, or killed there.
 * Each child has a temporary directory of its own, removed when it ends: a killed Spark runs
 * no shutdown hook, and left in /tmp its copy of the jar (userFiles) and block manager
 * directories stayed there after every test run.
 */
public final class ChildJob {
  private final Process process;
  private final Path out;
  private final Path err;
  private final Path release;
  private final String point;
  private final Path tmp;

  private ChildJob(Process process, Path out, Path err, Path release, String point, Path tmp) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.release = release;
    this.point = point;
    this.tmp = tmp;
  }

  /** Starts the job; it runs through. */
  public static ChildJob start(List<String> sparkArgs, List<String> appArgs) throws Exception {
    return start(null, 1, sparkArgs, appArgs);
  }

  /**
   * Starts the job, to be held at POINT on its `after`-th pass: it waits there until
   * {@link #release()} (or a kill). A null point runs through.
   */
  public static ChildJob start(String point, long after, List<String> sparkArgs, List<String> appArgs)
      throws Exception {
    Path out = Files.createTempFile("child", ".out");
    Path err = Files.createTempFile("child", ".err");
    Path release = Files.createTempFile("child", ".release");
    Files.delete(release);
    Path tmp = TempTrees.create("child-tmp");
    List<String> jvm = new ArrayList<>(List.of("-Djava.io.tmpdir=" + tmp));
    if (point != null) {
      jvm.addAll(List.of("-D" + FaultInjection.PROPERTY + "=" + point, "-D" + FaultInjection.MODE + "=pause",
          "-D" + FaultInjection.AFTER + "=" + after, "-D" + FaultInjection.RELEASE + "=" + release));
    }
    Process process = SparkSubmitProcess.builder(jvm, sparkArgs, appArgs)
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new ChildJob(process, out, err, release, point, tmp);
  }

  /** Waits until the job is held at its point; fails if it ends before reaching it. */
  public ChildJob awaitPaused() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!stderr().contains(FaultInjection.PAUSED + point)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("the job never paused at " + point + " (exit " + process.exitValue()
            + "):\n" + stderr());
      }
      Thread.sleep(200);
    }
    return this;
  }

  /** Lets a held job go on from its point. */
  public ChildJob release() throws Exception {
    Files.createFile(release);
    return this;
  }

  /** SIGKILL, as an operator's kill -9 or a lost node: no handler or finally block runs. */
  public CliRun kill() throws Exception {
    process.destroyForcibly();
    int exit = process.waitFor();
    if (exit != 137) { // 128 + SIGKILL
      throw new AssertionError("the job held at " + point + " was not killed by SIGKILL: exit " + exit);
    }
    return result();
  }

  /** Waits for the job to end (bounded) and returns what it printed. */
  public CliRun finish() throws Exception {
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the job did not finish in 5 minutes:\n" + stderr());
    }
    return result();
  }

  /** What the ended job printed; then its files and temporary directory are removed. */
  private CliRun result() throws Exception {
    CliRun run = new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr());
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    Files.deleteIfExists(release);
    TempTrees.delete(tmp);
    return run;
  }

  private String stderr() throws Exception {
    return Files.readString(err, StandardCharsets.UTF_8);
  }
}
