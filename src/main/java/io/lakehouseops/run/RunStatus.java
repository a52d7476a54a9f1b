package io.lakehouseops.run;

/** The outcome of one run, as the report's `status` and the process exit code. */
public enum RunStatus {
  SUCCEEDED(0),
  NOTHING_TO_DO(0),
  FAILED(1),
  USAGE_ERROR(2),
  QUALITY_FAILED(3),
  /** health --fail-on: an action it was told to fail on is recommended (e.g. sla-breach). */
  NEEDS_ACTION(4);

  private final int exitCode;

  RunStatus(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** USAGE_ERROR is reported as FAILED (the report's status set is fixed); the exit code says 2. */
  public String reportName() {
    return this == USAGE_ERROR ? FAILED.name() : name();
  }
}
