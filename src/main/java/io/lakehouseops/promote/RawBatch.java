package io.lakehouseops.promote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The files of one raw partition, their sizes and, for Avro, each file's writer schema. The
 * fingerprint of the listing goes into the publish record, so a re-run can tell a partition
 * that gained or changed files since it was published from one that did not.
 */
public record RawBatch(String path, List<String> files, Map<String, Long> sizes, Map<String, Schema> writerSchemas) {
  public boolean isEmpty() {
    return files.isEmpty();
  }

  /** SHA-256 of the sorted file names and sizes, hex: equal when the partition holds the same files. */
  public String fingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String file : files) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        digest.update((name + '\t' + sizes.get(file) + '\n').getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
