"""Shared pieces of the lakehouse-ops DAGs: what runs where, and how exit codes map to retries.

Every task runs the lakehouse-ops fat jar through SparkSubmitOperator. Locations come from
Airflow Variables, read in templates (not at parse time, so parsing never hits the database):

- lakehouse_ops_jar: the jar (default /opt/lakehouse-ops/lakehouse-ops.jar)
- lakehouse_ops_conf: the HOCON file shipped with --files (default /opt/lakehouse-ops/application.conf)
- lakehouse_ops_reports: a folder the driver writes JSON reports to (default /tmp/lakehouse-ops/reports)
- lakehouse_ops_catalog_uri, lakehouse_ops_warehouse: the Iceberg catalog of the Spark conf
"""

from __future__ import annotations

import re
from datetime import timedelta

from airflow.exceptions import AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

MAIN_CLASS = "io.lakehouseops.cli.Main"
SPARK_CONN_ID = "spark_lakehouse"
SPARK_POOL = "lakehouse_spark"

JAR = "{{ var.value.get('lakehouse_ops_jar', '/opt/lakehouse-ops/lakehouse-ops.jar') }}"
CONF_FILE = "{{ var.value.get('lakehouse_ops_conf', '/opt/lakehouse-ops/application.conf') }}"
REPORTS = "{{ var.value.get('lakehouse_ops_reports', '/tmp/lakehouse-ops/reports') }}"

# Datasets promoted on a schedule: name and how often their raw partitions arrive.
DATASETS = [
    {"name": "user_events", "schedule": "@daily"},
]

# Tables kept in shape by the maintenance DAG.
TABLES = ["curated.user_events"]

# Exit codes of lakehouse-ops that retrying cannot fix: 2 = wrong arguments or configuration,
# 3 = the quality gate failed (the data is quarantined; a re-run reads the same data).
NO_RETRY_EXIT_CODES = {2: "usage or configuration error", 3: "quality gate failed, data quarantined"}
_EXIT_CODE = re.compile(r"Error code is: (\d+)")

# The Iceberg SQL extensions and catalog for spark-submit; the jar also sets them from its
# HOCON file, these make the intent visible in the Airflow UI and win on the cluster.
SPARK_CONF = {
    "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
    "spark.sql.catalog.lake": "org.apache.iceberg.spark.SparkCatalog",
    "spark.sql.catalog.lake.type": "rest",
    "spark.sql.catalog.lake.uri": "{{ var.value.get('lakehouse_ops_catalog_uri', 'http://iceberg-rest:8181') }}",
    "spark.sql.catalog.lake.warehouse": "{{ var.value.get('lakehouse_ops_warehouse', 's3a://lakehouse/warehouse') }}",
    "spark.sql.session.timeZone": "UTC",
}

DEFAULT_ARGS = {
    "owner": "data-platform",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=2),
}


def exit_code(error: BaseException) -> int | None:
    """The spark-submit exit code in SparkSubmitHook's error message, if there is one."""
    match = _EXIT_CODE.search(str(error))
    return int(match.group(1)) if match else None


class LakehouseOpsOperator(SparkSubmitOperator):
    """SparkSubmitOperator for lakehouse-ops: exit codes 2 and 3 fail the task without retries.

    Retries are for infrastructure failures (exit 1, a lost executor, a cluster restart). A
    usage error or a failed quality gate would fail the same way on every retry, so they
    become AirflowFailException, which Airflow does not retry. This needs client deploy mode,
    where spark-submit's exit code is the driver's.
    """

    def __init__(self, *, command: str, arguments: list[str], **kwargs) -> None:
        super().__init__(
            conn_id=SPARK_CONN_ID,
            application=JAR,
            java_class=MAIN_CLASS,
            name=f"lakehouse-ops-{command}",
            conf=dict(SPARK_CONF),
            files=CONF_FILE,
            application_args=[command, *arguments, "--config", "application.conf"],
            pool=SPARK_POOL,
            **kwargs,
        )

    def execute(self, context):
        try:
            return super().execute(context)
        except Exception as error:
            code = exit_code(error)
            if code in NO_RETRY_EXIT_CODES:
                raise AirflowFailException(
                    f"lakehouse-ops exited {code} ({NO_RETRY_EXIT_CODES[code]}); not retried: {error}"
                ) from error
            raise


def report_path(name: str) -> str:
    """Where a task's JSON report goes: one file per DAG run and task."""
    return REPORTS + "/{{ dag.dag_id }}/{{ run_id | replace(':', '_') | replace('+', '_') }}/" + name + ".json"
