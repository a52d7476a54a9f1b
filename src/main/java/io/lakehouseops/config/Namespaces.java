package io.lakehouseops.config;

import com.typesafe.config.Config;

/** lakehouse.namespaces: where the curated, quarantine and ops tables live. */
public record Namespaces(String curated, String quarantine, String ops) {
  static Namespaces from(Config config) {
    String p = "lakehouse.namespaces";
    return new Namespaces(
        Identifiers.requireIdentifier(config.getString(p + ".curated"), p + ".curated"),
        Identifiers.requireIdentifier(config.getString(p + ".quarantine"), p + ".quarantine"),
        Identifiers.requireIdentifier(config.getString(p + ".ops"), p + ".ops"));
  }
}
