package io.lakehouseops.publish;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.RunLineage;
import io.lakehouseops.iceberg.Tables;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The branch operations write-audit-publish is made of, on one table: writes that land on an
 * audit branch (under spark.wap.branch), the fast-forward of main to it with its removal, and
 * the removal of a branch that was not published.
 */
public final class AuditBranch {
  /** The prefix of every audit branch: expire-snapshots and erase know stale ones by it. */
  public static final String PREFIX = "audit_";

  private static final Logger LOG = LoggerFactory.getLogger(AuditBranch.class);
  private static final String WAP_BRANCH = "spark.wap.branch";

  private final SparkSession spark;
  private final TableRef table;

  AuditBranch(SparkSession spark, TableRef table) {
    this.spark = spark;
    this.table = table;
  }

  /** audit_RUNID: the prefix expire-snapshots knows stale branches by. */
  static String name(String runId) {
    return PREFIX + runId.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  void append(String branch, Dataset<Row> rows, Map<String, String> commitProperties) {
    spark.sparkContext().setJobDescription("lakehouse-ops: append to " + table + " branch " + branch);
    onBranch(branch, commitProperties, () -> rows.writeTo(table.name()).append());
  }

  void merge(String branch, String mergeStatement, Map<String, String> commitProperties) {
    spark.sparkContext().setJobDescription("lakehouse-ops: MERGE into " + table + " branch " + branch);
    onBranch(branch, commitProperties, () -> spark.sql(mergeStatement));
  }

  private interface Write {
    void run() throws Exception;
  }

  private void onBranch(String branch, Map<String, String> commitProperties, Write write) {
    spark.conf().set(WAP_BRANCH, branch);
    try {
      RunLineage.sparkWrites(commitProperties, () -> {
        write.run();
        return null;
      });
    } finally {
      spark.conf().unset(WAP_BRANCH);
    }
  }

  /**
   * Moves main to the branch and removes the branch, in one commit, only if main is still
   * `before`, where the branch started. One metadata write fewer than a fast-forward and a
   * drop, and a job that dies right after the publish leaves no stale branch behind.
   */
  void fastForwardMain(Table iceberg, String branch, Long before) {
    Snapshot main = iceberg.currentSnapshot();
    if (main != null && before != null && main.snapshotId() != before) {
      throw new MainMovedException();
    }
    try {
      iceberg.manageSnapshots().fastForwardBranch(SnapshotRef.MAIN_BRANCH, branch).removeBranch(branch).commit();
    } catch (org.apache.iceberg.exceptions.ValidationException e) {
      throw new MainMovedException(); // main moved between the check and the commit
    }
  }

  /** Drops the branch if it is there. */
  void drop(String branch) {
    try {
      Table iceberg = Tables.load(spark, table);
      iceberg.refresh();
      if (iceberg.refs().containsKey(branch)) {
        iceberg.manageSnapshots().removeBranch(branch).commit();
      }
    } catch (RuntimeException e) {
      // Left for expire-snapshots, which removes stale audit_* branches.
      LOG.warn("Could not drop audit branch {} of {}: {}", branch, table, e.getMessage());
    }
  }

  /** Main is no longer the branch's starting point: a concurrent commit got there first. */
  static final class MainMovedException extends RuntimeException {
    MainMovedException() {
      super("main moved during the publish");
    }
  }
}
