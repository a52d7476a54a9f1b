"""Airflow DAG of nightly table maintenance: health decides, then retention, compact,
expire-snapshots and tier run, in that order, only where health's report recommends them.

Per table of lakehouse_ops.json: health -> needs_retention -> retention -> needs_compact ->
compact -> needs_expire_snapshots -> expire_snapshots -> needs_tier -> tier. Retention comes
first (nothing is compacted that is about to be deleted) and expiry after it (which frees the
deleted files). Each needs_* task reads health's report from XCom
(no shared disk) and skips its step when the report does not ask for it; the next check runs
whether the step before ran or was skipped, so the DAG run succeeds with the steps skipped.
"""

from __future__ import annotations

from lakehouse_common import DEFAULT_ARGS, SETTINGS, LakehouseOpsOperator
from lakehouse_compat import DAG, AirflowFailException, task

# Each step: its task name, the subcommand, its extra arguments, and the health actions it carries out.
STEPS = (
    ("retention", "retention", [], {"retention"}),
    ("compact", "compact", ["--rewrite-deletes", "--rewrite-manifests"],
     {"compact", "rewrite-deletes", "rewrite-manifests"}),
    ("expire_snapshots", "expire-snapshots", ["--remove-orphans"], {"expire-snapshots"}),
    ("tier", "tier", [], {"tier"}),
)


def recommended(report: dict | None, actions: set[str]) -> bool:
    """Whether health's report asks for any of these actions."""
    if not report or report.get("status") != "SUCCEEDED":
        raise AirflowFailException(f"no usable health report in XCom: {report!r}")
    return bool(actions & set((report.get("result") or {}).get("actions") or []))


def slug(table: str) -> str:
    return table.replace(".", "_")


with DAG(
    dag_id="lakehouse_maintenance",
    description="health -> retention -> compact -> expire-snapshots -> tier, each only where health asks for it",
    schedule=SETTINGS.maintenance_schedule,
    start_date=SETTINGS.start_date,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["lakehouse-ops", "maintenance"],
) as dag:
    for table in SETTINGS.tables:
        prefix = slug(table)
        previous = LakehouseOpsOperator(task_id=f"{prefix}_health", command="health", arguments=["--table", table])
        report = previous.output["report"]
        for name, command, extra, actions in STEPS:
            needs = task.short_circuit(
                task_id=f"{prefix}_needs_{name}",
                ignore_downstream_trigger_rules=False,  # skip only the step, not the checks after it
                trigger_rule="none_failed",
            )(recommended)(report, actions)
            step = LakehouseOpsOperator(task_id=f"{prefix}_{name}", command=command,
                                        arguments=["--table", table, *extra])
            previous >> needs >> step
            previous = step
