package io.lakehouseops.run;

/**
 * Input the user must fix (an unknown table, an existing raw partition, malformed SQL):
 * exit code 2, nothing changed. The message is one line naming the input and the fix.
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
