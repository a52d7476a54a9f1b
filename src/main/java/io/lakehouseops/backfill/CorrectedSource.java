package io.lakehouseops.backfill;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.publish.EventDates;
import io.lakehouseops.publish.KeyCounts;
import io.lakehouseops.run.BadInputException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Already-corrected rows for a backfill (--source NS.TABLE or --source-sql "SELECT ..."),
 * checked before anything is written: a query and not a statement, the curated table's
 * columns (types equal or safely widened), each key once per event date in the range.
 */
public final class CorrectedSource {
  private final Dataset<Row> rows;
  private final String eventTime;
  private final String label;

  private CorrectedSource(Dataset<Row> rows, String eventTime, String label) {
    this.rows = rows;
    this.eventTime = eventTime;
    this.label = label;
  }

  public static CorrectedSource open(SparkSession spark, BackfillRequest request, DatasetSettings dataset,
      String catalog) {
    Dataset<Row> source;
    String label;
    if (request.sourceTable() != null) {
      TableRef ref = TableRef.parse(request.sourceTable(), catalog, "--source");
      if (!Tables.exists(spark, ref)) {
        throw new BadInputException("Unknown --source table " + ref + ": give an existing table "
            + "as NS.TABLE or CATALOG.NS.TABLE");
      }
      source = spark.table(ref.name());
      label = ref.name();
    } else {
      source = query(spark, request.sourceSql());
      label = "--source-sql";
    }
    StructType curated = spark.table(dataset.table().name()).schema();
    Dataset<Row> aligned = align(source, curated, dataset.table(), label);
    Dataset<Row> inRange = aligned.filter(functions.to_date(functions.col(dataset.eventTime()))
        .between(functions.lit(java.sql.Date.valueOf(request.range().from())),
            functions.lit(java.sql.Date.valueOf(request.range().to()))));
    requireUniqueKeys(inRange, dataset.keys(), dataset.eventTime(), label);
    return new CorrectedSource(inRange, dataset.eventTime(), label);
  }

  public String label() {
    return label;
  }

  /**
   * The source's rows of the given event dates. Ranges on the column itself let Iceberg (or
   * any source that pushes filters down) skip other dates' files; to_date(column) alone is not
   * pushed.
   */
  public Dataset<Row> in(List<LocalDate> dates) {
    return rows.filter(EventDates.ofLocal(dates).filter(functions.col(eventTime)));
  }

  /** Parses first: only a query is run, never a statement that would change something. */
  private static Dataset<Row> query(SparkSession spark, String sql) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(sql);
    } catch (Exception e) { // ParseException is checked in Scala
      throw new BadInputException("Invalid --source-sql: not a SQL query (" + firstLine(e.getMessage())
          + "); give one SELECT statement");
    }
    if (writes(plan)) {
      throw new BadInputException("Invalid --source-sql: a statement, not a query; give one SELECT "
          + "statement that returns the corrected rows");
    }
    try {
      return spark.sql(sql);
    } catch (Exception e) { // AnalysisException: unknown table or column
      throw new BadInputException("Invalid --source-sql: " + firstLine(e.getMessage()), e);
    }
  }

  private static boolean writes(LogicalPlan plan) {
    if (plan instanceof Command || plan instanceof InsertIntoStatement) {
      return true;
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      if (writes(child)) {
        return true;
      }
    }
    return false;
  }

  /** The source's columns as the curated table's, in its order; any mismatch is refused. */
  static Dataset<Row> align(Dataset<Row> source, StructType curated, TableRef table, String label) {
    Map<String, StructField> given = new LinkedHashMap<>();
    for (StructField field : source.schema().fields()) {
      given.put(field.name().toLowerCase(Locale.ROOT), field);
    }
    List<String> missing = new ArrayList<>();
    List<String> incompatible = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    for (StructField target : curated.fields()) {
      StructField field = given.remove(target.name().toLowerCase(Locale.ROOT));
      if (field == null) {
        missing.add(target.name());
      } else if (!field.dataType().sameType(target.dataType())
          && !Cast.canUpCast(field.dataType(), target.dataType())) {
        incompatible.add(target.name() + " (" + field.dataType().simpleString() + ", the table has "
            + target.dataType().simpleString() + ")");
      } else {
        columns.add(functions.col(field.name()).cast(target.dataType()).as(target.name()));
      }
    }
    if (!missing.isEmpty() || !incompatible.isEmpty() || !given.isEmpty()) {
      List<String> problems = new ArrayList<>();
      if (!missing.isEmpty()) {
        problems.add("missing " + missing);
      }
      if (!given.isEmpty()) {
        problems.add("not in the table " + given.values().stream().map(StructField::name).toList());
      }
      if (!incompatible.isEmpty()) {
        problems.add("incompatible types " + incompatible);
      }
      throw new BadInputException("Source " + label + " does not match the columns of " + table + ": "
          + String.join("; ", problems) + "; select exactly the table's columns");
    }
    return source.select(columns.toArray(Column[]::new));
  }

  /**
   * Refuses a source with a key twice on one event date. Keys shown unique by their hashes (no
   * shuffle) are unique on every date; otherwise (a key on two dates, a null key part) the
   * source is grouped by key and date, which counts exactly.
   */
  static void requireUniqueKeys(Dataset<Row> rows, List<String> keys, String eventTime, String label) {
    // Named, or its jobs carry whatever description the thread last set.
    rows.sparkSession().sparkContext().setJobDescription(
        "lakehouse-ops backfill: check each key of " + label + " once per event date");
    if (KeyCounts.shownUnique(rows, keys, eventTime)) {
      return;
    }
    List<Column> group = new ArrayList<>();
    keys.forEach(k -> group.add(functions.col(k)));
    group.add(functions.to_date(functions.col(eventTime)));
    long duplicated = rows.groupBy(group.toArray(Column[]::new)).count().filter("count > 1").count();
    if (duplicated > 0) {
      throw new BadInputException("Source " + label + " holds " + duplicated + " keys " + keys
          + " more than once on the same event date in the range; dedupe it first");
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.strip().lines().findFirst().orElse("");
  }
}
