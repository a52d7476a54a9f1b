package io.lakehouseops.faults;

/**
 * Named points where tests make a job fail on purpose, to prove that a crash there loses
 * nothing. Off unless the system property lakehouse-ops.fault-point names the point; never
 * set in production.
 *
 * <p>lakehouse-ops.fault-mode says how the job fails there: {@code throw} (an exception, the
 * default of {@link #point}), {@code halt} (the JVM stops without cleanup, exit 137, the
 * default of {@link #crashAfter}) or {@code pause} (print a marker line on stderr and wait, so
 * a test can kill the process from outside with SIGKILL). lakehouse-ops.fault-after (default
 * 1) is the pass of the point at which it fires. With lakehouse-ops.fault-release naming a
 * file, a paused job goes on once that file exists: tests use it to hold one job at a point
 * while a concurrent job commits.
 */
public final class FaultInjection {
  public static final String PROPERTY = "lakehouse-ops.fault-point";
  public static final String MODE = "lakehouse-ops.fault-mode";
  public static final String AFTER = "lakehouse-ops.fault-after";
  public static final String RELEASE = "lakehouse-ops.fault-release";
  /** What a paused job prints before it waits to be killed or released. */
  public static final String PAUSED = "lakehouse-ops: paused at fault point ";
  public static final String RESUMED = "lakehouse-ops: resumed at fault point ";

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
    String release = System.getProperty(RELEASE);
    boolean interrupted = false;
    while (release == null || !java.nio.file.Files.exists(java.nio.file.Path.of(release))) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: only the test's kill or release ends this
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    System.err.println(RESUMED + name);
    System.err.flush();
  }

  /** The failure a fault point raises. */
  public static final class InjectedFault extends RuntimeException {
    InjectedFault(String point) {
      super("Injected fault at " + point + " (" + PROPERTY + ")");
    }
  }
}
