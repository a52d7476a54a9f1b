package io.lakehouseops.bench;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The local file system, counting the Iceberg metadata files opened (table metadata, manifest
 * lists, manifests): P8's "metadata files read", whoever reads them (the tool's driver code,
 * Iceberg's planning, Spark's tasks; local mode keeps them in this one JVM). The bench's
 * warehouse is a local path, which Hadoop serves through fs.file.impl: BenchLakehouse sets it
 * to this class.
 */
public final class CountingLocalFileSystem extends LocalFileSystem {
  private static final LongAdder TABLE_METADATA = new LongAdder();
  private static final LongAdder MANIFEST_LISTS = new LongAdder();
  private static final LongAdder MANIFESTS = new LongAdder();

  /** Metadata files opened so far, by kind. */
  record Reads(long tableMetadata, long manifestLists, long manifests) {
    Reads since(Reads before) {
      return new Reads(tableMetadata - before.tableMetadata, manifestLists - before.manifestLists,
          manifests - before.manifests);
    }

    long total() {
      return tableMetadata + manifestLists + manifests;
    }

    @Override
    public String toString() {
      return total() + " (" + tableMetadata + " table metadata, " + manifestLists + " manifest lists, "
          + manifests + " manifests)";
    }
  }

  static Reads reads() {
    return new Reads(TABLE_METADATA.sum(), MANIFEST_LISTS.sum(), MANIFESTS.sum());
  }

  @Override
  public FSDataInputStream open(Path file, int bufferSize) throws IOException {
    count(file);
    return super.open(file, bufferSize);
  }

  private static void count(Path file) {
    String name = file.getName();
    if (file.getParent() == null || !"metadata".equals(file.getParent().getName())) {
      return;
    }
    if (name.endsWith(".metadata.json")) {
      TABLE_METADATA.increment();
    } else if (name.startsWith("snap-") && name.endsWith(".avro")) {
      MANIFEST_LISTS.increment();
    } else if (name.endsWith(".avro")) {
      MANIFESTS.increment();
    }
  }
}
