package io.lakehouseops.erase;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.schema.ContractLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * --purge-raw: the one change to the raw zone this project makes. Each Avro file holding a
 * subject is written again without those rows, with its own writer schema, codec and name:
 * first complete beside it in a hidden staging directory (`_erase-REQUEST-NAME`, which raw
 * readers skip), read back and counted, and only then the old file deleted and the new one
 * moved to its name. A crash leaves either the old file (redone on re-run) or a complete
 * staged file whose original is gone (moved into place on re-run).
 */
final class RawPurge {
  private static final Logger LOG = LoggerFactory.getLogger(RawPurge.class);
  private static final String FILE = "_lakehouse_file";
  private static final String STAGING = "_erase-";

  private final SparkSession spark;
  private final DatasetSettings dataset;
  private final Subjects subjects;
  private final String requestId;
  private final Configuration hadoop;

  RawPurge(SparkSession spark, DatasetSettings dataset, Subjects subjects, String requestId) {
    this.spark = spark;
    this.dataset = dataset;
    this.subjects = subjects;
    this.requestId = requestId;
    this.hadoop = spark.sparkContext().hadoopConfiguration();
  }

  /** The subject columns must be in the contract: the raw files are read with it. */
  void check() {
    Schema contract = ContractLoader.load(dataset, hadoop);
    List<String> missing = subjects.columns().stream().filter(c -> contract.getField(c) == null).toList();
    if (!missing.isEmpty()) {
      throw new BadInputException("--purge-raw: the contract of " + dataset.name() + " has no field " + missing
          + ": name the subjects by fields of the raw records");
    }
  }

  /** Rows of the subjects per raw file holding any. */
  Map<String, Long> find() {
    Map<String, Long> byFile = new LinkedHashMap<>();
    List<String> files = rawFiles();
    if (files.isEmpty()) {
      return byFile;
    }
    spark.sparkContext().setJobDescription("lakehouse-ops erase: find the subjects in the raw files of "
        + dataset.name());
    Schema contract = ContractLoader.load(dataset, hadoop);
    Dataset<Row> rows = spark.read().format("avro").option("avroSchema", contract.toString())
        .option("recursiveFileLookup", "true").load(files.toArray(String[]::new))
        .withColumn(FILE, functions.input_file_name());
    Map<String, String> byNormalized = new LinkedHashMap<>();
    files.forEach(f -> byNormalized.put(DataFilesScan.normalized(f), f));
    for (Row row : subjects.matching(rows).groupBy(FILE).count().collectAsList()) {
      byFile.put(byNormalized.getOrDefault(DataFilesScan.normalized(row.getString(0)), row.getString(0)),
          row.getLong(1));
    }
    return byFile;
  }

