package io.lakehouseops.schema;

import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.DatasetSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads a dataset's contract (.avsc): a local path (relative to the working directory, where
 * spark-submit --files also puts files) or any Hadoop path such as s3a://.
 */
public final class ContractLoader {
  private ContractLoader() {}

  public static Schema load(DatasetSettings dataset, Configuration hadoop) {
    String where = "lakehouse.datasets." + dataset.name() + ".contract";
    String location = dataset.contract();
    if (location.isBlank()) {
      throw new ConfigException("Invalid configuration at " + where + ": give the path of the "
          + "dataset's contract schema (.avsc)");
    }
    try (InputStream in = open(location, hadoop)) {
      Schema schema = new Schema.Parser().parse(in);
      if (schema.getType() != Schema.Type.RECORD) {
        throw new ConfigException("Invalid contract " + location + " (" + where
            + "): the schema must be a record, not " + schema.getType());
      }
      return schema;
    } catch (SchemaParseException e) {
      throw new ConfigException("Invalid contract " + location + " (" + where + "): "
          + e.getMessage(), e);
    } catch (java.io.FileNotFoundException e) {
      throw new ConfigException("Cannot read contract " + location + " (" + where
          + "): no such file", e);
    } catch (IOException e) {
      throw new ConfigException("Cannot read contract " + location + " (" + where + "): "
          + e.getMessage(), e);
    }
  }

  private static InputStream open(String location, Configuration hadoop) throws IOException {
    java.nio.file.Path local = Paths.get(location);
    if (!location.contains("://") && !location.startsWith("file:")) {
      if (!Files.isRegularFile(local)) {
        throw new java.io.FileNotFoundException(location);
      }
      return Files.newInputStream(local);
    }
    Path path = new Path(location);
    return path.getFileSystem(hadoop).open(path);
  }
}
