package io.lakehouseops.sample;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.RunLineage;
import io.lakehouseops.run.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.BaseDVFileWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a CDC table as a streaming upsert writer (Flink's Iceberg sink in upsert mode)
 * leaves it, with Iceberg's own writers: each commit a row delta of small data files and
 * equality-delete files on the key `id`, per partition it touched. A commit inserts new keys,
 * updates keys of earlier commits (an equality delete of the key and the row's new version)
 * and deletes some (the equality delete alone). An equality delete does not apply to rows of
 * its own commit, so keys of earlier commits are changed at most once per commit. On a format
 * version 3 table some keys inserted by a commit are also updated in it, as a streaming writer
 * does when a key changes twice before its checkpoint: the first row is deleted by position,
 * with a deletion vector on the commit's own data file.
 */
public final class CdcTableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CdcTableWriter.class);
  static final Schema SCHEMA = new Schema(List.of(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "customer_id", Types.LongType.get()),
      Types.NestedField.optional(3, "status", Types.StringType.get()),
      Types.NestedField.optional(4, "amount", Types.DoubleType.get()),
      Types.NestedField.required(5, "created_at", Types.TimestampType.withZone()),
      Types.NestedField.optional(6, "updated_at", Types.TimestampType.withZone())), Set.of(1));
  private static final Schema KEY = SCHEMA.select("id");
  private static final String[] STATUSES = {"new", "paid", "shipped", "delivered", "returned"};
  private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
  // v3: of a commit's new keys, one in this many changes again before the commit.
  private static final int UPDATED_IN_COMMIT_EVERY = 20;

  private final Catalog catalog;
  private final TableRef ref;

  public CdcTableWriter(Catalog catalog, TableRef ref) {
    this.catalog = catalog;
    this.ref = ref;
  }

  public CdcResult write(CdcSettings settings) {
    Table table = create(settings);
    Random random = new Random(settings.seed());
    BitSet deleted = new BitSet();
    long inserted = 0;
    CdcResult.Counts counts = new CdcResult.Counts();
    for (int commit = 0; commit < settings.commits(); commit++) {
      long before = inserted; // keys of earlier commits: the only ones a commit may change
      long inserts = share(settings.rows(), settings.commits(), commit);
      // The first commit has nothing to change yet: the changes are spread over the others.
      long updateCount = commit == 0 ? 0 : share(Math.round(settings.rows() * settings.updateFraction()),
          settings.commits() - 1, commit - 1);
      long deleteCount = commit == 0 ? 0 : share(Math.round(settings.rows() * settings.deleteFraction()),
          settings.commits() - 1, commit - 1);
      Set<Long> updates = pick(random, before, deleted, updateCount, Set.of());
      Set<Long> deletes = pick(random, before, deleted, deleteCount, updates);
      Written written = commit(table, settings, commit, before, before + inserts, updates, deletes, random);
      deletes.forEach(id -> deleted.set(id.intValue()));
      inserted += inserts;
      counts.add(written, inserts, updates.size(), deletes.size());
    }
    long live = inserted - deleted.cardinality();
    LOG.info("CDC table {}: {} commits, {} live rows, {} equality-delete rows in {} files", ref.name(),
        settings.commits(), live, counts.equalityDeleteRows, counts.equalityDeleteFiles);
    return new CdcResult(ref.name(), settings.formatVersion(), settings.commits(), counts.inserted,
        counts.updated, counts.deleted, live, counts.dataFiles, counts.equalityDeleteFiles,
        counts.equalityDeleteRows, counts.deletionVectors, counts.replacedInCommit);
  }

  /**
   * One commit as the streaming writer makes it, on a table this class created: keys from
   * firstNew (inclusive) to endNew inserted, new versions of updated keys, deleted keys
   * removed. Keys of earlier commits only may be updated or deleted, each once.
   */
  public static Written commit(Table table, CdcSettings settings, int commit, long firstNew, long endNew,
      Collection<Long> updated, Collection<Long> deleted, Random random) {
    Batch batch = new Batch(table, commit);
    boolean vectors = settings.formatVersion() >= 3;
    for (long id = firstNew; id < endNew; id++) {
      Record first = row(id, 0, commit, settings, random);
      if (vectors && id % UPDATED_IN_COMMIT_EVERY == 0) {
        batch.insertThenReplace(first, row(id, 1 + random.nextInt(STATUSES.length - 1), commit, settings, random));
      } else {
        batch.insert(first);
      }
    }
    for (long id : updated) {
      batch.delete(row(id, 0, commit, settings, random));
      batch.insert(row(id, 1 + random.nextInt(STATUSES.length - 1), commit, settings, random));
    }
    for (long id : deleted) {
      batch.delete(row(id, 0, commit, settings, random));
    }
    return batch.commit();
  }

  /** The commit's part of a total spread evenly over the commits. */
  private static long share(long total, int commits, int commit) {
    return total * (commit + 1) / commits - total * commit / commits;
  }

  /** Up to n distinct live keys below limit, none in taken. */
  private static Set<Long> pick(Random random, long limit, BitSet deleted, long n, Set<Long> taken) {
    Set<Long> keys = new LinkedHashSet<>();
    for (int tries = 0; keys.size() < n && limit > 0 && tries < n * 20; tries++) {
      long id = (long) (random.nextDouble() * limit);
      if (!deleted.get((int) id) && !taken.contains(id)) {
        keys.add(id);
      }
    }
    return keys;
  }

  private static Record row(long id, int version, int commit, CdcSettings settings, Random random) {
    GenericRecord row = GenericRecord.create(SCHEMA);
    long day = id * settings.days() / Math.max(1, settings.rows());
    row.setField("id", id);
    row.setField("customer_id", id % 10_007);
    row.setField("status", STATUSES[version]);
    row.setField("amount", Math.round(random.nextDouble() * 50_000) / 100.0);
    row.setField("created_at", OffsetDateTime.ofInstant(BASE.plus(day, ChronoUnit.DAYS)
        .plusSeconds(id % 86_400), ZoneOffset.UTC));
    row.setField("updated_at", OffsetDateTime.ofInstant(BASE.plus(settings.days(), ChronoUnit.DAYS)
        .plusSeconds(commit * 60L), ZoneOffset.UTC));
    return row;
  }

  private Table create(CdcSettings settings) {
    TableIdentifier id = TableIdentifier.of(ref.namespace(), ref.table());
    if (catalog.tableExists(id)) {
      throw new BadInputException("Cannot write a CDC sample to " + ref.name() + ": the table exists; drop it "
          + "(sql \"DROP TABLE " + ref.name() + "\") or name another with --table");
    }
    Namespace namespace = Namespace.of(ref.namespace());
    if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(namespace)) {
      namespaces.createNamespace(namespace);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(TableProperties.FORMAT_VERSION, String.valueOf(settings.formatVersion()));
    properties.put(TableProperties.UPSERT_ENABLED, "true");
    // Streaming writers are merge-on-read: our own DELETE and MERGE on it should be too.
    properties.put(TableProperties.DELETE_MODE, "merge-on-read");
    properties.put(TableProperties.UPDATE_MODE, "merge-on-read");
    properties.put(TableProperties.MERGE_MODE, "merge-on-read");
    return catalog.createTable(id, SCHEMA, PartitionSpec.builderFor(SCHEMA).day("created_at").build(), properties);
  }

  /** One commit's files: a data and an equality-delete writer per partition it touches. */
  private static final class Batch {
    private final Table table;
    private final OutputFileFactory files;
    private final GenericFileWriterFactory writers;
    private final PartitionKey partitionKey;
    private final InternalRecordWrapper wrapper = new InternalRecordWrapper(SCHEMA.asStruct());
    private final Map<PartitionKey, DataWriter<Record>> data = new LinkedHashMap<>();
    private final Map<PartitionKey, EqualityDeleteWriter<Record>> deletes = new LinkedHashMap<>();
    // Per data writer: its file and rows written so far (the next row's position).
    private final Map<PartitionKey, String> locations = new LinkedHashMap<>();
    private final Map<PartitionKey, Long> positions = new LinkedHashMap<>();
    private final List<Replaced> replaced = new java.util.ArrayList<>();

    private record Replaced(String location, long position, PartitionKey partition) {}

    private final int commit;

    Batch(Table table, int commit) {
      this.table = table;
      this.commit = commit;
      this.files = OutputFileFactory.builderFor(table, 1, commit).format(FileFormat.PARQUET).build();
      this.writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET)
          .deleteFileFormat(FileFormat.PARQUET).equalityFieldIds(new int[] {1}).equalityDeleteRowSchema(KEY)
          .build();
      this.partitionKey = new PartitionKey(table.spec(), table.schema());
    }

    void insert(Record row) {
      write(row);
    }

    /** The row, then its new version: the first deleted by position (v3: a deletion vector). */
    void insertThenReplace(Record row, Record newVersion) {
      replaced.add(write(row));
      write(newVersion);
    }

    private Replaced write(Record row) {
      PartitionKey partition = partitionOf(row);
      DataWriter<Record> writer = data.computeIfAbsent(partition, p -> {
        var file = files.newOutputFile(table.spec(), p);
        locations.put(p, file.encryptingOutputFile().location());
        return writers.newDataWriter(file, table.spec(), p);
      });
      long position = positions.merge(partition, 1L, Long::sum) - 1;
      writer.write(row);
      return new Replaced(locations.get(partition), position, partition);
    }

    void delete(Record row) {
      PartitionKey partition = partitionOf(row);
      GenericRecord key = GenericRecord.create(KEY);
      key.setField("id", row.getField("id"));
      deletes.computeIfAbsent(partition, p -> writers.newEqualityDeleteWriter(files.newOutputFile(table.spec(), p),
          table.spec(), p)).write(key);
    }

    private PartitionKey partitionOf(Record row) {
      partitionKey.partition(wrapper.wrap(row));
      return partitionKey.copy();
    }

    /** Closes the writers and commits their files as one row delta. */
    Written commit() {
      RowDelta delta = RunLineage.set(table.newRowDelta());
      Written written = new Written();
      try {
        for (DataWriter<Record> writer : data.values()) {
          writer.close();
          DataFile file = writer.toDataFile();
          delta.addRows(file);
          written.dataFiles++;
        }
        for (EqualityDeleteWriter<Record> writer : deletes.values()) {
          writer.close();
          DeleteFile file = writer.toDeleteFile();
          delta.addDeletes(file);
          written.deleteFiles++;
          written.deleteRows += file.recordCount();
        }
        if (!replaced.isEmpty()) {
          BaseDVFileWriter vectors = new BaseDVFileWriter(OutputFileFactory.builderFor(table, 1, commit)
              .format(FileFormat.PUFFIN).build(), path -> null);
          for (Replaced row : replaced) {
            vectors.delete(row.location(), row.position(), table.spec(), row.partition());
          }
          vectors.close();
          vectors.result().deleteFiles().forEach(delta::addDeletes);
          written.deletionVectors += vectors.result().deleteFiles().size();
          written.replacedInCommit += replaced.size();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write the CDC sample's files: " + e.getMessage(), e);
      }
      delta.commit();
      return written;
    }
  }

  /** What one commit wrote. */
  public static final class Written {
    long dataFiles;
    long deleteFiles;
    long deleteRows;
    long deletionVectors;
    long replacedInCommit;
  }
}
