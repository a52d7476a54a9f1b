package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.iceberg.SchemaAlignment;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Lists and reads one raw partition without ever writing to it. Files whose names start with
 * '_' or '.' (in-progress writes, markers) are skipped, as Spark does. Each Avro file's writer
 * schema is read from its header, so the contract can be checked before any data is read.
 */
public final class RawPartitionReader {
  private final SparkSession spark;
  private final DatasetSettings dataset;
  private final Configuration hadoop;

  public RawPartitionReader(SparkSession spark, DatasetSettings dataset) {
    this.spark = spark;
    this.dataset = dataset;
    this.hadoop = spark.sparkContext().hadoopConfiguration();
  }

  public RawBatch list(RawPartition partition) throws IOException {
    Path path = new Path(dataset.rawPath(), partition.key());
    FileSystem fs = path.getFileSystem(hadoop);
    List<String> files = new ArrayList<>();
    Map<String, Long> sizes = new LinkedHashMap<>();
    if (fs.exists(path)) {
      for (FileStatus status : fs.listStatus(path)) {
        String name = status.getPath().getName();
        if (status.isFile() && status.getLen() > 0 && !name.startsWith("_") && !name.startsWith(".")) {
          files.add(status.getPath().toString());
          sizes.put(status.getPath().toString(), status.getLen());
        }
      }
    }
    files.sort(String::compareTo);
    Map<String, Schema> schemas = new LinkedHashMap<>();
    if ("avro".equals(dataset.rawFormat())) {
      for (String file : files) {
        schemas.put(file, writerSchema(fs, new Path(file)));
      }
    }
    return new RawBatch(path.toString(), List.copyOf(files), sizes, schemas);
  }

  private static Schema writerSchema(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file);
        DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
      return stream.getSchema();
    } catch (IOException | RuntimeException e) {
      throw new CorruptRawFileException("Cannot read raw file " + file + ": not a readable Avro "
          + "data file (" + e.getMessage() + "); the partition was not promoted", e);
    }
  }

  /**
   * Reads the batch as the target columns: files are read per distinct writer schema (Spark
   * takes one schema per read), each column cast to its target type, missing ones as null.
   */
  public Dataset<Row> read(RawBatch batch, StructType target) {
    if ("json".equals(dataset.rawFormat())) {
      return SchemaAlignment.align(spark.read().schema(target).option("mode", "FAILFAST")
          .json(batch.files().toArray(String[]::new)), target);
    }
    Map<Schema, List<String>> bySchema = new LinkedHashMap<>();
    batch.writerSchemas().forEach((file, schema) ->
        bySchema.computeIfAbsent(schema, s -> new ArrayList<>()).add(file));
    Dataset<Row> result = null;
    for (List<String> files : bySchema.values()) {
      Dataset<Row> part = SchemaAlignment.align(spark.read().format("avro").load(files.toArray(String[]::new)), target);
      result = result == null ? part : result.unionByName(part);
    }
    return result;
  }
}
