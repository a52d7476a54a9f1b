package org.apache.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.io.OutputFile;

/**
 * Writes a long table history straight into Iceberg's metadata files, committed once: the
 * large-metadata benchmark's table (P9). Committing 10,000 snapshots through Iceberg's API
 * costs about as many minutes as the benchmark may take hours (each commit merges manifests and
 * rewrites its manifest list, 87 s per 1,000 snapshots here); the files written here are the
 * ones those commits would leave. In Iceberg's package because its manifest-list writer and
 * snapshot class are package-private.
 *
 * <p>The shape of a table fed by frequent appends: each append adds a few files of one day;
 * every `mergeEvery` appends the small manifests are merged into one (Iceberg's merging append,
 * min-count-to-merge 100 by default); once, a retention delete drops the oldest days' files
 * (the manifests holding them rewritten with those entries marked deleted). Data files are
 * metadata only, except the ones the retention deleted: those exist as empty files, since an
 * expiry deletes them. Format version 2, no row lineage.
 */
public final class SyntheticHistory {
  /**
   * appends: appends of filesPerAppend files each, appendsPerDay to a day (by the table's
   * day-partitioned timestamp column); after retentionAfter appends, one delete drops the first
   * retentionDays days. Commits are commitInterval apart, the last at lastCommit.
   */
  public record Shape(int appends, int filesPerAppend, int appendsPerDay, int mergeEvery,
      int retentionAfter, int retentionDays, long lastCommitMillis, long commitIntervalMillis) {
    int snapshots() {
      return appends + 1;
    }
  }

  /** What was written: snapshots (one manifest list each), data files (in all), of them deleted by the retention, manifests. */
  public record Written(int snapshots, long dataFiles, long deletedDataFiles, int manifests) {}

  /** A data file with the snapshot that added it and that snapshot's sequence number (= its index here). */
  private record Entry(DataFile file, long snapshotId, long sequenceNumber) {}

  /** A manifest of the live history, with its live entries and the sequence number the list gave it. */
  private record Live(ManifestFile manifest, List<Entry> entries) {}

  private final Table table;
  private final TableOperations ops;
  private final Shape shape;
  private final LocalDate firstDay;
  private final long idBase = 1_000_000_000L;
  private int manifests;
  private long dataFiles;
  private long deletedDataFiles;

