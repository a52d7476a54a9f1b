package io.lakehouseops.promote;

/** A raw file that cannot be read: a runtime failure (exit 1) naming the file. */
public class CorruptRawFileException extends RuntimeException {
  public CorruptRawFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
