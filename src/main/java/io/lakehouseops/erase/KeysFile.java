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
import org.apache.spark.storage.StorageLevel;

/**
 * A keys file: CSV with a header naming the subject columns (e.g. `customer_id`) and one
 * data subject per line. Read as text, so each value is compared with the column's value as
 * text. Checked whole before anything changes: a wrong shape is a usage error.
 */
final class KeysFile {
  private KeysFile() {}

  static Subjects.Keys read(SparkSession spark, String path) {
    String fix = "; give a CSV file whose header names the key columns and one key per line, "
        + "e.g. customer_id on the first line and 42 on the second";
    Dataset<Row> keys;
    long count;
    try {
      keys = spark.read().option("header", "true").option("mode", "FAILFAST").option("inferSchema", "false")
          .option("enforceSchema", "false").csv(path);
      if (keys.columns().length == 0) {
        throw new BadInputException("Keys file " + path + " is empty" + fix);
      }
      for (String column : keys.columns()) {
        if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new BadInputException("Keys file " + path + ": header column '" + column
              + "' is not a column name" + fix);
        }
      }
      keys = keys.persist(StorageLevel.MEMORY_AND_DISK());
      count = keys.count();
      long incomplete = keys.filter(Arrays.stream(keys.columns()).map(c -> functions.col(Identifiers.quote(c))
          .isNull()).reduce(org.apache.spark.sql.Column::or).orElseThrow()).count();
      if (incomplete > 0) {
        throw new BadInputException("Keys file " + path + ": " + incomplete + " lines lack a value for one of "
            + Arrays.toString(keys.columns()) + fix);
      }
    } catch (BadInputException e) {
      throw e;
    } catch (Exception e) {
      // A missing file (AnalysisException) or a line with too many values (FAILFAST).
      throw new BadInputException("Cannot read keys file " + path + ": " + Messages.oneLine(e.getMessage()) + fix, e);
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
