package io.lakehouseops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --config as a path or a Hadoop URI, and a relative contract path found next to it. */
class ConfigFileTest {
  private static final String CONTRACT = "lakehouse.datasets.clicks.contract";
  @TempDir Path dir;

  @AfterEach
  void clearHadoopProperty() {
    System.clearProperty("spark.hadoop.fs.lakehouse-test.impl");
  }

  private Path config(String contract) throws Exception {
    Path file = dir.resolve("conf").resolve("application.conf");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "lakehouse.datasets.clicks { contract = \"" + contract + "\", keys = [id] }\n");
    return file;
  }

  @Test
  void aFileUriIsReadLikeItsPath() throws Exception {
    Path file = config("/abs/clicks.avsc");

    Config config = ConfigLoader.load(file.toUri().toString(), List.of());

    assertThat(config.getString(CONTRACT)).isEqualTo("/abs/clicks.avsc");
  }

  @Test
  void aRelativeContractMissingFromTheWorkingDirectoryIsTheOneNextToTheConfig() throws Exception {
    Path file = config("schemas/clicks-" + System.nanoTime() + ".avsc");

    Config config = ConfigLoader.load(file.toString(), List.of());

    assertThat(config.getString(CONTRACT))
        .startsWith(file.getParent().toAbsolutePath() + "/schemas/clicks-").endsWith(".avsc");
  }

  @Test
  void aRelativeContractInTheWorkingDirectoryStaysThere() throws Exception {
    // conf/schemas/user_events.avsc exists in the project's root, the tests' working directory.
    Path file = config("conf/schemas/user_events.avsc");

    assertThat(ConfigLoader.load(file.toString(), List.of()).getString(CONTRACT))
        .isEqualTo("conf/schemas/user_events.avsc");
  }

  @Test
  void aContractUriIsLeftAsItIs() throws Exception {
    Path file = config("s3a://bucket/schemas/clicks.avsc");

    assertThat(ConfigLoader.load(file.toString(), List.of()).getString(CONTRACT))
        .isEqualTo("s3a://bucket/schemas/clicks.avsc");
  }

  @Test
  void aMissingFileBehindAUriIsAConfigErrorNamingIt() {
    String missing = dir.resolve("nope.conf").toUri().toString();

    assertThatThrownBy(() -> ConfigLoader.load(missing, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot read config file " + missing + ": no such readable file (check --config)");
  }

  @Test
  void anUnknownSchemeIsAConfigErrorNamingTheFileAndTheSettings() {
    assertThatThrownBy(() -> ConfigLoader.load("nosuchfs://bucket/application.conf", List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot read config file nosuchfs://bucket/application.conf: ")
        .hasMessageEndingWith("(check --config and the spark.hadoop.* settings that reach it)");
  }

  @Test
  void theSparkHadoopPropertiesOfSparkSubmitConfigureTheRead() {
    System.setProperty("spark.hadoop.fs.lakehouse-test.impl", "org.apache.hadoop.fs.RawLocalFileSystem");

    assertThat(ConfigFile.hadoopConfiguration().get("fs.lakehouse-test.impl"))
        .isEqualTo("org.apache.hadoop.fs.RawLocalFileSystem");
  }

  @Test
  void plainPathsAreNotUris() {
    assertThat(ConfigFile.isUri("conf/application.conf")).isFalse();
    assertThat(ConfigFile.isUri("/etc/lakehouse/application.conf")).isFalse();
    assertThat(ConfigFile.isUri("s3a://bucket/application.conf")).isTrue();
    assertThat(ConfigFile.isUri("file:/etc/application.conf")).isTrue();
  }
}
