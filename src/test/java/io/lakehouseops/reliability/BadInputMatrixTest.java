package io.lakehouseops.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.LakeState;
import io.lakehouseops.testing.RawFiles;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input across subcommands: each case must exit with its code, say on one stderr line
 * what was wrong with which input, and change nothing (every table's snapshot and refs, the
 * raw zone). Quality failures (exit 3) may write only the quarantine and ops tables.
 */
class BadInputMatrixTest {
  private static final String DS = "bad_m";
  private static final String GOOD_DAY = "2024-09-01";
  private static Path config;
  private static Path malformed;
  private static Path missingContract;
  private static Path unreachableCatalog;

  @BeforeAll
  static void lakehouseWithBadRawPartitions() throws Exception {
    config = TestLakehouse.configWithDataset(DS, "");
    ok("sample-data", "--dataset", DS, "--start", GOOD_DAY, "--days", "1", "--rows-per-day", "100");
    ok("promote", "--dataset", DS, "--date", GOOD_DAY);
    ok("sample-data", "--dataset", DS, "--start", "2024-09-02", "--days", "4", "--rows-per-day", "50",
        "--fault-date", "2024-09-05", "--null-keys", "3");
    Path day2 = RawFiles.partition(DS, "2024-09-02");
    Files.write(day2.resolve("part-00009.avro"), "this is not avro at all".getBytes());
    Path day3 = RawFiles.partition(DS, "2024-09-03");
    byte[] whole = Files.readAllBytes(day3.resolve("part-00000.avro"));
    Files.write(day3.resolve("part-00000.avro"), java.util.Arrays.copyOf(whole, whole.length / 2));
    Files.writeString(RawFiles.partition(DS, "2024-09-04").resolve("notes.csv"), "event_id,user_id\n1,2\n");
    RawFiles.write(DS, "2024-09-07", "part-00000.avro",
        RawFiles.userEventsSchema("Narrow", "[\"null\",\"string\"]", "[\"null\",\"string\"]"), List.of());
    Files.createDirectories(RawFiles.partition(DS, "2024-09-09"));
    Path root = TestLakehouse.root();
    malformed = Files.writeString(root.resolve("malformed.conf"), "lakehouse { catalog { name = \"lake\"\n");
    missingContract = TestLakehouse.configWithDataset("bad_nocontract", "contract = \"/no/such/contract.avsc\"");
    unreachableCatalog = Files.writeString(root.resolve("unreachable-catalog.conf"), "include file(\""
        + config + "\")\nlakehouse.catalog { type = rest, uri = \"http://127.0.0.1:9\", name = \"lake_rest\" }\n"
        + "lakehouse.catalog.properties { \"rest.client.max-retries\" = 1 }\n");
  }

