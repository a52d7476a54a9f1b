"""Airflow DAGs that promote each dataset's raw partition into its curated Iceberg table.

One DAG per dataset of lakehouse_ops.json. Each run promotes the partition of the data
interval that has just ended (the day, or the hour for "partition": "hour"), so the run
that starts after midnight promotes the day before. A failed quality gate (exit 3) fails the
task at once, without retries; the rows are in the quarantine table.
"""

from __future__ import annotations

from datetime import timedelta

from lakehouse_common import DEFAULT_ARGS, SETTINGS, LakehouseOpsOperator
from lakehouse_compat import DAG

for dataset in SETTINGS.datasets:
    with DAG(
        dag_id=f"lakehouse_promote_{dataset.name}",
        description=f"raw {dataset.name} -> curated Iceberg, behind the quality gate",
        schedule=dataset.timetable(),
        start_date=SETTINGS.start_date,
        catchup=SETTINGS.catchup,
        max_active_runs=SETTINGS.max_active_runs,
        default_args=DEFAULT_ARGS,
        tags=["lakehouse-ops", "promote"],
    ) as dag:
        LakehouseOpsOperator(
            task_id="promote",
            command="promote",
            arguments=["--dataset", dataset.name, *dataset.partition_arguments()],
            execution_timeout=timedelta(hours=1),
        )
    globals()[dag.dag_id] = dag
