package io.lakehouseops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/** Writes real Avro files into a raw partition, with any writer schema a producer might use. */
public final class RawFiles {
  private RawFiles() {}

  public static Path partition(String dataset, String date) {
    return TestLakehouse.rawZone().resolve(dataset).resolve("dt=" + date);
  }

  /** Writes records (field -> value maps) with the given writer schema as FILE in the partition. */
  public static Path write(String dataset, String date, String file, Schema schema,
      List<Map<String, Object>> rows) throws IOException {
    Path dir = partition(dataset, date);
    Files.createDirectories(dir);
    Path target = dir.resolve(file);
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
      writer.create(schema, target.toFile());
      for (Map<String, Object> row : rows) {
        GenericRecord record = new GenericData.Record(schema);
        row.forEach(record::put);
        writer.append(record);
      }
    }
    return target;
  }

  /** A user_events-like writer schema: the contract's fields plus extra field JSON snippets. */
  public static Schema userEventsSchema(String recordName, String eventIdType, String userIdType,
      String... extraFields) {
    StringBuilder fields = new StringBuilder()
        .append("{\"name\":\"event_id\",\"type\":").append(eventIdType).append("},")
        .append("{\"name\":\"user_id\",\"type\":").append(userIdType).append("},")
        .append("{\"name\":\"event_type\",\"type\":[\"null\",\"string\"],\"default\":null},")
        .append("{\"name\":\"country\",\"type\":[\"null\",\"string\"],\"default\":null},")
        .append("{\"name\":\"event_ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},")
        .append("{\"name\":\"ingested_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}}");
    for (String extra : extraFields) {
      fields.append(",").append(extra);
    }
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + recordName
        + "\",\"namespace\":\"com.producer\",\"fields\":[" + fields + "]}");
  }

  /** Microseconds since the epoch of date at hh:00 UTC. */
  public static long micros(String date, int hour) {
    return java.time.LocalDate.parse(date).atStartOfDay(java.time.ZoneOffset.UTC)
        .plusHours(hour).toEpochSecond() * 1_000_000L;
  }
}
