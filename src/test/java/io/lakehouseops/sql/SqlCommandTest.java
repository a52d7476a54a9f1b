package io.lakehouseops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SqlCommandTest {
  @BeforeAll
  static void startSpark() {
    TestLakehouse.spark();
  }

  @Test
  void printsRowsAsJsonLinesThenTheReport() {
    assertThat(CliRun.withTestConfig("sql", "CREATE NAMESPACE IF NOT EXISTS lake.sqltest").exitCode()).isZero();
    CliRun create = CliRun.withTestConfig("sql",
        "CREATE TABLE lake.sqltest.points (id BIGINT, name STRING) USING iceberg");
    assertThat(create.exitCode()).as(create.toString()).isZero();
    CliRun.withTestConfig("sql", "INSERT INTO lake.sqltest.points VALUES (1, 'a'), (2, 'b'), (3, 'c')");

    CliRun run = CliRun.withTestConfig("sql", "SELECT id, name FROM lake.sqltest.points ORDER BY id");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<JsonNode> rows = run.rows();
    assertThat(rows).extracting(r -> r.get("id").asLong()).containsExactly(1L, 2L, 3L);
    assertThat(rows.get(1).get("name").asText()).isEqualTo("b");
    JsonNode report = run.report();
    assertThat(report.get("command").asText()).isEqualTo("sql");
    assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(report.get("result").get("rows_printed").asLong()).isEqualTo(3);
    assertThat(report.get("duration_ms").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(report.get("settings").get("lakehouse").get("catalog").get("name").asText()).isEqualTo("lake");
  }

  @Test
  void limitCutsTheRowsAndSaysSo() {
    CliRun run = CliRun.withTestConfig("sql", "SELECT id FROM range(10)", "--limit", "4");
    assertThat(run.rows()).hasSize(4);
    assertThat(run.report().get("result").get("truncated").asBoolean()).isTrue();
  }

  @Test
  void showNamespacesListsTheCatalogsNamespaces() {
    CliRun.withTestConfig("sql", "CREATE NAMESPACE IF NOT EXISTS lake.shown");
    CliRun run = CliRun.withTestConfig("sql", "SHOW NAMESPACES IN lake");
    assertThat(run.rows()).extracting(r -> r.get("namespace").asText()).contains("shown");
  }

  @Test
  void syntaxErrorAndUnknownTableAreInputErrors() {
    CliRun syntax = CliRun.withTestConfig("sql", "SELEC 1");
    assertThat(syntax.exitCode()).isEqualTo(2);
    assertThat(syntax.stderr()).startsWith("lakehouse-ops sql: Cannot run SQL: [PARSE_SYNTAX_ERROR]");
    assertThat(syntax.report().get("error").get("type").asText()).isEqualTo("input");

    CliRun unknown = CliRun.withTestConfig("sql", "SELECT * FROM lake.nowhere.nothing");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("[TABLE_OR_VIEW_NOT_FOUND]", "`lake`.`nowhere`.`nothing`");
    assertThat(unknown.stderr().lines().count()).as("one line").isEqualTo(1);
  }

  @Test
  void severalStatementsRunInOrderInOneStart() {
    CliRun run = CliRun.withTestConfig("sql", "CREATE NAMESPACE IF NOT EXISTS lake.sqlscript",
        "CREATE TABLE lake.sqlscript.points (id BIGINT) USING iceberg",
        "INSERT INTO lake.sqlscript.points VALUES (1), (2)",
        "INSERT INTO lake.sqlscript.points VALUES (3)",
        "SELECT count(*) AS n, count(DISTINCT id) AS ids FROM lake.sqlscript.points");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.rows()).singleElement().satisfies(r -> {
      assertThat(r.get("n").asLong()).isEqualTo(3);
      assertThat(r.get("ids").asLong()).isEqualTo(3);
    });
    JsonNode result = run.report().get("result");
    assertThat(result.get("rows_printed").asLong()).isEqualTo(1);
    assertThat(result.get("statements")).hasSize(5);
    assertThat(result.get("statements").get(4).get("columns").toString()).isEqualTo("[\"n\",\"ids\"]");
    assertThat(TestLakehouse.spark().table("lake.sqlscript.points").count()).isEqualTo(3);
  }

  @Test
  void aSyntaxErrorInAnyStatementRunsNoneOfThem() {
    CliRun run = CliRun.withTestConfig("sql", "CREATE NAMESPACE lake.sqlnone", "SELEC 1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).startsWith("lakehouse-ops sql: Cannot run SQL statement 2 of 2: [PARSE_SYNTAX_ERROR]")
        .contains("nothing ran");
    assertThat(CliRun.withTestConfig("sql", "SHOW NAMESPACES IN lake").rows())
        .extracting(r -> r.get("namespace").asText()).doesNotContain("sqlnone");
  }

  @Test
  void aFailingStatementStopsTheRunThereAndSaysTheOnesBeforeItRan() {
    CliRun run = CliRun.withTestConfig("sql", "CREATE NAMESPACE IF NOT EXISTS lake.sqlbefore",
        "SELECT * FROM lake.nowhere.nothing", "CREATE NAMESPACE lake.sqlafter");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).startsWith("lakehouse-ops sql: Cannot run SQL statement 2 of 3: [TABLE_OR_VIEW_NOT_FOUND]")
        .contains("the statements before it ran");
    assertThat(run.stderr().lines().count()).as("one line").isEqualTo(1);
    assertThat(CliRun.withTestConfig("sql", "SHOW NAMESPACES IN lake").rows())
        .extracting(r -> r.get("namespace").asText()).contains("sqlbefore").doesNotContain("sqlafter");
  }

  @Test
  void aStatementFailingInSparkNamesItsPositionAndExitsOne() {
    CliRun run = CliRun.withTestConfig("sql", "SELECT 1 AS one", "SELECT raise_error('boom') AS never");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr().lines().filter(l -> l.startsWith("lakehouse-ops sql: ")).findFirst().orElseThrow())
        .contains("SQL statement 2 of 2 failed (the statements before it ran)", "boom");
    assertThat(run.rows()).extracting(r -> r.get("one").asLong()).containsExactly(1L);
  }
}
