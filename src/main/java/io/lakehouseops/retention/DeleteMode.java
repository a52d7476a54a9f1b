package io.lakehouseops.retention;

import com.fasterxml.jackson.annotation.JsonValue;

/** How retention removed rows: whole files from metadata, or rows rewritten out of files. */
public enum DeleteMode {
  METADATA_ONLY("metadata-only"),
  REWRITE("rewrite");

  private final String value;

  DeleteMode(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }
}
