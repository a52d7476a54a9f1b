package io.lakehouseops.run;

import java.util.List;

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

  /**
   * Several tables' outcomes (--all) as one: their results in order; the worst exit code
   * wins, and among those that exit 0, work done (SUCCEEDED) beats nothing to do.
   */
  public static JobOutcome combine(List<JobOutcome> outcomes, String message) {
    RunStatus status = RunStatus.NOTHING_TO_DO;
    for (JobOutcome outcome : outcomes) {
      if (outcome.status().exitCode() > status.exitCode()
          || outcome.status() == RunStatus.SUCCEEDED && status == RunStatus.NOTHING_TO_DO) {
        status = outcome.status();
      }
    }
    return new JobOutcome(status, outcomes.stream().map(JobOutcome::result).toList(), message);
  }
}
