"""Nightly table maintenance: health decides, then compact, expire-snapshots and tier run
only where health recommends them, in that order, per table of lakehouse_common.TABLES.
"""

from __future__ import annotations

import json
from datetime import datetime

from lakehouse_compat import DAG, task

from lakehouse_common import DEFAULT_ARGS, TABLES, LakehouseOpsOperator, report_path

# health's recommendation actions -> the task that carries them out.
ACTION_TASKS = {
    "compact": "compact",
    "rewrite-deletes": "compact",
    "rewrite-manifests": "compact",
    "expire-snapshots": "expire_snapshots",
    "tier": "tier",
}


def slug(table: str) -> str:
    return table.replace(".", "_")


def tasks_for(report_file: str, prefix: str) -> list[str]:
    """The maintenance tasks to run, from the actions in health's JSON report."""
    with open(report_file, encoding="utf-8") as handle:
        report = json.load(handle)
    actions = (report.get("result") or {}).get("actions") or []
    chosen = sorted({ACTION_TASKS[a] for a in actions if a in ACTION_TASKS})
    return [f"{prefix}_{name}" for name in chosen] or [f"{prefix}_healthy"]


with DAG(
    dag_id="lakehouse_maintenance",
    description="health -> branch -> compact -> expire-snapshots -> tier, per table",
    schedule="30 2 * * *",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["lakehouse-ops", "maintenance"],
) as dag:
    for table in TABLES:
        prefix = slug(table)
        health_report = report_path(f"{prefix}_health")

        health = LakehouseOpsOperator(
            task_id=f"{prefix}_health",
            command="health",
            arguments=["--table", table, "--dag-run-id", "{{ run_id }}", "--report", health_report],
        )

        @task.branch(task_id=f"{prefix}_branch")
        def branch(report_file: str, prefix: str = prefix) -> list[str]:
            return tasks_for(report_file, prefix)

        chosen = branch(health_report)

        compact = LakehouseOpsOperator(
            task_id=f"{prefix}_compact",
            command="compact",
            arguments=["--table", table, "--rewrite-deletes", "--rewrite-manifests",
                       "--dag-run-id", "{{ run_id }}", "--report", report_path(f"{prefix}_compact")],
        )
        expire = LakehouseOpsOperator(
            task_id=f"{prefix}_expire_snapshots",
            command="expire-snapshots",
            arguments=["--table", table, "--remove-orphans",
                       "--dag-run-id", "{{ run_id }}", "--report", report_path(f"{prefix}_expire")],
            trigger_rule="none_failed",
        )
        tier = LakehouseOpsOperator(
            task_id=f"{prefix}_tier",
            command="tier",
            arguments=["--table", table, "--dag-run-id", "{{ run_id }}",
                       "--report", report_path(f"{prefix}_tier")],
            trigger_rule="none_failed",
        )

        @task(task_id=f"{prefix}_healthy")
        def healthy(table: str = table) -> str:
            return f"{table} needs no maintenance"

        health >> chosen
        chosen >> [compact, expire, tier, healthy()]
        compact >> expire >> tier