  private SyntheticHistory(Table table, Shape shape) {
    this.table = table;
    this.ops = ((HasTableOperations) table).operations();
    this.shape = shape;
    long first = shape.lastCommitMillis() - (long) (shape.snapshots() - 1) * shape.commitIntervalMillis();
    this.firstDay = Instant.ofEpochMilli(first).atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** Writes the history into the table (which must be empty, partitioned by one day transform). */
  public static Written write(Table table, Shape shape) {
    return new SyntheticHistory(table, shape).write();
  }

  private Written write() {
    TableMetadata base = ops.current();
    if (base.currentSnapshot() != null || base.formatVersion() != 2) {
      throw new IllegalArgumentException(table.name() + ": an empty format-version 2 table is needed");
    }
    TableMetadata.Builder metadata = TableMetadata.buildFrom(base);
    List<Live> merged = new ArrayList<>();
    List<Live> pending = new ArrayList<>();
    long totalRecords = 0;
    long totalBytes = 0;
    long liveFiles = 0;
    Long parent = null;
    int appended = 0;
    for (int s = 1; s <= shape.snapshots(); s++) {
      long id = idBase + s;
      long at = shape.lastCommitMillis() - (long) (shape.snapshots() - s) * shape.commitIntervalMillis();
      Map<String, String> summary = new HashMap<>();
      List<ManifestFile> written = new ArrayList<>(); // this snapshot's own, sequence number unassigned
      String operation;
      if (s == shape.retentionAfter() + 1) {
        operation = DataOperations.DELETE;
        long[] removed = retention(id, s, merged, pending, written);
        liveFiles -= removed[0];
        totalRecords -= removed[1];
        totalBytes -= removed[2];
        summary.put("deleted-data-files", String.valueOf(removed[0]));
        summary.put("deleted-records", String.valueOf(removed[1]));
        summary.put("removed-files-size", String.valueOf(removed[2]));
      } else {
        operation = DataOperations.APPEND;
        List<Entry> added = newFiles(appended, id, s);
        appended++;
        long records = added.stream().mapToLong(e -> e.file().recordCount()).sum();
        long bytes = added.stream().mapToLong(e -> e.file().fileSizeInBytes()).sum();
        liveFiles += added.size();
        totalRecords += records;
        totalBytes += bytes;
        if (pending.size() + 1 >= shape.mergeEvery()) {
          List<Entry> all = new ArrayList<>();
          pending.forEach(m -> all.addAll(m.entries()));
          all.addAll(added);
          ManifestFile manifest = writeManifest(id, all, List.of(), s);
          written.add(manifest);
          pending.clear();
          merged.add(new Live(manifest, all));
        } else {
          ManifestFile manifest = writeManifest(id, added, List.of(), s);
          written.add(manifest);
          pending.add(new Live(manifest, added));
        }
        summary.put("added-data-files", String.valueOf(added.size()));
        summary.put("added-records", String.valueOf(records));
        summary.put("added-files-size", String.valueOf(bytes));
        summary.put("changed-partition-count", "1");
      }
      summary.put("total-data-files", String.valueOf(liveFiles));
      summary.put("total-records", String.valueOf(totalRecords));
      summary.put("total-files-size", String.valueOf(totalBytes));
      summary.put("total-delete-files", "0");
      summary.put("total-position-deletes", "0");
      summary.put("total-equality-deletes", "0");
      String list = writeManifestList(id, parent, s, merged, pending, written);
      // The list gave this snapshot's manifests its sequence number: keep them so for later lists.
      assignSequenceNumbers(merged, s);
      assignSequenceNumbers(pending, s);
      metadata.setBranchSnapshot(new BaseSnapshot(s, id, parent, at, operation, summary,
          base.currentSchemaId(), list, null, null, null), SnapshotRef.MAIN_BRANCH);
      parent = id;
    }
    ops.commit(base, metadata.build());
    table.refresh();
    return new Written(shape.snapshots(), dataFiles, deletedDataFiles, manifests);
  }

  private List<Entry> newFiles(int append, long snapshotId, long sequenceNumber) {
    LocalDate day = firstDay.plusDays(append / shape.appendsPerDay());
    PartitionSpec spec = table.spec();
    List<Entry> files = new ArrayList<>(shape.filesPerAppend());
    for (int f = 0; f < shape.filesPerAppend(); f++) {
      String path = table.locationProvider().newDataLocation(spec, partition(spec, day),
          String.format("%05d-%d-%s.parquet", append, f, UUID.nameUUIDFromBytes((table.name() + append + "/" + f).getBytes())));
      long records = 5_000 + (append * 31L + f * 17L) % 1_000;
      DataFile file = DataFiles.builder(spec).withPath(path).withFormat(FileFormat.PARQUET)
          .withPartition(partition(spec, day)).withRecordCount(records).withFileSizeInBytes(records * 40)
          .build();
      files.add(new Entry(file, snapshotId, sequenceNumber));
      dataFiles++;
    }
    return files;
  }

  private static StructLike partition(PartitionSpec spec, LocalDate day) {
    PartitionData data = new PartitionData(spec.partitionType());
    data.set(0, (int) day.toEpochDay());
    return data;
  }

  /**
   * The retention delete: the files of the first retentionDays days leave the table; each
   * manifest holding some is rewritten with them deleted (and its others existing), as Iceberg's
   * delete does. Returns {files, records, bytes} deleted.
   */
  private long[] retention(long id, int sequenceNumber, List<Live> merged, List<Live> pending,
      List<ManifestFile> written) {
    int lastDay = (int) firstDay.plusDays(shape.retentionDays()).toEpochDay();
    long[] removed = new long[3];
    for (List<Live> manifestsOf : List.of(merged, pending)) {
      for (int i = 0; i < manifestsOf.size(); i++) {
        Live live = manifestsOf.get(i);
        List<Entry> kept = new ArrayList<>();
        List<Entry> gone = new ArrayList<>();
        for (Entry e : live.entries()) {
          (e.file().partition().get(0, Integer.class) < lastDay ? gone : kept).add(e);
        }
        if (gone.isEmpty()) {
          continue;
        }
        for (Entry e : gone) {
          removed[0]++;
          removed[1] += e.file().recordCount();
          removed[2] += e.file().fileSizeInBytes();
          createEmpty(e.file().location());
        }
        deletedDataFiles += gone.size();
        ManifestFile manifest = writeManifest(id, kept, gone, sequenceNumber);
        written.add(manifest);
        manifestsOf.set(i, new Live(manifest, kept));
      }
    }
    return removed;
  }

  /** A manifest of the snapshot: its own files added, earlier ones existing, removed ones deleted. */
  private ManifestFile writeManifest(long snapshotId, List<Entry> live, List<Entry> deleted, long sequenceNumber) {
    OutputFile out = table.io().newOutputFile(ops.metadataFileLocation(UUID.randomUUID() + "-m0.avro"));
    ManifestWriter<DataFile> writer = ManifestFiles.write(2, table.spec(), out, snapshotId);
    try (writer) {
      for (Entry e : live) {
        if (e.snapshotId() == snapshotId) {
          writer.add(e.file());
        } else {
          writer.existing(e.file(), e.snapshotId(), e.sequenceNumber(), e.sequenceNumber());
        }
      }
      for (Entry e : deleted) {
        writer.delete(e.file(), e.sequenceNumber(), e.sequenceNumber());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    manifests++;
    return writer.toManifestFile();
  }

  private String writeManifestList(long id, Long parent, long sequenceNumber, List<Live> merged, List<Live> pending,
      List<ManifestFile> written) {
    String location = ops.metadataFileLocation("snap-" + id + "-1-" + UUID.randomUUID() + ".avro");
    try (ManifestListWriter writer = ManifestLists.write(2, table.io().newOutputFile(location), table.encryption(),
        id, parent, sequenceNumber, null)) {
      List<ManifestFile> all = new ArrayList<>(written);
      for (List<Live> manifestsOf : List.of(pending, merged)) {
        for (Live live : manifestsOf) {
          // A manifest whose entries were all deleted is dropped by the commit after the delete.
          if (!written.contains(live.manifest()) && !live.entries().isEmpty()) {
            all.add(live.manifest());
          }
        }
      }
      writer.addAll(all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return location;
  }

  /** The manifests this snapshot wrote, with the sequence number its list assigned them. */
  private static void assignSequenceNumbers(List<Live> manifestsOf, long sequenceNumber) {
    for (int i = 0; i < manifestsOf.size(); i++) {
      Live live = manifestsOf.get(i);
      ManifestFile m = live.manifest();
      if (m.sequenceNumber() == ManifestWriter.UNASSIGNED_SEQ) {
        long min = live.entries().stream().mapToLong(Entry::sequenceNumber).min().orElse(sequenceNumber);
        manifestsOf.set(i, new Live(new GenericManifestFile(m.path(), m.length(), m.partitionSpecId(), m.content(),
            sequenceNumber, min, m.snapshotId(), m.partitions(), null, m.addedFilesCount(), m.addedRowsCount(),
            m.existingFilesCount(), m.existingRowsCount(), m.deletedFilesCount(), m.deletedRowsCount(), null),
            live.entries()));
      }
    }
  }

  private static void createEmpty(String location) {
    Path path = Paths.get(location.replaceFirst("^file:", ""));
    try {
      Files.createDirectories(path.getParent());
      Files.createFile(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
