package io.lakehouseops.sql;

import io.lakehouseops.ops.BadInputException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs one Spark SQL statement against the configured catalog and prints its rows as JSON
 * lines: the local dev loop for inspecting tables without a cluster.
 */
public final class SqlJob {
  private final String statement;
  private final int limit;

  public SqlJob(String statement, int limit) {
    if (statement == null || statement.isBlank()) {
      throw new BadInputException("Cannot run SQL: the statement is empty");
    }
    if (limit < 0) {
      throw new BadInputException("Cannot run SQL: --limit must be 0 or more, cannot be: " + limit);
    }
    this.statement = statement;
    this.limit = limit;
  }

  public SqlResult execute(SparkSession spark, PrintWriter out) {
    spark.sparkContext().setJobDescription("lakehouse-ops sql: " + abbreviate(statement));
    Dataset<Row> rows;
    try {
      rows = spark.sql(statement);
    } catch (Exception e) { // Scala throws AnalysisException (and ParseException) unchecked
      if (e instanceof AnalysisException analysis) {
        throw new BadInputException("Cannot run SQL: " + analysis.getSimpleMessage()
            + " (check the statement; tables are <catalog>.<namespace>.<table>)", e);
      }
      throw e;
    }
    List<String> columns = List.of(rows.columns());
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
    return new SqlResult(columns, printed, truncated);
  }

  private static String abbreviate(String text) {
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
