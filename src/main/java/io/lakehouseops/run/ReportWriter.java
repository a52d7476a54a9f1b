package io.lakehouseops.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;

/** Writes reports as one JSON line: to stdout (last line) and optionally to a file. */
public final class ReportWriter {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

  private ReportWriter() {}

  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize report: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The file first, so a reader of stdout can rely on the file being complete. location: a
   * local path, or a Hadoop URI (s3a://, hdfs://) written through hadoop's file systems; null
   * for stdout alone.
   */
  public static void write(RunReport report, PrintWriter out, String location, Supplier<Configuration> hadoop)
      throws IOException {
    String json = toJson(report);
    if (location != null && URI_SCHEME.matcher(location).matches() && !location.startsWith("file:")) {
      writeUri(json, location, hadoop.get());
    } else if (location != null) {
      writeLocal(json, location.startsWith("file:") ? Paths.get(URI.create(location)) : Paths.get(location));
    }
    out.println(json);
    out.flush();
  }

  private static void writeLocal(String json, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** An object store's PUT is whole or absent, so the object is written in place; a file system renames. */
  private static void writeUri(String json, String location, Configuration hadoop) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    FileSystem fs = path.getFileSystem(hadoop);
    try (FSDataOutputStream stream = fs.create(path, true)) {
      stream.write((json + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
