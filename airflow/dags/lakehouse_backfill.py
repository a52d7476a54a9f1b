"""Airflow DAG that reprocesses a range of event dates of a dataset, triggered by hand.

Trigger with e.g. {"dataset": "user_events", "from": "2024-01-01", "to": "2024-01-21",
"triggered_by": "bug_fix", "delete_missing": false}. The params are checked before Spark
starts (formats by their schemas, the range by check_params). The backfill id is the DAG run
id, so clearing the task after a failure resumes the same backfill: dates done are skipped.
"""

from __future__ import annotations

from datetime import timedelta

from lakehouse_common import DEFAULT_ARGS, SETTINGS, LakehouseOpsOperator
from lakehouse_compat import DAG, AirflowFailException, Param, task

DATE = r"^\d{4}-\d{2}-\d{2}$"
DATASETS = [d.name for d in SETTINGS.datasets]


def check_range(first: str, last: str) -> None:
    """from after to would be an empty range: refuse it before Spark starts."""
    if first > last:
        raise AirflowFailException(f"params 'from' ({first}) is after 'to' ({last}): swap them")


with DAG(
    dag_id="lakehouse_backfill",
    description="MERGE INTO reprocessing of event dates, audited in ops.backfill_audit_log",
    schedule=None,
    start_date=SETTINGS.start_date,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["lakehouse-ops", "backfill"],
    params={
        "dataset": Param(DATASETS[0] if DATASETS else "", type="string", enum=DATASETS or [""]),
        "from": Param("2024-01-01", type="string", pattern=DATE, description="First event date"),
        "to": Param("2024-01-01", type="string", pattern=DATE, description="Last event date"),
        "triggered_by": Param("manual", type="string",
                              enum=["manual", "quality_failure", "bug_fix", "late_data"]),
        "delete_missing": Param(False, type="boolean",
                                description="Delete rows of the dates that the source no longer has"),
    },
) as dag:
    checked = task(task_id="check_params", retries=0)(check_range)("{{ params['from'] }}", "{{ params.to }}")
    checked >> LakehouseOpsOperator(
        task_id="backfill",
        command="backfill",
        arguments=[
            "--dataset", "{{ params.dataset }}",
            "--from", "{{ params['from'] }}",
            "--to", "{{ params.to }}",
            "--triggered-by", "{{ params.triggered_by }}",
            "--backfill-id", "{{ run_id }}",
            "--delete-missing={{ params.delete_missing | string | lower }}",
        ],
        retries=1,
        execution_timeout=timedelta(hours=8),
    )
