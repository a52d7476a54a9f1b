package io.lakehouseops.erase;

import io.lakehouseops.config.Identifiers;
import io.lakehouseops.config.Messages;
import io.lakehouseops.opstables.ErasureLedger;
import io.lakehouseops.run.BadInputException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A keys file: CSV with a header naming the subject columns (e.g. `customer_id`) and one
 * data subject per line. Read as text, so each value is compared with the column's value as
 * text. Checked whole before anything changes: a wrong shape is a usage error.
 */
final class KeysFile {
  private static final String MALFORMED = "_lakehouse_malformed";

  private KeysFile() {}

  static Subjects.Keys read(SparkSession spark, String path) {
    String fix = "; give a CSV file whose header names the key columns and one key per line, "
        + "e.g. customer_id on the first line and 42 on the second";
    Dataset<Row> keys;
    long count;
    try {
      String[] header = spark.read().option("header", "true").csv(path).columns();
      if (header.length == 0) {
        throw new BadInputException("Keys file " + path + " is empty" + fix);
      }
      StructType schema = new StructType();
      for (String column : header) {
        if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new BadInputException("Keys file " + path + ": header column '" + column
              + "' is not a column name" + fix);
        }
        schema = schema.add(column, DataTypes.StringType);
      }
      // Lines of another shape are kept whole in a column of their own, to be named.
      keys = spark.read().option("header", "true").option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", MALFORMED).schema(schema.add(MALFORMED, DataTypes.StringType))
          .csv(path).persist(StorageLevel.MEMORY_AND_DISK());
      List<Row> malformed = keys.filter(functions.col(MALFORMED).isNotNull()).select(MALFORMED).limit(1)
          .collectAsList();
      if (!malformed.isEmpty()) {
        throw new BadInputException("Keys file " + path + ": line '" + malformed.get(0).getString(0)
            + "' does not have one value for each header column " + Arrays.toString(header) + fix);
      }
      keys = keys.drop(MALFORMED);
      count = keys.count();
      long incomplete = keys.filter(Arrays.stream(header).map(c -> functions.col(Identifiers.quote(c))
          .isNull()).reduce(org.apache.spark.sql.Column::or).orElseThrow()).count();
      if (incomplete > 0) {
        throw new BadInputException("Keys file " + path + ": " + incomplete + " lines lack a value for one of "
            + Arrays.toString(header) + fix);
      }
    } catch (BadInputException e) {
      throw e;
    } catch (Exception e) {
      // A missing or unreadable file (Spark's AnalysisException names the path).
      String reason = e instanceof org.apache.spark.sql.AnalysisException a ? a.getSimpleMessage() : e.getMessage();
      throw new BadInputException("Cannot read keys file " + path + ": " + Messages.oneLine(reason) + fix, e);
    }
    if (count == 0) {
      throw new BadInputException("Keys file " + path + " has a header and no key" + fix);
    }
    List<String> columns = List.of(keys.columns());
    Dataset<Row> hashes = keys.select(ErasureLedger.keyHash(columns).as("key_hash")).distinct()
        .persist(StorageLevel.MEMORY_AND_DISK());
    keys.unpersist();
    return new Subjects.Keys(columns, hashes, hashes.count(), path);
  }

}