  private static CliRun ok(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    CliRun run = CliRun.of(all.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // promote: raw files and partitions
        bad("corrupt Avro file", 1, "part-00009.avro", "promote", "--dataset", DS, "--date", "2024-09-02"),
        bad("truncated Avro file", 1, "dt=2024-09-03", "promote", "--dataset", DS, "--date", "2024-09-03"),
        bad("non-Avro file in the partition", 1, "notes.csv", "promote", "--dataset", DS,
            "--date", "2024-09-04"),
        bad("schema-incompatible file", 3, "user_id", "promote", "--dataset", DS, "--date", "2024-09-07"),
        bad("null keys", 3, "complete(event_id)", "promote", "--dataset", DS, "--date", "2024-09-05"),
        bad("empty partition", 0, "dt=2024-09-09 is missing or empty", "promote", "--dataset", DS,
            "--date", "2024-09-09"),
        bad("missing partition", 0, "dt=2024-10-30 is missing or empty", "promote", "--dataset", DS,
            "--date", "2024-10-30"),
        bad("missing partition, data required", 1, "dt=2024-10-30", "promote", "--dataset", DS,
            "--date", "2024-10-30", "--set", "lakehouse.datasets." + DS + ".quality.require-data=true"),
        bad("date out of the calendar", 2, "Invalid --date '2024-13-01'", "promote", "--dataset", DS,
            "--date", "2024-13-01"),
        bad("partition in the wrong form", 2, "Invalid --partition 'dt=2024/09/01'", "promote", "--dataset", DS,
            "--partition", "dt=2024/09/01"),
        bad("unknown dataset", 2, "Unknown dataset 'nope'", "promote", "--dataset", "nope", "--date", GOOD_DAY),
        bad("dataset with a quote and semicolon", 2, "Unknown dataset 'x'; DROP TABLE y'", "promote",
            "--dataset", "x'; DROP TABLE y", "--date", GOOD_DAY),
        // backfill
        bad("backfill --from after --to", 2, "--from 2024-09-03 is after --to 2024-09-01", "backfill",
            "--dataset", DS, "--from", "2024-09-03", "--to", "2024-09-01", "--triggered-by", "manual"),
        bad("backfill date in the wrong form", 2, "'09/01/2024'", "backfill", "--dataset", DS,
            "--from", "09/01/2024", "--to", "2024-09-01", "--triggered-by", "manual"),
        // compact and health
        bad("unknown table", 2, "curated.nope", "compact", "--table", "curated.nope"),
        bad("table name with a semicolon", 2, "curated.x; DROP TABLE y", "compact", "--table", "curated.x; DROP TABLE y"),
        bad("--where on an unknown column", 2, "no_such_column", "compact", "--table", "curated." + DS,
            "--where", "no_such_column > 1"),
        bad("--where with a statement", 2, "--where", "compact", "--table", "curated." + DS,
            "--where", "DROP TABLE lake.curated." + DS),
        bad("--where with a subquery", 2, "--where", "compact", "--table", "curated." + DS,
            "--where", "user_id IN (SELECT 1)"),
        bad("zorder without columns", 2, "--sort-columns", "compact", "--table", "curated." + DS,
            "--strategy", "zorder"),
        bad("zorder on a column the table lacks", 2, "has no column 'amount'", "compact", "--table",
            "curated." + DS, "--strategy", "zorder", "--sort-columns", "user_id,amount"),
        bad("sort on a column the table lacks", 2, "has no column 'amount'", "compact", "--table",
            "curated." + DS, "--strategy", "sort", "--sort-columns", "amount"),
        bad("unknown space-filling curve", 2, "lakehouse.compact.curve", "compact", "--table", "curated." + DS,
            "--strategy", "zorder", "--sort-columns", "user_id", "--set", "lakehouse.compact.curve=peano"),
        bad("unknown equality-delete mode", 2, "--equality-deletes", "compact", "--table", "curated." + DS,
            "--rewrite-deletes", "--equality-deletes", "sometimes"),
        bad("equality-delete mode without --rewrite-deletes", 2, "add --rewrite-deletes", "compact", "--table",
            "curated." + DS, "--equality-deletes", "convert"),
        bad("unknown Iceberg option", 2, "no-such-option", "compact", "--table", "curated." + DS,
            "--set", "lakehouse.compact.options.no-such-option=1"),
        bad("health of an unknown table", 2, "curated.nope", "health", "--table", "curated.nope"),
        // expire-snapshots
        bad("retain-last zero", 2, "Invalid --retain-last 0", "expire-snapshots", "--table", "curated." + DS,
            "--retain-last", "0"),
        bad("negative retention", 2, "Invalid --older-than '-1d'", "expire-snapshots", "--table", "curated." + DS,
            "--older-than", "-1d"),
        bad("retention under the guard", 2, "below the minimum retention", "expire-snapshots", "--table",
            "curated." + DS, "--older-than", "1h"),
        bad("orphan retention under the guard", 2, "--orphan-older-than 2h", "expire-snapshots", "--table",
            "curated." + DS, "--remove-orphans", "--orphan-older-than", "2h"),
        // tier
        bad("unknown storage class", 2, "PLATINUM", "tier", "--table", "curated." + DS, "--rule", "30d=PLATINUM"),
        bad("tier rule without an age", 2, "--rule", "tier", "--table", "curated." + DS, "--rule", "STANDARD_IA"),
        bad("tier of a local table (no S3)", 2, "storage classes exist only on S3", "tier", "--table",
            "curated." + DS, "--rule", "30d=STANDARD_IA"),
        // configuration
        bad("unknown configuration key", 2, "lakehouse.catalg", "health", "--table", "curated." + DS,
            "--set", "lakehouse.catalg.name=x"),
        bad("malformed HOCON", 2, "malformed.conf", "health", "--table", "curated." + DS, "--config=MALFORMED"),
        bad("missing contract file", 2, "/no/such/contract.avsc", "promote", "--dataset", "bad_nocontract",
            "--date", GOOD_DAY, "--config=NOCONTRACT"),
        bad("unreachable catalog", 1, "127.0.0.1:9", "health", "--table", "curated." + DS, "--config=NOCATALOG"));
  }

  private static Arguments bad(String name, int exit, String message, String... args) {
    return Arguments.of(name, exit, message, List.of(args));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputGetsItsExitCodeAOneLineReasonAndChangesNothing(String name, int exit, String message,
      List<String> args) {
    List<String> all = new ArrayList<>();
    Path file = config;
    for (String arg : args) {
      switch (arg) {
        case "--config=MALFORMED" -> file = malformed;
        case "--config=NOCONTRACT" -> file = missingContract;
        case "--config=NOCATALOG" -> file = unreachableCatalog;
        default -> all.add(arg);
      }
    }
    all.addAll(List.of("--config", file.toString()));
    Map<String, String> tablesBefore = LakeState.tables("lake", exit == 3);
    List<String> rawBefore = LakeState.listing(TestLakehouse.rawZone());

    CliRun run = CliRun.of(all.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exit);
    String reason = exit == 0 || exit == 3 ? run.report().get("message").asText() : firstErrorLine(run);
    System.out.println("bad input [" + name + "] exit " + run.exitCode() + ": " + reason);
    assertThat(reason).as(run.toString()).contains(message);
    assertThat(reason).doesNotContain("\n").doesNotContain("\tat ");
    assertThat(LakeState.tables("lake", exit == 3)).as("tables unchanged").isEqualTo(tablesBefore);
    assertThat(LakeState.listing(TestLakehouse.rawZone())).as("raw zone unchanged").isEqualTo(rawBefore);
  }

  /** The line lakehouse-ops prints for the user: "lakehouse-ops CMD: ...". */
  private static String firstErrorLine(CliRun run) {
    return run.stderr().lines().filter(l -> l.startsWith("lakehouse-ops")).findFirst().orElse("");
  }
}
