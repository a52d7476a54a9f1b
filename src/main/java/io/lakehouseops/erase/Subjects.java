package io.lakehouseops.erase;

import io.lakehouseops.opstables.ErasureLedger;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Who an erasure request is about: key values from a file, or a predicate. Either way the
 * subjects are the values of columns(), which the ledger records as hashes.
 */
public sealed interface Subjects permits Subjects.Keys, Subjects.Predicate {

  /** The columns whose values name a data subject. */
  List<String> columns();

  /** The rows that name a subject. rows must have columns(). */
  Dataset<Row> matching(Dataset<Row> rows);

  /** The rows that do not. */
  Dataset<Row> remaining(Dataset<Row> rows);

  /** How the report and the logs describe the request, without any key in clear. */
  String describe();

  /** Key values, one column each, compared as text; hashes: their key hashes (key_hash). */
  record Keys(List<String> columns, Dataset<Row> hashes, long count, String file) implements Subjects {
    @Override
    public Dataset<Row> matching(Dataset<Row> rows) {
      return rows.join(functions.broadcast(hashes), ErasureLedger.keyHash(columns).equalTo(hashes.col("key_hash")),
          "left_semi");
    }

    @Override
    public Dataset<Row> remaining(Dataset<Row> rows) {
      return rows.join(functions.broadcast(hashes), ErasureLedger.keyHash(columns).equalTo(hashes.col("key_hash")),
          "left_anti");
    }

    @Override
    public String describe() {
      return count + " keys on " + columns + " from " + file;
    }
  }

  /** A Spark SQL predicate; columns: the columns it reads. */
  record Predicate(String sql, List<String> columns) implements Subjects {
    @Override
    public Dataset<Row> matching(Dataset<Row> rows) {
      return rows.where(condition());
    }

    @Override
    public Dataset<Row> remaining(Dataset<Row> rows) {
      // A row whose predicate is null (a null column) does not match: it stays.
      return rows.where(functions.not(functions.coalesce(condition(), functions.lit(false))));
    }

    private Column condition() {
      return functions.expr(sql);
    }

    @Override
    public String describe() {
      return "a predicate on " + columns;
    }
  }
}
