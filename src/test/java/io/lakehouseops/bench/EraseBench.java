package io.lakehouseops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;

/**
 * E1: erase 100 data subjects spread over 30 event days of the sample user_events (8 data
 * files a day, as hourly loads leave them) against rewriting those 30 days without them
 * (INSERT OVERWRITE, what a team without erase would run). Both start from the same rows
 * and must end with the same rows; erase's table is a copy of its own (its expiry deletes the
 * files it replaced, which a table registered on shared files would lose). erase also
 * expires the history and reads every file twice (find, verify): all of it is timed. The
 * files it rewrote must be exactly those that held a subject.
 */
final class EraseBench {
  private static final String DATASET = "user_events";
  private static final String CURATED = "lake.curated." + DATASET;
  private static final String OVERWRITTEN = "lake.bench.erase_overwritten";
  private static final String TEMPLATE = "lake.bench.erase_template";
  private static final String COLUMNS = "event_id, user_id, event_type, country, event_ts, payload, ingested_at";
  private static final LocalDate FIRST_DAY = LocalDate.parse("2026-09-01");
  private static final int DAYS = 30;
  private static final int FILES_PER_DAY = 8;
  private static final int SUBJECTS = 100;

  private EraseBench() {}

  static List<Measurement> run(BenchLakehouse lake, int rowsPerDay) {
    var spark = lake.spark();
    LocalDate lastDay = FIRST_DAY.plusDays(DAYS - 1);
    lake.cli("sample-data", "--dataset", DATASET, "--start", FIRST_DAY.toString(), "--days", String.valueOf(DAYS),
        "--rows-per-day", String.valueOf(rowsPerDay));
    String inDays = "event_ts >= TIMESTAMP'" + FIRST_DAY + " 00:00:00' AND event_ts < TIMESTAMP'"
        + lastDay.plusDays(1) + " 00:00:00'";
    String template = createTemplate(lake, inDays);
    // Users seen on few days (the long tail), one in every 30 of them: spread over the days.
    List<Long> users = spark.sql("SELECT user_id FROM " + TEMPLATE + " GROUP BY user_id HAVING count(*) <= 3 "
        + "ORDER BY xxhash64(user_id) LIMIT " + SUBJECTS).collectAsList().stream().map(r -> r.getLong(0)).toList();
    String inUsers = "user_id IN (" + users.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
    long subjectRows = spark.sql("SELECT count(*) FROM " + TEMPLATE + " WHERE " + inUsers).first().getLong(0);
    long days = spark.sql("SELECT count(DISTINCT to_date(event_ts)) FROM " + TEMPLATE + " WHERE " + inUsers)
        .first().getLong(0);
    Path keys = keysFile(lake, users);

    // Each way once on a copy first: the first run in the JVM compiles its code path.
    copy(lake, CURATED);
    register(lake, OVERWRITTEN, template);
    lake.cli("erase", "--dataset", DATASET, "--keys-file", keys.toString(), "--request-id", "bench-warm-up");
    overwrite(lake, inDays, inUsers);
    copy(lake, CURATED);
    register(lake, OVERWRITTEN, template);
    long filesHolding = spark.sql("SELECT count(DISTINCT _file) FROM " + CURATED + " WHERE " + inUsers)
        .first().getLong(0);
    long files = spark.sql("SELECT count(*) FROM " + CURATED + ".files").first().getLong(0);

    String[] report = new String[1];
    double erase = Stopwatch.seconds(() -> report[0] = lake.cli("erase", "--dataset", DATASET, "--keys-file",
        keys.toString(), "--request-id", "bench-timed"));
    double overwrite = Stopwatch.seconds(() -> overwrite(lake, inDays, inUsers));
    JsonNode table = result(report[0]).get("tables").get(0);
    long rewritten = table.get("data_files_rewritten").asLong();
    if (rewritten != filesHolding || table.get("rows_removed").asLong() != subjectRows) {
      throw new IllegalStateException("erase rewrote " + rewritten + " files and removed "
          + table.get("rows_removed") + " rows; " + filesHolding + " files held the " + subjectRows + " rows");
    }
    requireSameRows(lake);
    return List.of(Measurement.reported("E1", "erase 100 subjects over 30 days vs rewriting the 30 days",
        "erase --keys-file (find, rewrite, expire, verify)", "INSERT OVERWRITE of the " + DAYS + " days without them",
        erase, overwrite, subjectRows,
        String.format(Locale.ROOT, "%d subjects, %d rows on %d of the %d days; erase rewrote the %d of %d data files "
            + "that held them (%.1f%%), the overwrite all %d", SUBJECTS, subjectRows, days, DAYS, rewritten, files,
            100.0 * rewritten / files, files)));
  }

