package io.lakehouseops.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the Spark jobs started while a benchmark runs (what the gate's "one scan" claims) and,
 * for profiling, sums each job's wall time under its description (the jobs set
 * setJobDescription, e.g. "lakehouse-ops: MERGE into ..."): where a subcommand's time goes.
 */
final class SparkJobCounter extends SparkListener {
  private final AtomicLong jobs = new AtomicLong();
  private final Map<Integer, Long> started = new ConcurrentHashMap<>();
  private final Map<Integer, String> descriptions = new ConcurrentHashMap<>();
  private final Map<String, double[]> byDescription = new ConcurrentHashMap<>();

  static SparkJobCounter register(SparkSession spark) {
    SparkJobCounter counter = new SparkJobCounter();
    spark.sparkContext().addSparkListener(counter);
    return counter;
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    jobs.incrementAndGet();
    started.put(jobStart.jobId(), jobStart.time());
    String description = jobStart.properties() == null ? null
        : jobStart.properties().getProperty("spark.job.description");
    descriptions.put(jobStart.jobId(), description == null ? "(no description)" : description);
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd jobEnd) {
    Long start = started.remove(jobEnd.jobId());
    String description = descriptions.remove(jobEnd.jobId());
    if (start != null) {
      double[] totals = byDescription.computeIfAbsent(description, d -> new double[2]);
      synchronized (totals) {
        totals[0]++;
        totals[1] += (jobEnd.time() - start) / 1000.0;
      }
    }
  }

  long count() {
    return jobs.get();
  }

  /** Jobs started by the action, once the listener bus has delivered its events. */
  long jobsOf(SparkSession spark, Runnable action) {
    drain();
    long before = jobs.get();
    action.run();
    drain();
    return jobs.get() - before;
  }

  /** Forgets the profile so far (call before the runs to profile). */
  void resetProfile() {
    drain();
    byDescription.clear();
  }

  /** Job count and seconds per description since resetProfile, the slowest first. */
  Map<String, double[]> profile() {
    drain();
    Map<String, double[]> sorted = new LinkedHashMap<>();
    byDescription.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]))
        .forEach(e -> sorted.put(e.getKey(), e.getValue().clone()));
    return sorted;
  }

  /** Prints the profile as "seconds  jobs  description" lines. */
  void printProfile(String title) {
    System.out.println("profile of " + title + " (Spark job wall time by job description):");
    profile().forEach((description, totals) -> System.out.printf("  %7.2fs %4.0f jobs  %s%n", totals[1],
        totals[0], description.length() > 110 ? description.substring(0, 110) + "..." : description));
  }

  private static void drain() {
    // The listener bus is asynchronous; a finished job's events arrive shortly after.
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
