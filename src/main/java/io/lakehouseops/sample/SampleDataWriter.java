package io.lakehouseops.sample;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.run.BadInputException;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes sample raw partitions <raw.path>/dt=YYYY-MM-DD/part-00000.avro with the dataset's
 * contract as writer schema. The raw zone is immutable: an existing partition is never
 * overwritten, and each file appears under its final name only once complete.
 */
public final class SampleDataWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SampleDataWriter.class);
  private static final Set<String> REQUIRED_FIELDS = Set.of("event_id", "event_ts", "ingested_at");

  private final DatasetSettings dataset;
  private final Schema contract;
  private final Configuration hadoop;

  public SampleDataWriter(DatasetSettings dataset, Schema contract, Configuration hadoop) {
    for (String field : REQUIRED_FIELDS) {
      if (contract.getField(field) == null) {
        throw new BadInputException("Cannot generate sample data for dataset '" + dataset.name()
            + "': its contract has no field '" + field + "' (sample-data writes user_events-shaped "
            + "data: event_id, user_id, event_type, country, event_ts, payload, ingested_at)");
      }
    }
    this.dataset = dataset;
    this.contract = contract;
    this.hadoop = hadoop;
  }

  public SampleDataResult write(SampleDataSettings settings, boolean dryRun) throws IOException {
    List<LocalDate> days = settings.start().datesUntil(settings.start().plusDays(settings.days())).toList();
    for (LocalDate day : days) {
      refuseExisting(partitionPath(day));
    }
    UserEventFactory factory = new UserEventFactory(contract, settings.seed());
    List<SampleDataResult.Partition> partitions = new ArrayList<>();
    long total = 0;
    for (LocalDate day : days) {
      boolean faulty = day.equals(settings.faultDate());
      int rows = faulty
          ? Math.max(1, (int) Math.round(settings.rowsPerDay() * (1 - settings.volumeDrop())))
          : settings.rowsPerDay();
      UserEventFactory.DayOfEvents events = factory.day(day, rows,
          faulty ? settings.nullKeys() : 0, faulty ? settings.outOfRange() : 0);
      Path file = new Path(partitionPath(day), "part-00000.avro");
      if (!dryRun) {
        writeFile(file, events.records());
        LOG.info("Wrote {} rows to {}", events.records().size(), file);
      }
      total += events.records().size();
      partitions.add(new SampleDataResult.Partition("dt=" + day, file.toString(),
          events.records().size(), events.duplicates(), events.lateEvents(), events.nullKeys(),
          events.outOfRange()));
    }
    return new SampleDataResult(dataset.name(), dataset.rawPath(), total, partitions);
  }

  private Path partitionPath(LocalDate day) {
    return new Path(dataset.rawPath(), "dt=" + day);
  }

  private void refuseExisting(Path partition) throws IOException {
    FileSystem fs = partition.getFileSystem(hadoop);
    if (fs.exists(partition)) {
      throw new BadInputException("Cannot write sample data: raw partition " + partition
          + " already exists and the raw zone is immutable; choose another --start or "
          + "remove the partition by hand");
    }
  }

  private void writeFile(Path file, List<GenericRecord> records) throws IOException {
    FileSystem fs = file.getFileSystem(hadoop);
    // Spark and promote skip names starting with '_', so a half-written file is never read.
    Path inProgress = new Path(file.getParent(), "_" + file.getName() + ".inprogress");
    try (FSDataOutputStream stream = fs.create(inProgress, false);
        DataFileWriter<GenericRecord> writer =
            new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(contract))) {
      writer.setCodec(CodecFactory.snappyCodec());
      writer.create(contract, stream);
      for (GenericRecord record : records) {
        writer.append(record);
      }
    }
    if (!fs.rename(inProgress, file)) {
      throw new IOException("Cannot rename " + inProgress + " to " + file);
    }
  }
}
