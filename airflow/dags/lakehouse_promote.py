"""Promote each dataset's raw partition of the day into its curated Iceberg table.

One DAG per dataset in lakehouse_common.DATASETS. catchup=True: a missed day is promoted
when the scheduler catches up, oldest first, at most three at a time. A failed quality gate
(exit 3) fails the task at once, without retries; the rows are in the quarantine table.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lakehouse_compat import DAG

from lakehouse_common import DATASETS, DEFAULT_ARGS, LakehouseOpsOperator, report_path

for dataset in DATASETS:
    with DAG(
        dag_id=f"lakehouse_promote_{dataset['name']}",
        description=f"raw {dataset['name']} -> curated Iceberg, behind the quality gate",
        schedule=dataset["schedule"],
        start_date=datetime(2024, 1, 1),
        catchup=True,
        max_active_runs=3,
        default_args=DEFAULT_ARGS,
        tags=["lakehouse-ops", "promote"],
    ) as dag:
        LakehouseOpsOperator(
            task_id="promote",
            command="promote",
            arguments=[
                "--dataset", dataset["name"],
                "--date", "{{ ds }}",
                "--dag-run-id", "{{ run_id }}",
                "--report", report_path("promote"),
            ],
            execution_timeout=timedelta(hours=1),
        )
    globals()[dag.dag_id] = dag
