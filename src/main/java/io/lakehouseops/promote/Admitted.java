package io.lakehouseops.promote;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the gate let through of a partition's cleaned rows: all of them, some (the rest went to
 * quarantine), or none (the whole partition was quarantined; rows is then null).
 */
public record Admitted(Share share, Dataset<Row> rows) {
  public enum Share { ALL, SOME, NONE }

  static Admitted none() {
    return new Admitted(Share.NONE, null);
  }

  public boolean nothing() {
    return share == Share.NONE;
  }
}
