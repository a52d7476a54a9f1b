package io.lakehouseops.promote;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** The files of one raw partition and, for Avro, each file's writer schema. */
public record RawBatch(String path, List<String> files, Map<String, Schema> writerSchemas) {
  public boolean isEmpty() {
    return files.isEmpty();
  }
}
