package io.lakehouseops.compact;

import io.lakehouseops.config.Messages;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.run.BadInputException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.SparkExpressionConverter$;

/**
 * Parses --where as a Spark SQL predicate resolved against the table's schema (as Iceberg's
 * rewrite_data_files procedure does) and converts it to an Iceberg expression: the text is
 * never pasted into a SQL statement.
 */
public final class WherePredicate {
  private WherePredicate() {}

  public static Expression parse(SparkSession spark, TableRef table, String where) {
    if (where == null || where.isBlank()) {
      return Expressions.alwaysTrue();
    }
    try {
      var resolved = SparkExpressionConverter$.MODULE$.collectResolvedSparkExpression(spark, table.name(), where);
      return SparkExpressionConverter$.MODULE$.convertToIcebergExpression(resolved);
    } catch (Exception e) { // AnalysisException / ParseException (checked in Scala)
      String reason = e instanceof org.apache.spark.sql.AnalysisException a ? a.getSimpleMessage() : e.getMessage();
      throw new BadInputException("Invalid --where '" + where + "': " + oneLine(reason)
          + " (give a predicate on columns of " + table + ", e.g. \"event_ts >= '2024-01-01'\")", e);
    }
  }

  private static String oneLine(String text) {
    return text == null ? "not a predicate" : Messages.oneLine(text);
  }
}
