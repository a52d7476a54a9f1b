package io.lakehouseops.promote;

import org.apache.spark.SparkThrowable;

/**
 * A JSON raw partition that Spark's FAILFAST reader refused (a line that is not JSON, or a value
 * that does not fit the contract's type), as the error a user can act on. Spark finds it only
 * when the rows are read, deep in a job's failure (a SparkException, checked, thrown unchecked
 * from Scala): its own message names neither the partition nor the fix.
 */
final class MalformedJson {
  private static final String ERROR_CLASS = "MALFORMED_RECORD_IN_PARSING";

  private MalformedJson() {}

  /** Throws the run's one-line error naming source when a malformed record caused the failure; else returns. */
  static void throwIfCaused(Exception failure, String source) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SparkThrowable spark && spark.getErrorClass() != null
          && spark.getErrorClass().startsWith(ERROR_CLASS)) {
        throw new CorruptRawFileException("Cannot read raw partition " + source + ": a line of its JSON files is "
            + "not valid JSON or does not fit the contract's types; fix or remove that file, then re-run "
            + "(nothing was published)", failure);
      }
    }
  }
}
