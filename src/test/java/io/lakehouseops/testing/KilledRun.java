package io.lakehouseops.testing;

import java.util.List;

/**
 * Runs the jar through spark-submit in a child JVM that stops at a named fault point, then
 * kills it there with SIGKILL from outside, as an operator's kill -9 or a lost node would.
 */
public final class KilledRun {
  private KilledRun() {}

  /**
   * Starts the job, waits until it pauses at the point (after `after` passes of it), kills it
   * with SIGKILL and returns what it printed. Fails if the job ends before reaching the point.
   */
  public static CliRun killAt(String point, long after, List<String> sparkArgs, List<String> appArgs)
      throws Exception {
    return ChildJob.start(point, after, sparkArgs, appArgs).awaitPaused().kill();
  }
}
