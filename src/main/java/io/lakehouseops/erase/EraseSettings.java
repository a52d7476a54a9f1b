package io.lakehouseops.erase;

import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.Messages;
import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.run.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/**
 * Resolves an erase command into a request: the dataset's tables that exist, the subjects
 * checked against every one of them. Any mistake is a usage error before anything changes.
 */
public final class EraseSettings {
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private EraseSettings() {}

  /** The command line's request. keysFile or where (exactly one) names the subjects. */
  public record Options(String dataset, String keysFile, String where, String requestId,
      EraseRequest.Reach reach) {}

  public static EraseRequest resolve(SparkSession spark, LakehouseSettings settings, Options options) {
    if (!REQUEST_ID.matcher(options.requestId()).matches()) {
      throw new BadInputException("--request-id '" + options.requestId() + "' should be 1 to 128 letters, digits, "
          + "'.', '_', ':' or '-' (e.g. the ticket id of the erasure request, GDPR-2026-0042)");
    }
    DatasetSettings dataset = settings.dataset(options.dataset());
    double maxFraction = settings.config().getDouble("lakehouse.erase.max-row-fraction");
    if (maxFraction <= 0 || maxFraction > 1) {
      throw new ConfigException("Invalid configuration at lakehouse.erase.max-row-fraction: " + maxFraction
          + " should be above 0 and at most 1");
    }
    List<TableRef> tables = tables(spark, settings, dataset);
    if (options.reach().purgeRaw() && !"avro".equals(dataset.rawFormat())) {
      throw new BadInputException("--purge-raw rewrites Avro raw files; dataset " + dataset.name()
          + " has raw.format = " + dataset.rawFormat() + ": erase without --purge-raw (the ledger keeps the keys "
          + "out of every later publish) and remove its raw files by hand");
    }
    Subjects subjects = options.keysFile() != null
        ? KeysFile.read(spark, options.keysFile())
        : predicate(spark, options.where(), tables.isEmpty() ? null : tables.get(0));
    for (TableRef table : tables) {
      requireColumns(spark, table, subjects);
    }
    return new EraseRequest(options.requestId(), dataset, tables, subjects, options.reach(), maxFraction);
  }

  /** Curated, quarantine, then erase.also: those that exist; an erase.also table must. */
  private static List<TableRef> tables(SparkSession spark, LakehouseSettings settings, DatasetSettings dataset) {
    List<TableRef> tables = new ArrayList<>();
    if (Tables.exists(spark, dataset.table())) {
      tables.add(dataset.table());
    }
    TableRef quarantine = new TableRef(settings.catalog().name(), settings.namespaces().quarantine(), dataset.name());
    if (Tables.exists(spark, quarantine)) {
      tables.add(quarantine);
    }
    String path = "lakehouse.datasets." + dataset.name() + ".erase.also";
    for (String text : dataset.eraseAlso()) {
      TableRef table = TableRef.parse(text, settings.catalog().name(), "table in " + path);
      if (!Tables.exists(spark, table)) {
        throw new ConfigException("Table " + table + " listed in " + path + " does not exist: create it or take it "
            + "off the list");
      }
      tables.add(table);
    }
    return tables;
  }

  private static Subjects.Predicate predicate(SparkSession spark, String where, TableRef table) {
    if (table == null) {
      throw new BadInputException("--where needs a table to read the predicate's columns from, and the dataset has "
          + "none yet: name the keys with --keys-file instead");
    }
    List<String> columns = columnsOf(spark, table, where);
    if (columns.isEmpty()) {
      throw new BadInputException("--where \"" + where + "\" reads no column: name the data subject, e.g. --where "
          + "\"customer_id = 42\"");
    }
    return new Subjects.Predicate(where, columns);
  }

  /** The columns the predicate reads, as Spark resolves them on the table. */
  private static List<String> columnsOf(SparkSession spark, TableRef table, String where) {
    LogicalPlan plan;
    try {
      plan = spark.table(table.name()).where(where).queryExecution().analyzed();
    } catch (Exception e) {
      // Spark's simple message names the column and suggests others, without the plan.
      String reason = e instanceof org.apache.spark.sql.AnalysisException a ? a.getSimpleMessage() : e.getMessage();
      throw new BadInputException("--where \"" + where + "\" does not apply to " + table + ": "
          + Messages.oneLine(reason) + "; use the table's column names", e);
    }
    Set<String> columns = new LinkedHashSet<>();
    if (plan instanceof Filter filter) {
      scala.collection.Iterator<Attribute> references = filter.condition().references().iterator();
      while (references.hasNext()) {
        columns.add(references.next().name());
      }
    }
    return List.copyOf(columns);
  }

  private static void requireColumns(SparkSession spark, TableRef table, Subjects subjects) {
    Set<String> present = Set.of(spark.table(table.name()).columns());
    List<String> missing = subjects.columns().stream().filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new BadInputException("Table " + table + " has no column " + missing + " that the request names ("
          + subjects.describe() + "): name columns every table of the dataset has, or take " + table
          + " off erase.also");
    }
    if (subjects instanceof Subjects.Predicate predicate) {
      columnsOf(spark, table, predicate.sql());
    }
  }

}
