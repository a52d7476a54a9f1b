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
  private static final String BAD_RECORD = "org.apache.spark.sql.catalyst.util.BadRecordException";

  private MalformedJson() {}

  /** Whether a malformed record caused the failure (and it is not named yet). */
  static boolean caused(Throwable failure) {
    if (failure instanceof CorruptRawFileException) {
      return false;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (BAD_RECORD.equals(t.getClass().getName())) {
        return true;
      }
      if (t instanceof SparkThrowable spark && spark.getErrorClass() != null
          && spark.getErrorClass().startsWith(ERROR_CLASS)) {
        return true;
      }
    }
    return false;
  }

  /** The failure, caused by a malformed record of source, as the run's one-line error. */
  static CorruptRawFileException in(String source, Throwable failure) {
    return new CorruptRawFileException("Cannot read raw partition " + source + ": a line of its JSON files is not "
        + "valid JSON or does not fit the contract's types; fix or remove that file, then re-run (nothing was "
        + "published)", failure);
  }
}
