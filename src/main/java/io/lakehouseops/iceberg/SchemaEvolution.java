package io.lakehouseops.iceberg;

import io.lakehouseops.schema.SchemaChange;
import io.lakehouseops.schema.SchemaContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Plans and applies the additive changes a batch needs on an existing curated table: new
 * nullable columns and in-place widenings, through Iceberg's UpdateSchema (column ids keep
 * old data files readable; old rows read a new column as null).
 */
public final class SchemaEvolution {
  /** The schema the batch is written with, and the changes the table needs for it. */
  public record Plan(StructType target, List<SchemaChange> changes, List<String> conflicts) {}

  private SchemaEvolution() {}

  public static Plan plan(StructType table, StructType batch) {
    Map<String, StructField> target = new LinkedHashMap<>();
    List<SchemaChange> changes = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    Map<String, StructField> incoming = new LinkedHashMap<>();
    for (StructField field : batch.fields()) {
      incoming.put(field.name(), field);
    }
    for (StructField existing : table.fields()) {
      StructField wanted = incoming.remove(existing.name());
      DataType type = existing.dataType();
      if (wanted != null && !sameType(type, wanted.dataType())) {
        if (isWidening(type, wanted.dataType())) {
          changes.add(new SchemaChange("widen", existing.name(), type.simpleString(),
              wanted.dataType().simpleString()));
          type = wanted.dataType();
        } else if (!isWidening(wanted.dataType(), type)) { // a narrower batch is cast up
          conflicts.add("field " + existing.name() + ": the table has type " + type.simpleString()
              + " but the batch " + wanted.dataType().simpleString());
        }
      }
      target.put(existing.name(), new StructField(existing.name(), type, true, Metadata.empty()));
    }
    for (StructField added : incoming.values()) {
      changes.add(new SchemaChange("add-column", added.name(), null, added.dataType().simpleString()));
      target.put(added.name(), new StructField(added.name(), added.dataType(), true, Metadata.empty()));
    }
    return new Plan(new StructType(target.values().toArray(StructField[]::new)), changes, conflicts);
  }

  public static void apply(Table table, List<SchemaChange> changes, StructType target) {
    if (changes.isEmpty()) {
      return;
    }
    UpdateSchema update = table.updateSchema();
    for (SchemaChange change : changes) {
      DataType type = target.apply(change.field()).dataType();
      Type icebergType = SparkSchemaUtil.convert(type);
      if ("add-column".equals(change.change())) {
        update.addColumn(change.field(), icebergType);
      } else {
        update.updateColumn(change.field(), icebergType.asPrimitiveType());
      }
    }
    update.commit();
  }

  private static boolean sameType(DataType a, DataType b) {
    return a.catalogString().equals(b.catalogString());
  }

  private static boolean isWidening(DataType from, DataType to) {
    return SchemaContract.isWidening(from, to);
  }
}
