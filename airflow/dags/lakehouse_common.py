"""Shared pieces of the lakehouse-ops Airflow DAGs: their settings, and the operator that
runs the jar and maps its exit codes to retries.

What the DAGs promote and maintain comes from one file, lakehouse_ops.json next to this one
(or the file LAKEHOUSE_OPS_DAGS_SETTINGS names), read at parse time: no database or network
call while a DAG file is parsed. Locations come from Airflow Variables, read in templates:

- lakehouse_ops_jar: the jar (default /opt/lakehouse-ops/lakehouse-ops.jar)
- lakehouse_ops_conf: the HOCON file, a path on the worker or a URI (s3a://, hdfs://, file://)
  the driver reads before Spark starts (default /opt/lakehouse-ops/application.conf)
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.providers.apache.spark.hooks.spark_submit import SparkSubmitHook
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

from lakehouse_compat import AirflowFailException, CronDataIntervalTimetable

MAIN_CLASS = "io.lakehouseops.cli.Main"
SPARK_CONN_ID = "spark_lakehouse"
SPARK_POOL = "lakehouse_spark"
JAR = "{{ var.value.get('lakehouse_ops_jar', '/opt/lakehouse-ops/lakehouse-ops.jar') }}"
CONFIG = "{{ var.value.get('lakehouse_ops_conf', '/opt/lakehouse-ops/application.conf') }}"

# A raw partition per day (dt=) or per hour (dt=/hour=): the interval each run promotes.
PARTITION_CRONS = {"day": "0 0 * * *", "hour": "0 * * * *"}
# The interval that has just ended, in UTC: Airflow 3's default for a cron schedule starts
# the run at the beginning of its day, which is the day with no data yet.
INTERVAL_DATE = "{{ data_interval_start.strftime('%Y-%m-%d') }}"
INTERVAL_HOUR = "{{ data_interval_start.strftime('%H') }}"

# Exit codes of lakehouse-ops that retrying cannot fix: 2 = wrong arguments or configuration,
# 3 = the quality gate failed (the data is quarantined; a re-run reads the same data).
NO_RETRY_EXIT_CODES = {2: "usage or configuration error", 3: "quality gate failed, data quarantined",
                       4: "health --fail-on: a listed action is recommended"}
_EXIT_CODE = re.compile(r"Error code is: (\d+)")
# The jar prints its JSON report as one stdout line starting with one of these (report_version
# leads since report version 1; older jars began with the command).
_REPORT_STARTS = ('{"report_version":', '{"command":')

DEFAULT_ARGS = {
    "owner": "data-platform",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=2),
}


@dataclass(frozen=True)
class Dataset:
    name: str
    partition: str

    def timetable(self) -> CronDataIntervalTimetable:
        return CronDataIntervalTimetable(PARTITION_CRONS[self.partition], timezone="UTC")

    def partition_arguments(self) -> list[str]:
        """promote's arguments for the raw partition of the run's data interval."""
        if self.partition == "hour":
            return ["--partition", f"dt={INTERVAL_DATE}/hour={INTERVAL_HOUR}"]
        return ["--date", INTERVAL_DATE]


@dataclass(frozen=True)
class DagSettings:
    start_date: datetime
    catchup: bool
    max_active_runs: int
    datasets: tuple[Dataset, ...]
    tables: tuple[str, ...]
    maintenance_schedule: str
    spark_conf: dict

    @staticmethod
    def load(path: Path) -> DagSettings:
        """Reads and checks the settings; a mistake names the file and the key to fix."""

        def bad(key: str, expected: str) -> ValueError:
            return ValueError(f"{path}: '{key}' must be {expected}")

        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"cannot read the lakehouse-ops DAG settings {path}: {error}") from error
        try:
            start = datetime.strptime(str(raw.get("start_date")), "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            raise bad("start_date", "a date YYYY-MM-DD") from None
        catchup = raw.get("catchup", False)
        if not isinstance(catchup, bool):
            raise bad("catchup", "true or false")
        datasets = []
        for entry in raw.get("datasets") or []:
            partition = entry.get("partition", "day") if isinstance(entry, dict) else None
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) \
                    or partition not in PARTITION_CRONS:
                raise bad("datasets", 'a list of {"name": ..., "partition": "day" or "hour"}')
            datasets.append(Dataset(entry["name"], partition))
        tables = raw.get("tables") or []
        if not all(isinstance(t, str) and t.count(".") >= 1 for t in tables):
            raise bad("tables", 'a list of tables as "namespace.table"')
        spark_conf = raw.get("spark_conf") or {}
        if not isinstance(spark_conf, dict):
            raise bad("spark_conf", "an object of Spark properties")
        max_active_runs = raw.get("max_active_runs", 3)
        if isinstance(max_active_runs, bool) or not isinstance(max_active_runs, int) or max_active_runs < 1:
            raise bad("max_active_runs", "a whole number from 1 up")
        return DagSettings(start, catchup, max_active_runs, tuple(datasets),
                           tuple(tables), str(raw.get("maintenance_schedule", "30 2 * * *")),
                           {str(k): str(v) for k, v in spark_conf.items()})


SETTINGS = DagSettings.load(
    Path(os.environ.get("LAKEHOUSE_OPS_DAGS_SETTINGS") or Path(__file__).with_name("lakehouse_ops.json")))


def exit_code(error: BaseException) -> int | None:
    """The spark-submit exit code in SparkSubmitHook's error message, if there is one."""
    match = _EXIT_CODE.search(str(error))
    return int(match.group(1)) if match else None


