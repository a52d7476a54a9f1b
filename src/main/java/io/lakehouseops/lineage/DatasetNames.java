package io.lakehouseops.lineage;

import java.net.URI;
import java.util.Locale;

/**
 * OpenLineage's naming of datasets by where they are stored, so that other producers (Spark's
 * OpenLineage listener, Trino) name the same table or path the same: local files are namespace
 * `file` and the absolute path; object stores `s3://bucket` (s3a and s3n too) and the key.
 */
final class DatasetNames {
  private DatasetNames() {}

  record Name(String namespace, String name) {}

  static Name of(String location) {
    URI uri = URI.create(location.replace(" ", "%20"));
    String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
    String path = uri.getPath() == null ? location : uri.getPath();
    if (scheme.equals("file")) {
      return new Name("file", path);
    }
    if (scheme.startsWith("s3")) {
      scheme = "s3";
    }
    String key = path.startsWith("/") ? path.substring(1) : path;
    return new Name(scheme + "://" + uri.getAuthority(), key.endsWith("/") ? key.substring(0, key.length() - 1) : key);
  }
}
