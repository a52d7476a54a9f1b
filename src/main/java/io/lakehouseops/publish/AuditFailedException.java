package io.lakehouseops.publish;

/** The audit of an audit branch failed: nothing was published. */
public final class AuditFailedException extends RuntimeException {
  AuditFailedException(String message) {
    super(message);
  }
}
