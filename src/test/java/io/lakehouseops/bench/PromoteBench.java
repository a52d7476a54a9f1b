package io.lakehouseops.bench;

import java.util.List;

/**
 * P1: a full promote (contract check, clean, dedupe, the 10-rule gate, write-audit-publish)
 * of lineitem partitions against a plain read of the same Avro files appended to an Iceberg
 * table of the same partitioning. The first two partitions warm both up and are not counted:
 * the first creates the curated table (promote's gate-first path), the second takes the
 * write-first path every later partition takes (its first run in a JVM paid about a second of
 * class loading and JIT that the copy, warmed on its own path, did not). Then the two
 * alternate, partition by partition.
 */
final class PromoteBench {
  private static final String COPY = "lake.bench.lineitem_copy";
  /** Partitions run by both before the timed ones. */
  static final int WARM_UPS = 2;

  private PromoteBench() {}

  static Measurement run(BenchLakehouse lake, SparkJobCounter jobs, List<String> partitions) throws Exception {
    lake.createEmptyLineitemTable(COPY, "");
    long[] rows = new long[1];
    Alternating.Totals times = Alternating.time(lake, jobs, WARM_UPS, partitions.size(),
        i -> rows[0] += lake.rawPartition(partitions.get(i)).count(),
        i -> () -> promote(lake, partitions.get(i)), i -> () -> copy(lake, partitions.get(i)));
    double promoteSeconds = times.subjectSeconds();
    double copySeconds = times.baselineSeconds();
    jobs.printProfile("P1 (" + fmt(promoteSeconds) + " s of promote, " + fmt(copySeconds) + " s of copy; "
        + "the rest of promote's time is the driver's: planning, commits, metadata)");
    return Measurement.cost("P1", "promote vs plain copy", "promote (contract, clean, dedupe, 10-rule gate, WAP)",
        "spark.read.avro -> writeTo(iceberg).append()", promoteSeconds, copySeconds, 1.25, rows[0], times.subjectJobs(),
        (partitions.size() - WARM_UPS) + " partitions (a year each) after " + WARM_UPS + " warm-ups, alternating "
            + "which runs first; Spark jobs: the last promote's");
  }

  private static String fmt(double seconds) {
    return String.format(java.util.Locale.ROOT, "%.1f", seconds);
  }

  private static Object promote(BenchLakehouse lake, String date) {
    return lake.cli("promote", "--dataset", "lineitem", "--date", date);
  }

  private static Object copy(BenchLakehouse lake, String date) throws Exception {
    lake.spark().sparkContext().setJobDescription("bench: plain copy");
    lake.rawPartition(date).writeTo(COPY).append();
    return null;
  }
}
