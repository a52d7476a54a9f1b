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

  private CuratedTable() {}

  public static void prepare(SparkSession spark, DatasetSettings dataset, SchemaEvolution.Plan plan) {
    TableRef table = dataset.table();
    if (!Tables.exists(spark, table)) {
      Map<String, String> properties = new LinkedHashMap<>(writeModeProperties(dataset));
      properties.put("write.wap.enabled", "true");
      Tables.createIfMissing(spark, table, plan.target(),
          PartitionColumns.of(dataset.partitionBy(), "lakehouse.datasets." + dataset.name() + ".partition-by"),
          properties);
      return;
    }
    Table iceberg = Tables.load(spark, table);
    SchemaEvolution.apply(iceberg, plan.changes(), plan.target());
    applyWriteMode(iceberg, dataset);
  }

  /** Sets write.merge/update/delete.mode when the dataset configures a mode the table lacks. */
  static void applyWriteMode(Table table, DatasetSettings dataset) {
    Map<String, String> wanted = writeModeProperties(dataset);
    table.refresh();
    Map<String, String> current = table.properties();
    if (wanted.entrySet().stream().allMatch(e -> e.getValue().equals(current.get(e.getKey())))) {
      return;
    }
    UpdateProperties update = table.updateProperties();
    wanted.forEach(update::set);
    update.commit();
    LOG.info("Set {} of {} to {} (lakehouse.datasets.{}.write-mode)", MODE_PROPERTIES, dataset.table(),
        dataset.writeMode(), dataset.name());
  }

  private static Map<String, String> writeModeProperties(DatasetSettings dataset) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (!dataset.writeMode().isEmpty()) {
      MODE_PROPERTIES.forEach(p -> properties.put(p, dataset.writeMode()));
    }
    return properties;
  }
}
