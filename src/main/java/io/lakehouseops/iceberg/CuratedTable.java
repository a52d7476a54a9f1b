package io.lakehouseops.iceberg;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.TableRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateProperties;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a dataset's curated table ready for a MERGE: created with the dataset's partitioning
 * on first use, otherwise given the batch's additive schema changes and the configured write
 * mode. Used by promote and backfill alike.
 */
public final class CuratedTable {
  private static final Logger LOG = LoggerFactory.getLogger(CuratedTable.class);
  private static final List<String> MODE_PROPERTIES = List.of(TableProperties.MERGE_MODE,
      TableProperties.UPDATE_MODE, TableProperties.DELETE_MODE);
  private static final String WAP_ENABLED = TableProperties.WRITE_AUDIT_PUBLISH_ENABLED;

  private CuratedTable() {}

  public static void prepare(SparkSession spark, DatasetSettings dataset, SchemaEvolution.Plan plan) {
    TableRef table = dataset.table();
    if (!Tables.exists(spark, table)) {
      Tables.createIfMissing(spark, table, plan.target(),
          PartitionColumns.of(dataset.partitionBy(), "lakehouse.datasets." + dataset.name() + ".partition-by"),
          wantedProperties(dataset));
      return;
    }
    Table iceberg = Tables.load(spark, table);
    SchemaEvolution.apply(iceberg, plan.changes(), plan.target());
    applyWriteMode(iceberg, dataset);
  }

  /**
   * Whether promote may write the batch before gating it: the table exists with a snapshot to
   * branch from, needs none of the plan's schema changes (a table change before the gate would
   * outlive a failed gate) and has the properties prepare would set.
   */
  public static boolean acceptsWriteFirst(SparkSession spark, DatasetSettings dataset, SchemaEvolution.Plan plan) {
    if (!plan.changes().isEmpty() || !Tables.exists(spark, dataset.table())) {
      return false;
    }
    Table iceberg = Tables.load(spark, dataset.table());
    iceberg.refresh();
    return iceberg.currentSnapshot() != null && hasProperties(iceberg, dataset);
  }

  private static boolean hasProperties(Table table, DatasetSettings dataset) {
    Map<String, String> current = table.properties();
    return wantedProperties(dataset).entrySet().stream().allMatch(e -> e.getValue().equals(current.get(e.getKey())));
  }

  /**
   * Sets write.merge/update/delete.mode when the dataset configures a mode the table lacks,
   * and write.wap.enabled on a table made elsewhere: without it Iceberg ignores
   * spark.wap.branch and an audit branch's write would land on main.
   */
  static void applyWriteMode(Table table, DatasetSettings dataset) {
    Map<String, String> wanted = wantedProperties(dataset);
    table.refresh();
    if (hasProperties(table, dataset)) {
      return;
    }
    UpdateProperties update = table.updateProperties();
    wanted.forEach(update::set);
    update.commit();
    LOG.info("Set {} of {} (lakehouse.datasets.{}.write-mode = '{}')", wanted, dataset.table(), dataset.name(),
        dataset.writeMode());
  }

  private static Map<String, String> wantedProperties(DatasetSettings dataset) {
    Map<String, String> properties = writeModeProperties(dataset);
    properties.put(WAP_ENABLED, "true");
    return properties;
  }

  private static Map<String, String> writeModeProperties(DatasetSettings dataset) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (!dataset.writeMode().isEmpty()) {
      MODE_PROPERTIES.forEach(p -> properties.put(p, dataset.writeMode()));
    }
    return properties;
  }
}
