package io.lakehouseops.promote;

/** The raw partition is missing or empty and the dataset requires data: a failure (exit 1). */
public class MissingRawDataException extends RuntimeException {
  public MissingRawDataException(String message) {
    super(message);
  }
}
