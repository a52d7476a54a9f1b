package io.lakehouseops.sql;

import io.lakehouseops.run.BadInputException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs Spark SQL statements against the configured catalog, in the order given, and prints
 * their rows as JSON lines: the local dev loop for inspecting tables without a cluster, and
 * a setup script in one Spark start instead of one per statement.
 */
public final class SqlJob {
  private final List<String> statements;
  private final int limit;

  public SqlJob(List<String> statements, int limit) {
    if (statements.isEmpty() || statements.stream().anyMatch(s -> s == null || s.isBlank())) {
      throw new BadInputException("Cannot run SQL: " + (statements.size() > 1 ? "a" : "the") + " statement is empty");
    }
    if (limit < 0) {
      throw new BadInputException("Cannot run SQL: --limit must be 0 or more, cannot be: " + limit);
    }
    this.statements = List.copyOf(statements);
    this.limit = limit;
  }

  /**
   * Parses every statement first, so a syntax error anywhere runs none of them; then runs
   * them in order and stops at the first that fails (those before it stay done).
   */
  public SqlResult execute(SparkSession spark, PrintWriter out) {
    for (int i = 0; i < statements.size(); i++) {
      try {
        spark.sessionState().sqlParser().parsePlan(statements.get(i));
      } catch (Exception e) { // Scala throws ParseException unchecked
        throw failure(i, e, "nothing ran");
      }
    }
    List<SqlResult.Statement> results = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      try {
        results.add(run(spark, statements.get(i), out));
      } catch (Exception e) { // AnalysisException, and SparkException: checked, thrown undeclared
        throw failure(i, e, i == 0 ? "nothing ran" : "the statements before it ran");
      }
    }
    return SqlResult.of(results);
  }

  private SqlResult.Statement run(SparkSession spark, String statement, PrintWriter out) {
    spark.sparkContext().setJobDescription("lakehouse-ops sql: " + abbreviate(statement));
    Dataset<Row> rows = spark.sql(statement);
    long printed = 0;
    boolean truncated = false;
    Iterator<String> json = rows.toJSON().toLocalIterator();
    while (json.hasNext()) {
      String line = json.next();
      if (printed == limit) {
        truncated = true;
        break;
      }
      out.println(line);
      printed++;
    }
    out.flush();
    return new SqlResult.Statement(List.of(rows.columns()), printed, truncated);
  }

  /**
   * What a statement's failure tells the user: one Spark cannot parse or resolve is their
   * input (exit 2), any other a failed run (exit 1); with several statements, named by its
   * position and whether those before it ran.
   */
  private RuntimeException failure(int index, Exception e, String ran) {
    boolean several = statements.size() > 1;
    String which = several ? " statement " + (index + 1) + " of " + statements.size() : "";
    if (e instanceof AnalysisException analysis) {
      return new BadInputException("Cannot run SQL" + which + ": " + analysis.getSimpleMessage()
          + " (check the statement; tables are <catalog>.<namespace>.<table>" + (several ? ", " + ran : "") + ")", e);
    }
    if (several) {
      return new IllegalStateException("SQL" + which + " failed (" + ran + "): " + e.getMessage(), e);
    }
    return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getMessage(), e);
  }

  private static String abbreviate(String text) {
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