  /** Staged files of a crashed run whose original is gone: moved into place. Returns how many. */
  int finishInterrupted() {
    int finished = 0;
    try {
      Path root = new Path(dataset.rawPath());
      FileSystem fs = root.getFileSystem(hadoop);
      if (!fs.exists(root)) {
        return 0;
      }
      for (Path staging : stagingDirectories(fs, root)) {
        Path original = new Path(staging.getParent(), staging.getName().substring(prefix().length()));
        Path staged = stagedFile(fs, staging);
        if (!fs.exists(original) && staged != null) {
          fs.rename(staged, original);
          finished++;
          LOG.info("Finished the rewrite of raw file {} that an earlier run of request {} staged", original,
              requestId);
        }
        fs.delete(staging, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return finished;
  }

  /** Writes each file again without the subjects' rows; returns the files rewritten. */
  List<String> rewrite(Map<String, Long> found) {
    List<String> rewritten = new ArrayList<>();
    for (Map.Entry<String, Long> entry : found.entrySet()) {
      rewriteOne(new Path(entry.getKey()), entry.getValue());
      rewritten.add(entry.getKey());
    }
    return rewritten;
  }

  private void rewriteOne(Path original, long subjectRows) {
    try {
      FileSystem fs = original.getFileSystem(hadoop);
      Header header = header(fs, original);
      Path staging = new Path(original.getParent(), prefix() + original.getName());
      fs.delete(staging, true);
      spark.sparkContext().setJobDescription("lakehouse-ops erase: rewrite raw file " + original);
      Dataset<Row> all = spark.read().format("avro").load(original.toString());
      long before = all.count();
      subjects.remaining(all).coalesce(1).write().format("avro")
          .option("avroSchema", header.schema().toString())
          .option("compression", header.sparkCodec())
          .save(staging.toString());
      Path staged = stagedFile(fs, staging);
      long written = spark.read().format("avro").load(staged.toString()).count();
      if (written != before - subjectRows) {
        fs.delete(staging, true);
        throw new IllegalStateException("The rewrite of raw file " + original + " holds " + written + " rows, "
            + (before - subjectRows) + " expected; the original is unchanged");
      }
      FaultInjection.point("erase.raw-before-swap");
      fs.delete(original, false);
      FaultInjection.point("erase.raw-after-delete");
      if (!fs.rename(staged, original)) {
        throw new IOException("Cannot move " + staged + " to " + original + "; re-run the request to finish");
      }
      fs.delete(staging, true);
      LOG.info("Rewrote raw file {} without {} rows of the subjects ({} rows left)", original, subjectRows, written);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String prefix() {
    return STAGING + requestId.replaceAll("[^A-Za-z0-9_-]", "_") + "-";
  }

  /** The part file a complete Spark write left in a staging directory, or null. */
  private static Path stagedFile(FileSystem fs, Path staging) throws IOException {
    if (!fs.exists(new Path(staging, "_SUCCESS"))) {
      return null;
    }
    for (FileStatus status : fs.listStatus(staging)) {
      if (status.getPath().getName().endsWith(".avro")) {
        return status.getPath();
      }
    }
    return null;
  }

  /** Staging directories of this request anywhere under the raw path (dt= or dt=/hour=). */
  private List<Path> stagingDirectories(FileSystem fs, Path root) throws IOException {
    java.util.Set<Path> found = new java.util.LinkedHashSet<>();
    RemoteIterator<LocatedFileStatus> listed = fs.listFiles(root, true);
    while (listed.hasNext()) {
      Path parent = listed.next().getPath().getParent();
      if (parent != null && parent.getName().startsWith(prefix())) {
        found.add(parent);
      }
    }
    return new ArrayList<>(found);
  }

  /** Every raw Avro file of the dataset (names starting with _ or . skipped, as raw readers do). */
  private List<String> rawFiles() {
    List<String> files = new ArrayList<>();
    try {
      Path given = new Path(dataset.rawPath());
      FileSystem fs = given.getFileSystem(hadoop);
      if (!fs.exists(given)) {
        return files;
      }
      Path root = fs.makeQualified(given);
      RemoteIterator<LocatedFileStatus> listed = fs.listFiles(root, true);
      while (listed.hasNext()) {
        LocatedFileStatus status = listed.next();
        boolean hidden = false;
        for (Path p = status.getPath(); p != null && !p.equals(root); p = p.getParent()) {
          hidden |= p.getName().startsWith("_") || p.getName().startsWith(".");
        }
        if (!hidden && status.getLen() > 0) {
          files.add(status.getPath().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(String::compareTo);
    return files;
  }

  /** A raw file's writer schema and codec, from its header. */
  private record Header(Schema schema, String codec) {
    /** Spark's name for the codec: Avro's null is uncompressed. */
    String sparkCodec() {
      return codec == null || codec.equals("null") ? "uncompressed" : codec.toLowerCase(Locale.ROOT);
    }
  }

  private static Header header(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file);
        DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
      return new Header(stream.getSchema(), stream.getMetaString("avro.codec"));
    }
  }
}
