package io.lakehouseops.ops;

/**
 * Named points where tests make a job fail on purpose, to prove that a crash there loses
 * nothing. Off unless the system property lakehouse-ops.fault-point names the point; never
 * set in production.
 */
public final class FaultInjection {
  public static final String PROPERTY = "lakehouse-ops.fault-point";

  private FaultInjection() {}

  public static void point(String name) {
    if (name.equals(System.getProperty(PROPERTY))) {
      throw new InjectedFault(name);
    }
  }

  /**
   * A hard crash, as from SIGKILL: the JVM halts without cleanup once the count reaches the
   * number in lakehouse-ops.fault-after (default 1) at the named point.
   */
  public static void crashAfter(String name, long count) {
    if (name.equals(System.getProperty(PROPERTY))
        && count >= Long.getLong(PROPERTY.replace("point", "after"), 1)) {
      Runtime.getRuntime().halt(137);
    }
  }

  /** The failure a fault point raises. */
  public static final class InjectedFault extends RuntimeException {
    InjectedFault(String point) {
      super("Injected fault at " + point + " (" + PROPERTY + ")");
    }
  }
}
