"""What differs between Airflow 2 and 3 for the tests, in one place: how a DAG folder is
parsed, how a DAG run is started, and the scheduler's own view of a timetable."""

from __future__ import annotations

import importlib
import sys
import warnings
from datetime import datetime
from pathlib import Path

import airflow

AIRFLOW_MAJOR = int(airflow.__version__.split(".")[0])


def dag_bag(folder: Path):
    """The folder parsed as Airflow's DAG processor parses it (safe mode from the config): as
    its dags_folder, on sys.path, with none of its modules imported before (the processor
    parses in a fresh process)."""
    for name in [m for m in sys.modules if m.startswith("lakehouse_")]:
        del sys.modules[name]
    # First on sys.path: its modules, not another folder's copies, are the ones imported.
    while str(folder) in sys.path:
        sys.path.remove(str(folder))
    sys.path.insert(0, str(folder))
    # The folder may have been empty or missing when this process first looked (the guide
    # fills it later): forget what the import system cached about it.
    sys.path_importer_cache.pop(str(folder), None)
    importlib.invalidate_caches()
    if AIRFLOW_MAJOR >= 3:
        from airflow.dag_processing.dagbag import BundleDagBag

        # The DAG processor's bag for the dags-folder bundle, which puts the folder on sys.path.
        return BundleDagBag(dag_folder=folder, bundle_path=folder, bundle_name="dags-folder")
    from airflow.models.dagbag import DagBag

    return DagBag(dag_folder=str(folder), include_examples=False)


def parse_with_warnings(folder: Path):
    """The bag, and every warning raised while parsing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bag = dag_bag(folder)
    return bag, caught


def core_timetable(dag):
    """The timetable as the scheduler uses it."""
    if AIRFLOW_MAJOR >= 3:
        from airflow.serialization.encoders import coerce_to_core_timetable

        return coerce_to_core_timetable(dag.timetable)
    return dag.timetable


def first_scheduled_run(dag):
    """What the scheduler would create first after the DAG's start date (catchup on)."""
    from airflow.timetables.base import TimeRestriction

    return core_timetable(dag).next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=dag.start_date, latest=None, catchup=True))


def run_dag(dag, logical_date: datetime, conf: dict | None = None):
    """One DAG run with dag.test(), tasks run in this process; returns the finished DagRun."""
    if AIRFLOW_MAJOR >= 3:
        return dag.test(logical_date=logical_date, run_conf=conf)
    # Airflow 2's DagRun.note refers to the FAB user table: its models must be known to
    # SQLAlchemy before dag.test() deletes an earlier run (the webserver imports them).
    import airflow.providers.fab.auth_manager.models  # noqa: F401

    return dag.test(execution_date=logical_date, run_conf=conf)


def task_states(dag_run) -> dict[str, tuple[str, int]]:
    """task_id -> (state, try_number) of a finished run."""
    return {ti.task_id: (str(ti.state.value if hasattr(ti.state, "value") else ti.state), ti.try_number)
            for ti in dag_run.get_task_instances()}


def report(dag_run, task_id: str) -> dict | None:
    """The lakehouse-ops JSON report a task pushed to XCom."""
    ti = dag_run.get_task_instance(task_id)
    return ti.xcom_pull(task_ids=task_id, key="report")
