"""Reprocess a range of event dates of a dataset, triggered by hand with validated params.

Trigger with e.g. {"dataset": "user_events", "from": "2024-01-01", "to": "2024-01-21",
"triggered_by": "bug_fix", "delete_missing": false}. The backfill id is the DAG run id, so
clearing the task after a failure resumes the same backfill: dates already done are skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lakehouse_compat import DAG, Param

from lakehouse_common import DATASETS, DEFAULT_ARGS, LakehouseOpsOperator, report_path

DATE = r"^\d{4}-\d{2}-\d{2}$"

with DAG(
    dag_id="lakehouse_backfill",
    description="MERGE INTO reprocessing of event dates, audited in ops.backfill_audit_log",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["lakehouse-ops", "backfill"],
    params={
        "dataset": Param(DATASETS[0]["name"], type="string", enum=[d["name"] for d in DATASETS]),
        "from": Param("2024-01-01", type="string", pattern=DATE, description="First event date"),
        "to": Param("2024-01-01", type="string", pattern=DATE, description="Last event date"),
        "triggered_by": Param("manual", type="string",
                              enum=["manual", "quality_failure", "bug_fix", "late_data"]),
        "delete_missing": Param(False, type="boolean",
                                description="Delete rows of the dates that the source no longer has"),
    },
) as dag:
    LakehouseOpsOperator(
        task_id="backfill",
        command="backfill",
        arguments=[
            "--dataset", "{{ params.dataset }}",
            "--from", "{{ params['from'] }}",
            "--to", "{{ params.to }}",
            "--triggered-by", "{{ params.triggered_by }}",
            "--backfill-id", "{{ run_id }}",
            "--dag-run-id", "{{ run_id }}",
            "--delete-missing={{ params.delete_missing | string | lower }}",
            "--report", report_path("backfill"),
        ],
        retries=1,
        execution_timeout=timedelta(hours=8),
    )
