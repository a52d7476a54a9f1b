package io.lakehouseops.config;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Error text for users: one line, whatever the library's message looked like. */
public final class Messages {
  /** A stack frame ("at pkg.Class.method(File.java:12)") or its elision ("... 27 more"). */
  private static final Pattern STACK_FRAME = Pattern.compile("(at \\S+\\(.*\\)|\\.\\.\\. \\d+ more)");
  /** Where Spark's message of a failed job starts the driver's own stack trace. */
  private static final String DRIVER_STACK = "Driver stacktrace:";

  private Messages() {}

  /**
   * The message on one line. Spark puts the failed task's stack trace inside the message of a
   * failed job: its frames are left out, the exception lines ("Caused by: ...") kept.
   */
  public static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    return message.lines().map(String::strip).takeWhile(line -> !line.equals(DRIVER_STACK))
        .filter(line -> !line.isEmpty() && !STACK_FRAME.matcher(line).matches())
        .collect(Collectors.joining(" "));
  }
}
