package io.lakehouseops.bench;

import java.time.LocalDate;

/**
 * P1-events: P1 on the feed an hourly promote usually meets, whole days of the sample
 * user_events (`sample-data`: about 1% of each day re-delivered duplicates, 3% late events that
 * land in dates main already has), against a plain read of the same Avro files appended to an
 * Iceberg table of the same partitioning. As in P1, the first day creates the curated table
 * (gate first) and the second warms up the write-first path, untimed; then the two alternate.
 */
final class EventsPromoteBench {
  private static final String DATASET = "events";
  private static final String COPY = "lake.bench.events_copy";
  private static final LocalDate FIRST_DAY = LocalDate.parse("2026-06-01");

  private EventsPromoteBench() {}

  static Measurement run(BenchLakehouse lake, SparkJobCounter jobs, int rowsPerDay, int timed) throws Exception {
    int days = PromoteBench.WARM_UPS + timed;
    lake.cli("sample-data", "--dataset", DATASET, "--start", FIRST_DAY.toString(), "--days", String.valueOf(days),
        "--rows-per-day", String.valueOf(rowsPerDay));
    var spark = lake.spark();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.bench");
    spark.sql("DROP TABLE IF EXISTS " + COPY);
    spark.sql("CREATE TABLE " + COPY + " USING iceberg PARTITIONED BY (days(event_ts)) AS SELECT * FROM avro.`"
        + lake.work().resolve("raw/" + DATASET + "/dt=*") + "` LIMIT 0");
    long[] counted = new long[2]; // rows, re-delivered rows
    Alternating.Totals times = Alternating.time(lake, jobs, PromoteBench.WARM_UPS, days, i -> {
      long read = raw(lake, FIRST_DAY.plusDays(i)).count();
      counted[0] += read;
      counted[1] += read - raw(lake, FIRST_DAY.plusDays(i)).select("event_id").distinct().count();
    }, i -> () -> promote(lake, FIRST_DAY.plusDays(i)), i -> () -> copy(lake, FIRST_DAY.plusDays(i)));
    double promoteSeconds = times.subjectSeconds();
    double copySeconds = times.baselineSeconds();
    jobs.printProfile("P1-events (" + String.format(java.util.Locale.ROOT, "%.1f", promoteSeconds) + " s of promote)");
    return Measurement.cost("P1-events", "promote vs plain copy, user_events days",
        "promote (contract, clean, dedupe, user_events' gate, WAP)", "spark.read.avro -> writeTo(iceberg).append()",
        promoteSeconds, copySeconds, 1.5, counted[0], times.subjectJobs(),
        timed + " days of " + rowsPerDay + " sample user_events after " + PromoteBench.WARM_UPS + " warm-ups, "
            + counted[1] + " re-delivered rows among them; Spark jobs: the last promote's");
  }

  private static Object promote(BenchLakehouse lake, LocalDate day) {
    return lake.cli("promote", "--dataset", DATASET, "--date", day.toString());
  }

  private static Object copy(BenchLakehouse lake, LocalDate day) throws Exception {
    lake.spark().sparkContext().setJobDescription("bench: plain copy");
    raw(lake, day).writeTo(COPY).append();
    return null;
  }

  private static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> raw(BenchLakehouse lake, LocalDate day) {
    return lake.spark().read().format("avro").load(lake.work().resolve("raw/" + DATASET + "/dt=" + day).toString());
  }
}