class LakehouseOpsHook(SparkSubmitHook):
    """SparkSubmitHook that keeps the jar's JSON report and fails exits 2, 3 and 4 for good.

    In client deploy mode spark-submit's output is the driver's, so the report (its last
    stdout line) reaches the Airflow worker without a shared disk.
    """

    report: dict | None = None

    def _process_spark_submit_log(self, itr):
        return super()._process_spark_submit_log(self._keep_report(itr))

    def _keep_report(self, lines):
        for line in lines:
            text = line.strip()
            if text.startswith(_REPORT_STARTS):
                try:
                    self.report = json.loads(text)
                except ValueError:
                    pass  # another line that only starts like a report
            yield line

    def submit(self, application: str = "", **kwargs):
        try:
            return super().submit(application, **kwargs)
        except Exception as error:
            code = exit_code(error)
            if code not in NO_RETRY_EXIT_CODES:
                raise
            why = ((self.report or {}).get("error") or {}).get("message") or (self.report or {}).get("message")
            raise AirflowFailException(
                f"lakehouse-ops exited {code} ({NO_RETRY_EXIT_CODES[code]}), not retried: {why}") from error


class LakehouseOpsOperator(SparkSubmitOperator):
    """SparkSubmitOperator for one lakehouse-ops subcommand, in the lakehouse_spark pool.

    Exit codes 2, 3 and 4 fail the task without retries (a usage error, a failed quality gate
    or a health check told to fail fails the same way on every retry); exit 1 and
    infrastructure failures are retried. The
    run's JSON report is pushed to XCom under the key "report". Both need client deploy
    mode, where spark-submit's exit code and output are the driver's.
    """

    def __init__(self, *, command: str, arguments: list[str], **kwargs) -> None:
        super().__init__(
            conn_id=SPARK_CONN_ID,
            application=JAR,
            java_class=MAIN_CLASS,
            name=f"lakehouse-ops-{command}",
            conf=dict(SETTINGS.spark_conf),
            application_args=[command, *arguments, "--config", CONFIG, "--dag-run-id", "{{ run_id }}"],
            pool=SPARK_POOL,
            **kwargs,
        )

    def _get_hook(self) -> SparkSubmitHook:
        hook = super()._get_hook()
        # The provider builds its hook from some thirty operator fields that change between
        # its releases; taking that hook and giving it our subclass keeps them in step.
        hook.__class__ = LakehouseOpsHook
        return hook

    def post_execute(self, context, result=None):
        report = getattr(self._hook, "report", None)
        if report is not None:
            context["ti"].xcom_push(key="report", value=report)
        super().post_execute(context, result)
