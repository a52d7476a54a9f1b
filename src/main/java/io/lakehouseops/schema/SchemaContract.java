package io.lakehouseops.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.spark.sql.avro.SchemaConverters;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Compares each raw file's writer schema with the dataset's contract, field by field (the
 * top-level record's name and namespace are the producer's business and are ignored).
 * Avro's SchemaCompatibility decides whether the file's type can hold every contract value;
 * the change is then classified the way Iceberg can evolve a column: the same type, a
 * widening (int->long, float->double), or breaking. New fields must be nullable.
 */
public final class SchemaContract {
  private final Schema contract;

  public SchemaContract(Schema contract) {
    this.contract = contract;
  }

  /** The contract as Spark columns, every column nullable (the gate judges nulls). */
  public StructType sparkSchema() {
    return nullable((StructType) SchemaConverters.toSqlType(contract).dataType());
  }

  public ContractCheck check(Map<String, Schema> fileSchemas) {
    Map<String, StructField> effective = new LinkedHashMap<>();
    for (StructField field : sparkSchema().fields()) {
      effective.put(field.name(), field);
    }
    Map<String, SchemaChange> changes = new LinkedHashMap<>();
    List<ContractViolation> violations = new ArrayList<>();
    for (Map.Entry<String, Schema> file : fileSchemas.entrySet()) {
      compare(file.getKey(), file.getValue(), effective, changes, violations);
    }
    return new ContractCheck(new StructType(effective.values().toArray(StructField[]::new)),
        List.copyOf(changes.values()), List.copyOf(violations));
  }

  private void compare(String file, Schema writer, Map<String, StructField> effective,
      Map<String, SchemaChange> changes, List<ContractViolation> violations) {
    for (Schema.Field expected : contract.getFields()) {
      Schema.Field actual = writer.getField(expected.name());
      if (actual == null) {
        if (!isNullable(expected.schema()) && !expected.hasDefaultValue()) {
          violations.add(new ContractViolation(expected.name(), file,
              "missing required field (the contract has no default for it)"));
        }
        continue;
      }
      if (!isNullable(expected.schema()) && isNullable(actual.schema())) {
        violations.add(new ContractViolation(expected.name(), file,
            "nullable in the file but required by the contract"));
        continue;
      }
      Schema contractType = nonNull(expected.schema());
      Schema fileType = nonNull(actual.schema());
      DataType contractSpark = sparkType(contractType);
      DataType fileSpark = sparkType(fileType);
      if (contractSpark.catalogString().equals(fileSpark.catalogString())) {
        continue;
      }
      boolean fileReadsContract = SchemaCompatibility
          .checkReaderWriterCompatibility(fileType, contractType).getType()
          == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
      if (fileReadsContract && isWidening(contractSpark, fileSpark)) {
        effective.put(expected.name(), new StructField(expected.name(), fileSpark, true,
            effective.get(expected.name()).metadata()));
        changes.put(expected.name(), new SchemaChange("widen", expected.name(),
            contractSpark.simpleString(), fileSpark.simpleString()));
      } else if (isWidening(fileSpark, contractSpark)) {
        violations.add(new ContractViolation(expected.name(), file, "narrowing from "
            + contractSpark.simpleString() + " to " + fileSpark.simpleString()));
      } else {
        violations.add(new ContractViolation(expected.name(), file, "incompatible type "
            + fileSpark.simpleString() + " (contract: " + contractSpark.simpleString() + ")"));
      }
    }
    for (Schema.Field extra : writer.getFields()) {
      if (contract.getField(extra.name()) != null) {
        continue;
      }
      if (!isNullable(extra.schema()) && !extra.hasDefaultValue()) {
        violations.add(new ContractViolation(extra.name(), file,
            "new field is required; add it as nullable (a union with null) so old rows can be read"));
        continue;
      }
      DataType type = sparkType(nonNull(extra.schema()));
      StructField known = effective.get(extra.name());
      if (known != null && !known.dataType().catalogString().equals(type.catalogString())) {
        violations.add(new ContractViolation(extra.name(), file, "new field has type "
            + type.simpleString() + " here but " + known.dataType().simpleString() + " in another file"));
        continue;
      }
      effective.put(extra.name(), new StructField(extra.name(), type, true,
          org.apache.spark.sql.types.Metadata.empty()));
      changes.putIfAbsent(extra.name(), new SchemaChange("add-column", extra.name(), null,
          type.simpleString()));
    }
  }

  /** The widenings Iceberg can apply to a column in place. */
  public static boolean isWidening(DataType from, DataType to) {
    return from.equals(DataTypes.IntegerType) && to.equals(DataTypes.LongType)
        || from.equals(DataTypes.FloatType) && to.equals(DataTypes.DoubleType);
  }

  private static DataType sparkType(Schema schema) {
    return SchemaConverters.toSqlType(schema).dataType();
  }

  static boolean isNullable(Schema schema) {
    return schema.getType() == Schema.Type.NULL || schema.getType() == Schema.Type.UNION
        && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
  }

  /** ["null", T] -> T; other schemas unchanged. */
  static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    List<Schema> branches = schema.getTypes().stream()
        .filter(s -> s.getType() != Schema.Type.NULL).toList();
    return branches.size() == 1 ? branches.get(0) : Schema.createUnion(branches);
  }

  private static StructType nullable(StructType schema) {
    StructField[] fields = new StructField[schema.fields().length];
    for (int i = 0; i < fields.length; i++) {
      StructField f = schema.fields()[i];
      fields[i] = new StructField(f.name(), f.dataType(), true, f.metadata());
    }
    return new StructType(fields);
  }
}
