"""Each DAG run end to end with dag.test(), its Spark tasks calling the real spark-submit
entry point (scripts/spark-submit-local behind a spark-submit on PATH, --master local[2])
from an empty working directory, in an Airflow deployed by airflow/README.md's steps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sys

import pytest

from airflow_versions import dag_bag, report, run_dag, task_states

SUCCESS, FAILED, SKIPPED = "success", "failed", "skipped"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def dags(deployment, raw_data):
    """The deployed DAGs, retrying after a second instead of five minutes (dag.test() waits)."""
    bag = dag_bag(deployment)
    assert bag.import_errors == {}
    assert "lakehouse_promote_user_events_hourly" in bag.dag_ids, (sorted(bag.dag_ids), sys.modules["lakehouse_common"].__file__, sys.path[:4])
    for dag in bag.dags.values():
        for task in dag.tasks:
            task.retry_delay, task.retry_exponential_backoff = timedelta(seconds=1), False
    return bag


def test_a_run_after_midnight_promotes_the_day_that_ended(dags, empty_cwd, capfd, caplog):
    run = run_dag(dags.dags["lakehouse_promote_user_events"], at("2024-01-03T00:30:00"))
    assert task_states(run) == {"promote": (SUCCESS, 1)}
    out, err = capfd.readouterr()
    logged = out + err + caplog.text
    assert "Spark-Submit cmd: spark-submit" in logged  # the task's log is here to be read
    assert "cannot be called outside TaskInstance" not in logged
    promoted = report(run, "promote")
    assert promoted["status"] == "SUCCEEDED"
    assert promoted["settings"]["options"]["date"] == "2024-01-02"
    assert promoted["result"]["rows_inserted"] > 0


def test_an_hourly_dataset_promotes_the_hour_that_ended(dags, empty_cwd):
    run = run_dag(dags.dags["lakehouse_promote_user_events_hourly"], at("2024-01-02T06:10:00"))
    assert task_states(run) == {"promote": (SUCCESS, 1)}
    promoted = report(run, "promote")
    assert promoted["settings"]["options"]["partition"] == "dt=2024-01-02/hour=05"
    assert promoted["result"]["rows_inserted"] > 0


def test_a_failed_quality_gate_fails_the_task_without_retries(dags, empty_cwd):
    run = run_dag(dags.dags["lakehouse_promote_user_events"], at("2024-01-06T00:30:00"))
    assert task_states(run) == {"promote": (FAILED, 1)}
    assert report(run, "promote") is None or report(run, "promote")["status"] == "QUALITY_FAILED"


def test_a_usage_error_fails_the_task_without_retries(dags, empty_cwd, monkeypatch):
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_OPS_CONF", str(empty_cwd / "missing.conf"))
    run = run_dag(dags.dags["lakehouse_promote_user_events"], at("2024-01-02T00:30:00"))
    assert task_states(run) == {"promote": (FAILED, 1)}


def test_a_runtime_failure_is_retried(dags, empty_cwd):
    dag = dags.dags["lakehouse_promote_user_events"]
    run = run_dag(dag, at("2024-01-08T00:30:00"))
    assert dag.get_task("promote").retries == 2
    assert task_states(run) == {"promote": (FAILED, 3)}


def test_maintenance_runs_exactly_what_health_recommends(dags, empty_cwd):
    # Three more promoted days: more snapshots than the test config's health.max-snapshots = 3.
    for day in ("2024-01-02", "2024-01-03", "2024-01-04"):
        run = run_dag(dags.dags["lakehouse_promote_user_events"], at(f"{day}T00:30:00"))
        assert task_states(run)["promote"][0] == SUCCESS
    run = run_dag(dags.dags["lakehouse_maintenance"], at("2024-01-04T03:00:00"))
    states = {task: state for task, (state, _) in task_states(run).items()}
    health = report(run, "curated_user_events_health")
    # The 2024 days are long past their sla-hours today: health says so, the DAG has no step for it.
    assert health["result"]["actions"] == ["expire-snapshots", "sla-breach"]
    assert health["result"]["tables"][0]["freshness"]["freshness"] == "late"
    # The ops tables grow by one small file per run: the same DAG compacts them.
    ops = report(run, "ops_data_quality_runs_health")
    assert "compact" in ops["result"]["actions"]
    assert states.pop("ops_data_quality_runs_compact") == SUCCESS
    assert not [task for task, state in states.items() if task.startswith("ops_") and state == FAILED]
    # The CDC table: its equality deletes applied by the same compact step, no option of its own.
    cdc = report(run, "cdc_orders_health")
    assert {"rewrite-deletes", "expire-snapshots"} <= set(cdc["result"]["actions"])
    assert cdc["result"]["tables"][0]["deletes"]["equality_delete_files"] > 0
    compacted = report(run, "cdc_orders_compact")
    assert compacted["result"]["equality_deletes"]["mode"] == "AUTO"
    assert compacted["result"]["equality_deletes"]["partitions_rewritten"] > 0
    assert compacted["result"]["after"]["delete_files"] == 0
    assert states.pop("cdc_orders_expire_snapshots") == SUCCESS
    states = {task: state for task, state in states.items() if task.startswith("curated_")}
    assert states == {
        "curated_user_events_health": SUCCESS,
        "curated_user_events_needs_retention": SUCCESS,
        "curated_user_events_retention": SKIPPED,
        "curated_user_events_needs_compact": SUCCESS,
        "curated_user_events_compact": SKIPPED,
        "curated_user_events_needs_expire_snapshots": SUCCESS,
        "curated_user_events_expire_snapshots": SUCCESS,
        "curated_user_events_needs_tier": SUCCESS,
        "curated_user_events_tier": SKIPPED,
    }
    assert str(run.state) in ("success", "DagRunState.SUCCESS")


def test_backfill_runs_with_its_params(dags, empty_cwd):
    params = {"dataset": "user_events", "from": "2024-01-01", "to": "2024-01-02",
              "triggered_by": "bug_fix", "delete_missing": False}
    run = run_dag(dags.dags["lakehouse_backfill"], at("2024-02-01T00:00:00"), conf=params)
    assert task_states(run) == {"check_params": (SUCCESS, 1), "backfill": (SUCCESS, 1)}
    done = report(run, "backfill")
    assert done["status"] in ("SUCCEEDED", "NOTHING_TO_DO")
    assert done["settings"]["options"]["from"] == "2024-01-01"


def test_backfill_refuses_from_after_to_before_spark_starts(dags, empty_cwd):
    params = {"dataset": "user_events", "from": "2024-01-05", "to": "2024-01-01",
              "triggered_by": "bug_fix", "delete_missing": False}
    run = run_dag(dags.dags["lakehouse_backfill"], at("2024-02-02T00:00:00"), conf=params)
    states = task_states(run)
    assert states["check_params"] == (FAILED, 1)
    assert states["backfill"][0] == "upstream_failed"
