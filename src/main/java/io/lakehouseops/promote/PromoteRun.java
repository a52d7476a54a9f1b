package io.lakehouseops.promote;

/** Who runs this promotion: the run's id, Airflow's run id, and whether it is a dry run. */
public record PromoteRun(String runId, String dagRunId, boolean dryRun) {}
