package io.lakehouseops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** --version: this tool's version and the Spark and Iceberg it runs with. */
public class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "lakehouse-ops " + version(),
      "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
          + ", Iceberg " + org.apache.iceberg.IcebergBuild.version()
          + ", Java " + System.getProperty("java.version")
    };
  }

  /** This build's version, from the properties Maven writes (unknown outside a build). */
  static String version() {
    Properties build = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/lakehouse-ops-version.properties")) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return build.getProperty("version", "unknown");
  }
}
