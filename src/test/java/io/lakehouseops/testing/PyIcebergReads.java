package io.lakehouseops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reads of our tables by PyIceberg (readers/pyiceberg, from PyPI), an engine independent of
 * Spark and of Iceberg's Java library, and the same reads' SQL for Spark: each read gives the
 * row count, an order-independent checksum of some columns (name:kind, kind long, string or
 * timestamp) and, with a date column, rows per date; the two engines' answers are compared.
 */
public final class PyIcebergReads {
  // Longs throughout, as Spark's answers are read: a count of 900 must equal Spark's 900L.
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private PyIcebergReads() {}

  /** One read: a table (NS.TABLE) at its current or a given snapshot. */
  public record Read(String id, String table, String columns, Long snapshotId, String dateColumn) {
    public List<String> columnList() {
      return List.of(columns.split(","));
    }

    /** Spark SQL of the read's count and checksum: id, rows, checksum. */
    public String sparkSummary(String catalog) {
      String values = columnList().stream().map(PyIcebergReads::sparkValue).collect(Collectors.joining(", "));
      return "SELECT '" + id + "' AS id, count(*) AS rows, coalesce(sum(crc32(concat_ws('|', " + values
          + "))), 0) AS checksum FROM " + from(catalog);
    }

    /** Spark SQL of the read's rows per date: id, day, n. */
    public String sparkByDate(String catalog) {
      return "SELECT '" + id + "' AS id, coalesce(CAST(to_date(" + dateColumn + ") AS STRING), 'null') AS day, "
          + "count(*) AS n FROM " + from(catalog) + " GROUP BY 2";
    }

    private String from(String catalog) {
      return catalog + "." + table + (snapshotId == null ? "" : " VERSION AS OF " + snapshotId);
    }
  }

  /** A column's value as PyIceberg's reader renders it for the checksum. */
  static String sparkValue(String column) {
    String[] nameKind = column.split(":");
    return switch (nameKind[1]) {
      case "string" -> nameKind[0];
      case "long" -> "CAST(" + nameKind[0] + " AS STRING)";
      case "timestamp" -> "CAST(unix_micros(" + nameKind[0] + ") AS STRING)";
      default -> throw new IllegalArgumentException(column);
    };
  }

  /**
   * PyIceberg's answers, by read id. catalog: PyIceberg's SqlCatalog properties (name, uri,
   * warehouse, and s3.* for a bucket).
   */
  public static Map<String, JsonNode> read(Map<String, Object> catalog, List<Read> reads) throws Exception {
    List<Map<String, Object>> specReads = new ArrayList<>();
    for (Read read : reads) {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("id", read.id());
      spec.put("table", read.table());
      spec.put("columns", read.columnList());
      spec.put("snapshot_id", read.snapshotId());
      spec.put("date_column", read.dateColumn());
      specReads.add(spec);
    }
    Path spec = Files.createTempFile("pyiceberg-reads", ".json");
    Files.writeString(spec, JSON.writeValueAsString(Map.of("catalog", catalog, "reads", specReads)));
    Path out = Files.createTempFile("pyiceberg", ".out");
    Path err = Files.createTempFile("pyiceberg", ".err");
    Process process = new ProcessBuilder(Paths.get("readers/pyiceberg/run.sh").toAbsolutePath().toString(),
        spec.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("PyIceberg finished").isTrue();
    assertThat(process.exitValue()).as("PyIceberg: %s", Files.readString(err, StandardCharsets.UTF_8)).isZero();
    Map<String, JsonNode> nodes = new TreeMap<>();
    JSON.readTree(Files.readString(out, StandardCharsets.UTF_8)).fields()
        .forEachRemaining(e -> nodes.put(e.getKey(), e.getValue()));
    return nodes;
  }
}