  private static JsonNode result(String stdout) {
    try {
      List<String> lines = stdout.lines().toList();
      return new ObjectMapper().readTree(lines.get(lines.size() - 1)).get("result");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path keysFile(BenchLakehouse lake, List<Long> users) {
    Path file = lake.work().resolve("erase-keys.csv");
    try {
      Files.writeString(file, "user_id\n" + users.stream().map(String::valueOf).collect(Collectors.joining("\n")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The curated table as promote leaves it, FILES_PER_DAY files a day; returns its metadata file. */
  private static String createTemplate(BenchLakehouse lake, String inDays) {
    var spark = lake.spark();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.curated");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.bench");
    create(lake, TEMPLATE, "SELECT " + COLUMNS + " FROM (SELECT *, row_number() OVER (PARTITION BY event_id "
        + "ORDER BY ingested_at) AS first FROM avro.`" + lake.work().resolve("raw/user_events/dt=*") + "`) WHERE "
        + "first = 1 AND " + inDays);
    Table table = Tables.load(spark, TableRef.parse(TEMPLATE, "lake", "the template table"));
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  /** erase's table: the template's rows written again, in files of its own. */
  private static void copy(BenchLakehouse lake, String table) {
    create(lake, table, "SELECT * FROM " + TEMPLATE);
  }

  private static void create(BenchLakehouse lake, String table, String select) {
    var spark = lake.spark();
    spark.sql("DROP TABLE IF EXISTS " + table);
    spark.sql("CREATE TABLE " + table + " USING iceberg PARTITIONED BY (days(event_ts)) "
        + "TBLPROPERTIES ('format-version' = '2', 'write.wap.enabled' = 'true', "
        + "'write.distribution-mode' = 'none', 'write.spark.fanout.enabled' = 'true') AS SELECT /*+ REPARTITION("
        + FILES_PER_DAY + ", event_id) */ * FROM (" + select + ")");
  }

  private static void register(BenchLakehouse lake, String table, String metadataFile) {
    var spark = lake.spark();
    spark.sql("DROP TABLE IF EXISTS " + table);
    spark.sql("CALL lake.system.register_table(table => '" + table.substring("lake.".length()) + "', metadata_file => '"
        + metadataFile + "')");
  }

  /** The baseline: the 30 days written again without the subjects' rows. */
  private static Object overwrite(BenchLakehouse lake, String inDays, String inUsers) {
    var spark = lake.spark();
    spark.sparkContext().setJobDescription("bench: INSERT OVERWRITE without the subjects");
    spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    try {
      spark.sql("INSERT OVERWRITE " + OVERWRITTEN + " SELECT * FROM " + OVERWRITTEN + " WHERE " + inDays
          + " AND NOT " + inUsers);
    } finally {
      spark.conf().unset("spark.sql.sources.partitionOverwriteMode");
    }
    return null;
  }

  private static void requireSameRows(BenchLakehouse lake) {
    var spark = lake.spark();
    String fingerprint = "SELECT count(*), sum(CAST(xxhash64(event_id, user_id, event_type, country, event_ts, "
        + "array_sort(map_entries(payload)), ingested_at) AS DECIMAL(38, 0))) FROM ";
    var erased = spark.sql(fingerprint + CURATED).first();
    var overwritten = spark.sql(fingerprint + OVERWRITTEN).first();
    if (!erased.equals(overwritten)) {
      throw new IllegalStateException("erase and the INSERT OVERWRITE disagree: " + erased + " against " + overwritten);
    }
  }
}
