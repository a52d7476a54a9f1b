package io.lakehouseops.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * A relative contract path that is not in the working directory is looked up next to the
 * --config file: a driver started from an empty directory (Airflow, cluster deploy mode)
 * then finds `contract = "user_events.avsc"` beside an s3a:// or absolute config.
 */
final class ContractPaths {
  private ContractPaths() {}

  static Config nextTo(Config config, String configDirectory) {
    Config result = config;
    for (String name : config.getObject("lakehouse.datasets").keySet()) {
      String key = "lakehouse.datasets.\"" + name + "\".contract";
      if (!config.hasPath(key)) {
        continue;
      }
      String contract = config.getString(key);
      if (contract.isBlank() || ConfigFile.isUri(contract) || Paths.get(contract).isAbsolute()
          || Files.exists(Paths.get(contract))) {
        continue;
      }
      result = result.withValue(key, ConfigValueFactory.fromAnyRef(
          configDirectory + "/" + contract, "next to the --config file: " + contract));
    }
    return result;
  }
}
