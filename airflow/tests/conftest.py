"""Fixtures of the DAG tests: a lakehouse on the embedded local default with sample raw data,
and an Airflow deployment made by following airflow/README.md.

Run by airflow/tests/run.sh (called by `mvn verify`), once under Airflow 2 and once under
Airflow 3, with AIRFLOW_HOME and dags_folder set to a fresh folder of their own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from guide import deployment_script  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "airflow" / "dags"


def built_jar() -> Path:
    jars = [p for p in (ROOT / "target").glob("lakehouse-ops-*.jar")
            if "original" not in p.name and "tests" not in p.name]
    if not jars:
        pytest.fail("no target/lakehouse-ops-*.jar: build it first (mvn package)")
    return jars[0]


@pytest.fixture(scope="session")
def lake(tmp_path_factory) -> Path:
    """The embedded local default (conf/local.conf) with absolute paths, plus an hourly twin of
    user_events, and the contract next to the config (found there from any directory)."""
    home = tmp_path_factory.mktemp("lake")
    (home / "conf").mkdir()
    shutil.copy(ROOT / "conf" / "schemas" / "user_events.avsc", home / "conf" / "user_events.avsc")
    (home / "conf" / "application.conf").write_text(f"""
include file("{ROOT / 'conf' / 'local.conf'}")
lakehouse {{
  catalog {{ uri = "jdbc:sqlite:{home}/catalog.db?journal_mode=WAL", warehouse = "{home}/warehouse" }}
  zones.raw = "{home}/raw"
  spark.master = "local[2]"
  datasets.user_events.contract = "user_events.avsc"
  datasets.user_events_hourly = ${{lakehouse.datasets.user_events}} {{ table = "curated.user_events_hourly" }}
  # A few promotes make enough snapshots for health to ask for expire-snapshots, and only that
  # (the delete files of re-delivered events do not count here); for the ops tables, whose
  # one small file per run a few runs make five of, also compact.
  health {{ max-snapshots = 3, max-delete-files = 1000, delete-ratio = 1000, min-compactable-files = 5 }}
}}
""", encoding="utf-8")
    return home


def lakehouse_ops(lake: Path, *args: str) -> None:
    subprocess.run([str(ROOT / "scripts" / "lakehouse-ops"), *args, "--config", str(lake / "conf" / "application.conf")],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def raw_data(lake) -> Path:
    """Raw partitions: three good days, a day the quality gate stops (2024-01-05), a day whose
    file is not Avro (2024-01-07, a runtime failure) and an hour of the hourly dataset; and a
    CDC table."""
    lakehouse_ops(lake, "sample-data", "--dataset", "user_events", "--start", "2024-01-01", "--days", "3",
                  "--rows-per-day", "300")
    lakehouse_ops(lake, "sample-data", "--dataset", "user_events", "--start", "2024-01-05", "--days", "1",
                  "--rows-per-day", "300", "--null-keys", "20", "--out-of-range", "5")
    raw = lake / "raw"
    corrupt = raw / "user_events" / "dt=2024-01-07"
    corrupt.mkdir(parents=True)
    (corrupt / "part-00000.avro").write_bytes(b"this is not an Avro file\n")
    # A CDC table as a streaming upsert writer leaves it (equality deletes), for the maintenance DAG.
    lakehouse_ops(lake, "sample-data", "--cdc", "--table", "cdc.orders", "--rows", "2000", "--commits", "20")
    hour = raw / "user_events_hourly" / "dt=2024-01-02" / "hour=05"
    hour.mkdir(parents=True)
    shutil.copy(raw / "user_events" / "dt=2024-01-02" / "part-00000.avro", hour / "part-00000.avro")
    return raw


@pytest.fixture(scope="session")
def deployment(lake, tmp_path_factory) -> Path:
    """Airflow set up by running airflow/README.md's "Deploying" steps, then the test's own
    dataset list: the guide's lakehouse_ops.json plus the hourly dataset and the CDC table."""
    env = dict(os.environ,
               LAKEHOUSE_OPS_SRC=str(ROOT),
               LAKEHOUSE_OPS_JAR=str(built_jar()),
               LAKEHOUSE_OPS_CONF=str(lake / "conf" / "application.conf"),
               SPARK_MASTER="local[2]",
               SPARK_POOL_SLOTS="2")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    work = tmp_path_factory.mktemp("guide")
    done = subprocess.run(["bash", "-c", deployment_script(ROOT / "airflow" / "README.md")],
                          cwd=work, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"airflow/README.md's deployment steps failed ({done.returncode}):\n"
                    f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    dags_folder = Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    settings = dags_folder / "lakehouse_ops.json"
    edited = json.loads(settings.read_text(encoding="utf-8"))
    edited["datasets"].append({"name": "user_events_hourly", "partition": "hour"})
    edited["tables"].append("cdc.orders")
    settings.write_text(json.dumps(edited, indent=2), encoding="utf-8")
    return dags_folder


@pytest.fixture
def empty_cwd(tmp_path, monkeypatch) -> Path:
    """spark-submit starts from an empty working directory, as on a worker."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
