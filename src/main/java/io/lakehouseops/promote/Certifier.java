package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.quality.GateResult;
import java.time.Duration;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certifies a clean publish: a partition whose gate passed with no warning and no row
 * quarantined gets its published snapshot tagged `<tag-prefix><dataset>_<partition>` (kept for
 * max-ref-age), and the certified branch fast-forwards to it, so a reader can pin
 * `VERSION AS OF 'certified'`. One metadata commit; a failure to tag never fails the publish.
 */
public final class Certifier {
  private static final Logger LOG = LoggerFactory.getLogger(Certifier.class);

  private final SparkSession spark;
  private final DatasetSettings dataset;

  Certifier(SparkSession spark, DatasetSettings dataset) {
    this.spark = spark;
    this.dataset = dataset;
  }

  /** The tag prefix and branch of the dataset's certification (erase releases them itself). */
  public static String tagPrefix(DatasetSettings dataset) {
    return dataset.config().getString("certify.tag-prefix");
  }

  public static String branch(DatasetSettings dataset) {
    return dataset.config().getString("certify.branch");
  }

  Certification certify(long snapshotId, RawPartition partition, GateResult gate, long rowsQuarantined) {
    if (!dataset.config().getBoolean("certify.enabled")) {
      return Certification.not("certification is off (certify.enabled = false)");
    }
    if (!gate.warnings().isEmpty()) {
      return Certification.not("published with warnings " + gate.warnings());
    }
    if (rowsQuarantined > 0) {
      return Certification.not(rowsQuarantined + " rows were quarantined (quarantine-rows)");
    }
    String tag = tagPrefix(dataset) + dataset.name() + "_" + partition.key().replaceAll("[^A-Za-z0-9]", "_");
    String branch = branch(dataset);
    Duration maxAge = dataset.config().getDuration("certify.max-ref-age");
    try {
      Table table = Tables.load(spark, dataset.table());
      table.refresh();
      ManageSnapshots manage = table.manageSnapshots();
      manage = table.refs().containsKey(tag) ? manage.replaceTag(tag, snapshotId) : manage.createTag(tag, snapshotId);
      manage = manage.setMaxRefAgeMs(tag, maxAge.toMillis());
      SnapshotRef head = table.refs().get(branch);
      boolean moved = true;
      if (head == null) {
        manage = manage.createBranch(branch, snapshotId);
      } else if (head.snapshotId() != snapshotId && SnapshotUtil.isAncestorOf(table, snapshotId, head.snapshotId())) {
        manage = manage.replaceBranch(branch, snapshotId);
      } else {
        moved = head.snapshotId() == snapshotId;
      }
      manage.commit();
      LOG.info("Certified snapshot {} of {}: tag {}{}", snapshotId, dataset.table(), tag,
          moved ? ", branch " + branch : "; branch " + branch + " not moved (its head is not an ancestor)");
      return new Certification(true, tag, moved ? branch : null, null);
    } catch (RuntimeException e) {
      LOG.warn("Could not certify snapshot {} of {}: {}", snapshotId, dataset.table(), e.getMessage());
      return Certification.not("the tag could not be committed: " + e.getMessage());
    }
  }
}
