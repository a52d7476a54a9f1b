package io.lakehouseops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @AfterEach
  void clearSystemProperty() {
    System.clearProperty("lakehouse.spark.master");
  }

  @Test
  void precedenceIsSystemPropertyThenSetThenFileThenReference() throws Exception {
    Path file = dir.resolve("a.conf");
    Files.writeString(file, "lakehouse.spark.master = \"local[3]\"\nlakehouse.zones.raw = \"/data/raw\"\n");

    Config fromFile = ConfigLoader.load(file.toString(), List.of());
    assertThat(fromFile.getString("lakehouse.spark.master")).isEqualTo("local[3]");
    assertThat(fromFile.getString("lakehouse.catalog.name")).as("reference default").isEqualTo("lake");

    Config withSet = ConfigLoader.load(file.toString(), List.of("lakehouse.spark.master=local[1]"));
    assertThat(withSet.getString("lakehouse.spark.master")).isEqualTo("local[1]");

    System.setProperty("lakehouse.spark.master", "yarn");
    Config withProperty = ConfigLoader.load(file.toString(), List.of("lakehouse.spark.master=local[1]"));
    assertThat(withProperty.getString("lakehouse.spark.master")).isEqualTo("yarn");
    assertThat(withProperty.getString("lakehouse.zones.raw")).isEqualTo("/data/raw");
  }

  @Test
  void setKeepsUrisAndParsesListsAndNumbers() {
    Config config = ConfigLoader.load(null, List.of(
        "lakehouse.catalog.uri=jdbc:postgresql://db:5432/iceberg?ssl=true",
        "lakehouse.dataset-defaults.keys=[a, b]",
        "lakehouse.dataset-defaults.sla-hours=12"));
    assertThat(config.getString("lakehouse.catalog.uri")).isEqualTo("jdbc:postgresql://db:5432/iceberg?ssl=true");
    assertThat(config.getStringList("lakehouse.dataset-defaults.keys")).containsExactly("a", "b");
    assertThat(config.getInt("lakehouse.dataset-defaults.sla-hours")).isEqualTo(12);
  }

  @Test
  void unknownKeyInsideADatasetIsRejectedWithItsPath() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lakehouse.datasets.clicks.kyes=[id]")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Unknown configuration key lakehouse.datasets.clicks.kyes");
  }

  @Test
  void datasetSettingsFallBackOnDefaults() {
    Config config = ConfigLoader.load(null, List.of(
        "lakehouse.zones.raw=/data/raw", "lakehouse.datasets.clicks.keys=[click_id]",
        "lakehouse.datasets.clicks.dedupe-order=[\"seen_at desc\"]"));
    DatasetSettings clicks = LakehouseSettings.from(config).dataset("clicks");
    assertThat(clicks.rawPath()).isEqualTo("/data/raw/clicks");
    assertThat(clicks.table()).isEqualTo(new TableRef("lake", "curated", "clicks"));
    assertThat(clicks.rawFormat()).isEqualTo("avro");
    assertThat(clicks.keys()).containsExactly("click_id");
    assertThat(clicks.slaHours()).isEqualTo(24);
  }

  @Test
  void badDatasetValuesNameTheirPath() {
    assertThatThrownBy(() -> LakehouseSettings.from(ConfigLoader.load(null,
        List.of("lakehouse.datasets.clicks.raw.format=parquet"))))
        .hasMessage("Invalid configuration at lakehouse.datasets.clicks.raw.format: 'parquet' is not one of [avro, json]");
    assertThatThrownBy(() -> LakehouseSettings.from(ConfigLoader.load(null,
        List.of("lakehouse.datasets.clicks.keys=[\"click id\"]"))))
        .hasMessageContaining("lakehouse.datasets.clicks.keys")
        .hasMessageContaining("'click id' is not an identifier");
    assertThatThrownBy(() -> LakehouseSettings.from(ConfigLoader.load(null,
        List.of("lakehouse.datasets.clicks.partition-by=[\"days(ts); DROP TABLE x\"]"))))
        .hasMessageStartingWith("Invalid configuration at lakehouse.datasets.clicks.partition-by");
  }

  @Test
  void redactionHidesSecretKeysAndUriCredentials() {
    Config config = ConfigLoader.load(null, List.of(
        "lakehouse.catalog.uri=jdbc:postgresql://iceberg:hunter2@db:5432/cat?password=hunter2&ssl=true",
        "lakehouse.catalog.properties.jdbc.password=hunter2",
        "lakehouse.catalog.properties.s3.secret-access-key=AKIASECRET",
        "lakehouse.catalog.properties.token=abc123",
        "lakehouse.dataset-defaults.keys=[event_id]"));
    Map<String, Object> tree = Redactor.redactedTree(config, "lakehouse");
    String text = tree.toString();
    assertThat(text).doesNotContain("hunter2", "AKIASECRET", "abc123");
    assertThat(text).contains("ssl=true", "event_id");
  }

  @Test
  void aSetOptionIsRedactedByItsKeyAndInsideAStructuredValue() {
    String routes = Redactor.redactSetting("lakehouse.datasets.d.alerts.routes=[{type=slack,url=\"http://h/hook/"
        + "T0SECRET\"},{type=pagerduty,url=\"http://h/pd\",routing-key=rk-SECRET}]");
    assertThat(routes).doesNotContain("T0SECRET", "rk-SECRET").contains("lakehouse.datasets.d.alerts.routes=")
        .contains("slack", "pagerduty");
    assertThat(Redactor.redactSetting("lakehouse.lineage.url=http://ol/api?k=1")).isEqualTo("lakehouse.lineage.url=***");
    assertThat(Redactor.redactSetting("lakehouse.catalog.properties.\"s3.secret-key\"=abc"))
        .isEqualTo("lakehouse.catalog.properties.\"s3.secret-key\"=***");
    assertThat(Redactor.redactSetting("lakehouse.backfill.chunk-days=7")).isEqualTo("lakehouse.backfill.chunk-days=7");
  }
}
