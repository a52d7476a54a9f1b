package io.lakehouseops.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaContractTest {
  private static final SchemaContract CONTRACT = new SchemaContract(record("Contract", "ns.a",
      "{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"count\",\"type\":\"int\"},"
          + "{\"name\":\"score\",\"type\":[\"null\",\"float\"],\"default\":null},"
          + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}"));

  private static Schema record(String name, String namespace, String fields) {
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\""
        + namespace + "\",\"fields\":[" + fields + "]}");
  }

  private static ContractCheck check(String fields) {
    return CONTRACT.check(Map.of("f.avro", record("topLevelRecord", "spark", fields)));
  }

  @Test
  void sameFieldsUnderAnotherRecordNameAreCompatibleWithNoChange() {
    ContractCheck result = check("{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"count\",\"type\":\"int\"},"
        + "{\"name\":\"score\",\"type\":[\"null\",\"float\"]},{\"name\":\"note\",\"type\":[\"null\",\"string\"]}");
    assertThat(result.violations()).isEmpty();
    assertThat(result.additiveChanges()).isEmpty();
  }

  @Test
  void widenedTypesAndANewNullableFieldAreAdditive() {
    ContractCheck result = check("{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"count\",\"type\":\"long\"},"
        + "{\"name\":\"score\",\"type\":[\"null\",\"double\"]},{\"name\":\"device\",\"type\":[\"null\",\"string\"]}");
    assertThat(result.violations()).isEmpty();
    assertThat(result.additiveChanges()).containsExactly(
        new SchemaChange("widen", "count", "int", "bigint"),
        new SchemaChange("widen", "score", "float", "double"),
        new SchemaChange("add-column", "device", null, "string"));
    assertThat(result.effectiveSchema().fieldNames()).containsExactly("id", "count", "score", "note", "device");
    assertThat(result.effectiveSchema().apply("count").dataType().simpleString()).isEqualTo("bigint");
  }

  @Test
  void missingRequiredFieldNarrowingAndIncompatibleTypesBreak() {
    ContractCheck result = check("{\"name\":\"count\",\"type\":\"int\"},"
        + "{\"name\":\"score\",\"type\":[\"null\",\"string\"]},{\"name\":\"extra\",\"type\":\"long\"}");
    assertThat(result.violations()).extracting(ContractViolation::message).containsExactly(
        "field id: missing required field (the contract has no default for it) (f.avro)",
        "field score: incompatible type string (contract: float) (f.avro)",
        "field extra: new field is required; add it as nullable (a union with null) so old rows can be read (f.avro)");
  }

  @Test
  void narrowingIsNamed() {
    SchemaContract wide = new SchemaContract(record("C", "x", "{\"name\":\"n\",\"type\":\"long\"}"));
    ContractCheck result = wide.check(Map.of("g.avro", record("D", "y", "{\"name\":\"n\",\"type\":\"int\"}")));
    assertThat(result.violations()).extracting(ContractViolation::message)
        .containsExactly("field n: narrowing from bigint to int (g.avro)");
  }

  @Test
  void missingNullableFieldIsFine() {
    ContractCheck result = check("{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"count\",\"type\":\"int\"}");
    assertThat(result.compatible()).isTrue();
  }
}
