package io.lakehouseops.storage;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before any work, that the object stores a run uses answer: one request per s3a://
 * root (warehouse, raw zone) with a single attempt. An unreachable endpoint or missing
 * credentials then fails in seconds with the setting to fix, instead of after minutes of S3A
 * and Iceberg retries deep inside a read with a message about some metadata file.
 */
public final class StorageProbe {
  private static final Logger LOG = LoggerFactory.getLogger(StorageProbe.class);

  private StorageProbe() {}

  /** roots: what each location is set by (e.g. lakehouse.catalog.warehouse) -> its URI. */
  public static void check(Configuration hadoop, Map<String, String> roots) {
    roots.forEach((setting, location) -> {
      if (location.toLowerCase(Locale.ROOT).startsWith("s3a://")) {
        probe(hadoop, setting, location);
      }
    });
  }

  private static void probe(Configuration hadoop, String setting, String location) {
    Configuration once = new Configuration(hadoop);
    once.setInt("fs.s3a.attempts.maximum", 1);
    once.setInt("fs.s3a.retry.limit", 1);
    once.setIfUnset("fs.s3a.connection.establish.timeout", "5000");
    try (FileSystem fs = FileSystem.newInstance(URI.create(location), once)) {
      fs.exists(new Path(location));
    } catch (IOException | RuntimeException e) {
      // The stack trace goes to the log; the user's line says what to fix without it.
      LOG.warn("Probe of {} ({}) failed", location, setting, e);
      throw new StorageUnavailableException(describe(hadoop, setting, location, e));
    }
  }

  static String describe(Configuration hadoop, String setting, String location, Throwable e) {
    String endpoint = hadoop.getTrimmed("fs.s3a.endpoint", "");
    String where = location + " (" + setting + ")";
    if (missingCredentials(e)) {
      return "No AWS credentials to read " + where + ": set AWS_ACCESS_KEY_ID and "
          + "AWS_SECRET_ACCESS_KEY, an AWS profile or an instance role, or choose a provider with "
          + "fs.s3a.aws.credentials.provider";
    }
    return "Cannot reach " + where + " at endpoint " + (endpoint.isEmpty() ? "(AWS default)" : endpoint)
        + " (fs.s3a.endpoint): " + rootCause(e) + "; check the endpoint, the network and the bucket";
  }

  private static boolean missingCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String text = t.getClass().getName() + " " + t.getMessage();
      if (text.contains("NoAuthWithAWSException") || text.contains("No AWS Credentials")
          || text.contains("Unable to load AWS credentials") || text.contains("Unable to load credentials")) {
        return true;
      }
    }
    return false;
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    return root.getClass().getSimpleName() + ": " + message;
  }

  /** The object store of the lakehouse cannot be used (unreachable, no credentials). */
  public static final class StorageUnavailableException extends RuntimeException {
    StorageUnavailableException(String message) {
      super(message);
    }
  }
}
