package io.lakehouseops.run;

/**
 * What a job hands back: its status, its command-specific result (a record of counts, shown
 * as the report's `result`) and, for NOTHING_TO_DO or QUALITY_FAILED, a one-line reason.
 */
public record JobOutcome(RunStatus status, Object result, String message) {
  public static JobOutcome succeeded(Object result) {
    return new JobOutcome(RunStatus.SUCCEEDED, result, null);
  }

  public JobOutcome withMessage(String text) {
    return new JobOutcome(status, result, text);
  }

  public static JobOutcome nothingToDo(Object result, String message) {
    return new JobOutcome(RunStatus.NOTHING_TO_DO, result, message);
  }
}
