package io.lakehouseops.backfill;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.iceberg.SchemaEvolution;
import io.lakehouseops.promote.PartitionPipeline;
import io.lakehouseops.promote.RawPartition;
import io.lakehouseops.promote.RowCleaner;
import io.lakehouseops.promote.StagedPartition;
import io.lakehouseops.schema.SchemaChange;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The raw rows of a chunk's event dates. Raw partitions are by arrival day, so the rows of
 * event dates D1..Dn are in raw dt=D1 to dt=Dn+late-arrival-days: each is read, checked and
 * cleaned by promote's pipeline, their rows joined and deduped again (a key can arrive twice),
 * and then split by event date.
 */
final class RawWindow implements AutoCloseable {
  private final List<StagedPartition> read = new ArrayList<>();
  private final List<StagedPartition> broken = new ArrayList<>();
  private final Dataset<Row> rows;
  private final SchemaEvolution.Plan plan;
  private final String label;

  RawWindow(PartitionPipeline pipeline, DatasetSettings dataset, List<LocalDate> dates) throws IOException {
    LocalDate first = dates.get(0);
    LocalDate last = dates.get(dates.size() - 1).plusDays(dataset.lateArrivalDays());
    Dataset<Row> union = null;
    Set<SchemaChange> changes = new LinkedHashSet<>();
    for (LocalDate dt = first; !dt.isAfter(last); dt = dt.plusDays(1)) {
      StagedPartition partition = pipeline.read(new RawPartition(dt, null));
      if (partition.stage() == StagedPartition.Stage.SCHEMA_BROKEN) {
        broken.add(partition);
      } else if (partition.stage() == StagedPartition.Stage.READ) {
        read.add(partition);
        changes.addAll(partition.plan().changes());
        union = union == null ? partition.cleaned()
            : union.unionByName(partition.cleaned(), true);
      }
    }
    this.rows = union == null ? null : new RowCleaner(dataset).clean(union)
        .filter(functions.to_date(functions.col(dataset.eventTime()))
            .between(java.sql.Date.valueOf(dates.get(0)), java.sql.Date.valueOf(dates.get(dates.size() - 1))));
    this.plan = union == null ? null : new SchemaEvolution.Plan(union.schema(), List.copyOf(changes), List.of());
    this.label = dataset.rawPath() + "/dt={" + first + ".." + last + "}";
  }

  /** Raw partitions of the window whose files break the schema contract: they block the chunk. */
  List<StagedPartition> broken() {
    return broken;
  }

  String label() {
    return label;
  }

  SchemaEvolution.Plan plan() {
    return plan;
  }

  /** The window's rows of the chunk's event dates (null when the window had no rows at all). */
  Dataset<Row> rows() {
    return rows;
  }

  @Override
  public void close() {
    read.forEach(StagedPartition::close);
  }
}
