package io.lakehouseops.ops;

/**
 * Named points where tests make a job fail on purpose, to prove that a crash there loses
 * nothing. Off unless the system property lakehouse-ops.fault-point names the point; never
 * set in production.
 *
 * <p>lakehouse-ops.fault-mode says how the job fails there: {@code throw} (an exception, the
 * default of {@link #point}), {@code halt} (the JVM stops without cleanup, exit 137, the
 * default of {@link #crashAfter}) or {@code pause} (print a marker line on stderr and wait, so
 * a test can kill the process from outside with SIGKILL). lakehouse-ops.fault-after (default
 * 1) is the pass of the point at which it fires.
 */
public final class FaultInjection {
  public static final String PROPERTY = "lakehouse-ops.fault-point";
  public static final String MODE = "lakehouse-ops.fault-mode";
  public static final String AFTER = "lakehouse-ops.fault-after";
  /** What a paused job prints before it waits to be killed. */
  public static final String PAUSED = "lakehouse-ops: paused at fault point ";

  private FaultInjection() {}

  /** True when a test armed this point. */
  public static boolean armed(String name) {
    return name.equals(System.getProperty(PROPERTY));
  }

  /** Fails here when armed (by default with an exception). */
  public static void point(String name) {
    if (armed(name)) {
      fire(name, "throw");
    }
  }

  /** Fails here once the count reaches lakehouse-ops.fault-after (by default: halts the JVM). */
  public static void crashAfter(String name, long count) {
    if (armed(name) && count >= Long.getLong(AFTER, 1)) {
      fire(name, "halt");
    }
  }

  private static void fire(String name, String defaultMode) {
    switch (System.getProperty(MODE, defaultMode)) {
      case "halt" -> Runtime.getRuntime().halt(137);
      case "pause" -> pause(name);
      default -> throw new InjectedFault(name);
    }
  }

  private static void pause(String name) {
    System.err.println(PAUSED + name);
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // keep waiting: only the test's kill ends this
      }
    }
  }

  /** The failure a fault point raises. */
  public static final class InjectedFault extends RuntimeException {
    InjectedFault(String point) {
      super("Injected fault at " + point + " (" + PROPERTY + ")");
    }
  }
}
