package io.lakehouseops.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The --config file: a local path, or a Hadoop FileSystem URI (s3a://, hdfs://, file://) read
 * before Spark starts. A URI is what reaches the driver in every deploy mode: spark-submit
 * --files does not put a file in a client-mode driver's working directory, nor in a
 * standalone cluster-mode driver's.
 */
public final class ConfigFile {
  private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
  private static final String SPARK_HADOOP = "spark.hadoop.";

  private final String location;

  private ConfigFile(String location) {
    this.location = location;
  }

  public static ConfigFile at(String location) {
    return new ConfigFile(location);
  }

  /** True for a URI with a scheme (s3a://, file:/, hdfs://), false for a plain local path. */
  static boolean isUri(String location) {
    return URI_SCHEME.matcher(location).matches();
  }

  Config parse() {
    if (isUri(location) && !location.startsWith("file:")) {
      return parseText(read(), location);
    }
    Path local = localPath();
    if (!Files.isRegularFile(local) || !Files.isReadable(local)) {
      throw new ConfigException("Cannot read config file " + location + ": no such readable file (check --config"
          + (local.isAbsolute() ? "" : "; it is read from " + Paths.get("").toAbsolutePath() + ", and a driver "
              + "on a standalone cluster does not get spark-submit --files there: give a URI, e.g. s3a://...")
          + ")");
    }
    try {
      // parseFile, not the text: a local file's relative includes resolve next to it.
      return ConfigFactory.parseFile(
          local.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(
          "Cannot parse config file " + location + ": " + Messages.oneLine(e.getMessage()), e);
    }
  }

  /** The folder the file is in, as a path or URI a sibling's name can be appended to. */
  String directory() {
    if (isUri(location) && !location.startsWith("file:")) {
      return location.substring(0, location.lastIndexOf('/'));
    }
    Path parent = localPath().toAbsolutePath().getParent();
    return parent == null ? "/" : parent.toString();
  }

  private Path localPath() {
    return location.startsWith("file:") ? Paths.get(URI.create(location)) : Paths.get(location);
  }

  private String read() {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    // A file system of its own, closed after the read: Hadoop's cache would hand this instance,
    // built without the config's own spark.hadoop.* settings, to Spark for the same bucket.
    try (FileSystem fs = FileSystem.newInstance(path.toUri(), hadoopConfiguration());
        InputStream in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      throw new ConfigException(
          "Cannot read config file " + location + ": no such file (check --config)", e);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("Cannot read config file " + location + ": "
          + Redactor.redactText(Messages.oneLine(String.valueOf(e.getMessage())))
          + " (check --config and the spark.hadoop.* settings that reach it)", e);
    }
  }

  private static Config parseText(String text, String origin) {
    try {
      return ConfigFactory.parseString(text,
          ConfigParseOptions.defaults().setOriginDescription(origin).setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(
          "Cannot parse config file " + origin + ": " + Messages.oneLine(e.getMessage()), e);
    }
  }

  /**
   * Hadoop settings as Spark would build them: the spark.hadoop.* properties that spark-submit
   * hands the driver as system properties (its --conf), over Hadoop's own defaults.
   */
  public static Configuration hadoopConfiguration() {
    Configuration hadoop = new Configuration();
    for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.startsWith(SPARK_HADOOP)) {
        hadoop.set(key.substring(SPARK_HADOOP.length()), String.valueOf(e.getValue()));
      }
    }
    return hadoop;
  }
}
