package io.lakehouseops.storage;

import io.lakehouseops.run.BadInputException;
import java.util.List;
import java.util.Locale;

/** S3 storage classes, warmest first: a move only ever goes to a colder class. */
public enum StorageClass {
  STANDARD,
  INTELLIGENT_TIERING,
  STANDARD_IA,
  ONEZONE_IA,
  GLACIER_IR,
  GLACIER,
  DEEP_ARCHIVE;

  public static StorageClass parse(String text, String where) {
    String name = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    try {
      return valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("Unknown storage class '" + text + "' in " + where + ": use one of "
          + List.of(values()));
    }
  }

  /** S3 reports no class for STANDARD objects. */
  public static StorageClass ofS3(String reported) {
    if (reported == null || reported.isBlank()) {
      return STANDARD;
    }
    try {
      return valueOf(reported.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return STANDARD; // REDUCED_REDUNDANCY and other legacy classes: treat as hot
    }
  }

  public boolean colderThan(StorageClass other) {
    return ordinal() > other.ordinal();
  }
}
