package io.lakehouseops.config;

/**
 * A configuration or usage error the user must fix (exit code 2). The message is one line
 * that names the HOCON path or option and says how to fix it.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
