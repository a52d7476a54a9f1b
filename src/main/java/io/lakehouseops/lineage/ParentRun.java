package io.lakehouseops.lineage;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The Airflow run a run belongs to, for OpenLineage's parent facet. Exact when the DAG passes
 * the OpenLineage provider's parent job info as Spark properties (spark.openlineage.
 * parentJobNamespace, parentJobName, parentRunId: the provider's macros, or its
 * spark_inject_parent_job_info option); otherwise from --dag-run-id (or Airflow's
 * AIRFLOW_CTX_DAG_RUN_ID): the DAG (AIRFLOW_CTX_DAG_ID) as the job and a UUID derived from the
 * run id, the same for every task of the DAG run.
 */
public record ParentRun(String namespace, String jobName, UUID runId) {

  /** properties: Spark's (spark-submit's --conf, as system properties); env: the environment. */
  public static Optional<ParentRun> find(UnaryOperator<String> properties, UnaryOperator<String> env,
      String dagRunId, String airflowNamespace) {
    String runId = properties.apply("spark.openlineage.parentRunId");
    String job = properties.apply("spark.openlineage.parentJobName");
    String namespace = properties.apply("spark.openlineage.parentJobNamespace");
    if (runId != null && job != null && namespace != null) {
      try {
        return Optional.of(new ParentRun(namespace, job, UUID.fromString(runId)));
      } catch (IllegalArgumentException e) {
        // not a UUID: fall through to the DAG run
      }
    }
    if (dagRunId == null) {
      return Optional.empty();
    }
    String dag = env.apply("AIRFLOW_CTX_DAG_ID");
    return Optional.of(new ParentRun(airflowNamespace, dag == null || dag.isBlank() ? "airflow" : dag,
        UUID.nameUUIDFromBytes(("airflow-dag-run:" + dagRunId).getBytes(StandardCharsets.UTF_8))));
  }
}
