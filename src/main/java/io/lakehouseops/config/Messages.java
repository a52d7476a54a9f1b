package io.lakehouseops.config;

/** Error text for users: one line, whatever the library's message looked like. */
public final class Messages {
  private Messages() {}

  public static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
