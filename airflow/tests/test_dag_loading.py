"""The project's DAG folder as Airflow itself parses it, with its default configuration
(DAG discovery safe mode on): every DAG, no import error, no deprecation warning from our
files. Writes every Spark task's rendered spark-submit call for the jar's argument-contract
test (AirflowDagContractIT)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from airflow_versions import AIRFLOW_MAJOR, first_scheduled_run, parse_with_warnings
from conftest import DAGS, ROOT

EXPECTED_DAGS = {"lakehouse_promote_user_events", "lakehouse_maintenance", "lakehouse_backfill"}


def test_safe_mode_is_on_as_airflow_ships_it():
    from airflow.configuration import conf

    assert conf.getboolean("core", "dag_discovery_safe_mode") is True


def test_every_dag_loads_without_import_errors_or_deprecation_warnings():
    bag, caught = parse_with_warnings(DAGS)
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == EXPECTED_DAGS
    ours = [f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}" for w in caught
            if Path(w.filename).resolve().parent == DAGS and issubclass(w.category, (DeprecationWarning, FutureWarning))
            or "RemovedInAirflow" in w.category.__name__ and Path(w.filename).resolve().parent == DAGS]
    assert ours == []


def test_every_spark_task_is_in_the_pool_and_the_catalog_is_left_to_the_config():
    bag, _ = parse_with_warnings(DAGS)
    spark_tasks = [t for dag in bag.dags.values() for t in dag.tasks if hasattr(t, "application_args")]
    assert spark_tasks
    for t in spark_tasks:
        assert t.pool == "lakehouse_spark", t.task_id
        assert not any(key.startswith("spark.sql.catalog") for key in (t.conf or {})), t.task_id


def test_promote_runs_after_its_day_and_promotes_that_day():
    bag, _ = parse_with_warnings(DAGS)
    dag = bag.dags["lakehouse_promote_user_events"]
    assert dag.catchup is False  # no backlog of runs since start_date on unpause
    info = first_scheduled_run(dag)
    day = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert info.data_interval.start == day
    assert info.data_interval.end == datetime(2024, 1, 2, tzinfo=timezone.utc)
    assert info.run_after >= info.data_interval.end, "the run must start after its day is complete"


def test_rendered_calls_for_the_argument_contract(tmp_path):
    """Renders every Spark task's templates as a run of 2024-01-02 would."""
    bag, _ = parse_with_warnings(DAGS)
    calls = []
    for dag in bag.dags.values():
        for t in dag.tasks:
            if not hasattr(t, "application_args"):
                continue
            rendered = render(dag, t)
            calls.append({"dag_id": dag.dag_id, "task_id": t.task_id, "java_class": t._java_class,
                          "application_args": rendered["application_args"], "conf": rendered["conf"] or {}})
    assert {c["application_args"][0] for c in calls} == {
        "promote", "health", "retention", "compact", "expire-snapshots", "tier", "backfill"}
    backfill = next(c["application_args"] for c in calls if c["task_id"] == "backfill")
    assert backfill[backfill.index("--from") + 1] == "2024-01-01", "params rendered to their values"
    assert backfill[backfill.index("--delete-missing=false")]
    out = Path(os.environ.get("LAKEHOUSE_OPS_RENDERED_CALLS",
                              ROOT / "target" / "airflow" / f"rendered-calls-airflow{AIRFLOW_MAJOR}.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(calls, indent=2) + "\n", encoding="utf-8")


def render(dag, task) -> dict:
    """The task's templated fields rendered by Airflow's own Jinja environment."""
    import jinja2

    start = datetime(2024, 1, 2, tzinfo=timezone.utc)
    run_id = "scheduled__2024-01-02T00:00:00+00:00"

    class Var:
        @staticmethod
        def get(name, default=None):
            return default

    context = {"ds": "2024-01-02", "run_id": run_id, "params": dag.params.dump(),
               "data_interval_start": start, "data_interval_end": start.replace(day=3),
               "dag": dag, "task": task, "var": {"value": Var()}}
    env = dag.get_template_env()
    env.undefined = jinja2.StrictUndefined
    return {field: task.render_template(getattr(task, field), context, env)
            for field in ("application_args", "conf")}


def test_a_mistake_in_the_settings_file_is_an_import_error_naming_file_and_key(tmp_path, monkeypatch):
    settings = tmp_path / "lakehouse_ops.json"
    settings.write_text(json.dumps({"start_date": "2024-01-01",
                                    "datasets": [{"name": "user_events", "partition": "minute"}]}))
    monkeypatch.setenv("LAKEHOUSE_OPS_DAGS_SETTINGS", str(settings))

    bag, _ = parse_with_warnings(DAGS)

    assert not bag.dag_ids
    errors = list(bag.import_errors.values())
    assert errors and all(f"{settings}: 'datasets' must be a list of" in error for error in errors)
