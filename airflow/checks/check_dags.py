#!/usr/bin/env python3
"""Checks the lakehouse-ops DAGs without Airflow installed (none is installable here).

1. Static (ast): every DAG(...) sets schedule= and catchup= explicitly; no
   schedule_interval, sla or removed template variables (execution_date, next_ds, ...);
   operator keyword names exist on SparkSubmitOperator / BaseOperator.
2. Load: the DAG files run against small stand-ins of the Airflow classes they use, which
   record every operator; task ids must be unique per DAG and application_args strings.
3. Render: every templated field is rendered with Jinja2 (StrictUndefined) in a context with
   ds, run_id, params (the DAG's defaults), dag_run, dag and var, and the rendered
   spark-submit calls are written as JSON for the jar's argument-contract test.

Usage: check_dags.py DAGS_DIR OUT_JSON
"""

from __future__ import annotations

import ast
import json
import re
import sys
import types
from pathlib import Path

# SparkSubmitOperator's own keywords (apache-airflow-providers-apache-spark 4.x/5.x).
SPARK_SUBMIT_KWARGS = {
    "application", "conf", "conn_id", "files", "py_files", "archives", "driver_class_path", "jars",
    "java_class", "packages", "exclude_packages", "repositories", "total_executor_cores",
    "executor_cores", "executor_memory", "driver_memory", "keytab", "principal", "proxy_user", "name",
    "num_executors", "status_poll_interval", "application_args", "env_vars", "verbose",
    "spark_binary", "properties_file", "yarn_queue", "deploy_mode", "use_krb5ccache",
    "post_submit_commands",
}
# BaseOperator keywords these DAGs may use (Airflow 2.9+ and 3).
BASE_OPERATOR_KWARGS = {
    "task_id", "owner", "retries", "retry_delay", "retry_exponential_backoff", "max_retry_delay",
    "execution_timeout", "pool", "pool_slots", "queue", "priority_weight", "trigger_rule",
    "depends_on_past", "on_failure_callback", "on_success_callback", "on_retry_callback",
    "doc_md", "params", "email_on_failure", "email_on_retry", "max_active_tis_per_dag",
}
# Keywords LakehouseOpsOperator adds (it fills the spark-submit ones itself).
LAKEHOUSE_KWARGS = {"command", "arguments"}
REQUIRED_DAG_KWARGS = {"schedule", "catchup"}
FORBIDDEN_NAMES = {"schedule_interval", "sla", "sla_miss_callback"}
REMOVED_TEMPLATE_VARS = ("execution_date", "next_ds", "prev_ds", "next_execution_date",
                         "prev_execution_date", "tomorrow_ds", "yesterday_ds", "next_ds_nodash",
                         "prev_ds_nodash", "prev_execution_date_success")
TEMPLATED = ("application", "conf", "files", "name", "application_args")


class Findings(list):
    def add(self, path, node, message):
        line = getattr(node, "lineno", 0)
        self.append(f"{path.name}:{line}: {message}")


def static_checks(path: Path, findings: Findings) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in FORBIDDEN_NAMES:
            findings.add(path, node.value, f"'{node.arg}' is removed in Airflow 3")
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            findings.add(path, node, f"'{node.id}' is removed in Airflow 3")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for var in REMOVED_TEMPLATE_VARS:
                if re.search(r"\{\{[^}]*\b" + var + r"\b", node.value):
                    findings.add(path, node, f"template variable '{var}' is removed in Airflow 3")
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        given = {k.arg for k in node.keywords if k.arg}
        if name == "DAG":
            for required in REQUIRED_DAG_KWARGS - given:
                findings.add(path, node, f"DAG(...) must set {required}= explicitly")
        elif name == "SparkSubmitOperator" or (name == "__init__" and path.name == "lakehouse_common.py"):
            for unknown in sorted(given - SPARK_SUBMIT_KWARGS - BASE_OPERATOR_KWARGS):
                findings.add(path, node, f"SparkSubmitOperator has no keyword '{unknown}'")
        elif name == "LakehouseOpsOperator":
            allowed = LAKEHOUSE_KWARGS | BASE_OPERATOR_KWARGS | SPARK_SUBMIT_KWARGS
            for unknown in sorted(given - allowed):
                findings.add(path, node, f"LakehouseOpsOperator has no keyword '{unknown}'")
            for missing in sorted({"task_id", "command", "arguments"} - given):
                findings.add(path, node, f"LakehouseOpsOperator needs {missing}=")


# --- stand-ins for the Airflow classes the DAGs import -----------------------------------

class Registry:
    dags: list = []
    current: list = []


class StubDAG:
    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.params = {k: getattr(v, "default", v) for k, v in (kwargs.get("params") or {}).items()}
        self.tasks = []
        Registry.dags.append(self)

    def __enter__(self):
        Registry.current.append(self)
        return self

    def __exit__(self, *exc):
        Registry.current.pop()


class StubOperator:
    def __init__(self, task_id=None, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        self.dag = Registry.current[-1]
        self.dag.tasks.append(self)

    def __rshift__(self, other):
        return other

    def __rrshift__(self, other):
        return self


class StubSparkSubmitOperator(StubOperator):
    def __init__(self, **kwargs):  # unknown keywords: reported by the static check
        super().__init__(**kwargs)
        for field in TEMPLATED:
            setattr(self, field, kwargs.get(field))


class StubParam:
    def __init__(self, default=None, **schema):
        self.default = default
        self.schema = schema


def stub_task(*args, **kwargs):
    """@task / @task.branch: calling the decorated function adds a task."""
    def decorate(function):
        def call(*call_args, **call_kwargs):
            return StubOperator(task_id=kwargs.get("task_id", function.__name__))
        return call
    if args and callable(args[0]):
        return decorate(args[0])
    return decorate


stub_task.branch = stub_task


def install_stubs(airflow3: bool) -> None:
    """Airflow 3 has airflow.sdk; without it the DAGs must load through the 2.x fallbacks."""
    for name in [m for m in sys.modules if m == "airflow" or m.startswith("airflow.") or m.startswith("lakehouse_")]:
        del sys.modules[name]
    modules = {
        "airflow": {"DAG": StubDAG},
        "airflow.models": {},
        "airflow.models.param": {"Param": StubParam},
        "airflow.decorators": {"task": stub_task},
        "airflow.exceptions": {"AirflowFailException": type("AirflowFailException", (Exception,), {})},
        "airflow.providers": {},
        "airflow.providers.apache": {},
        "airflow.providers.apache.spark": {},
        "airflow.providers.apache.spark.operators": {},
        "airflow.providers.apache.spark.operators.spark_submit": {
            "SparkSubmitOperator": StubSparkSubmitOperator},
    }
    if airflow3:
        modules["airflow.sdk"] = {"DAG": StubDAG, "Param": StubParam, "task": stub_task}
    for name, attributes in modules.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        module.__path__ = []
        sys.modules[name] = module


# --- rendering ---------------------------------------------------------------------------

class VarValue:
    def get(self, name, default=None):
        return default


def render(value, context, environment):
    if isinstance(value, str):
        return environment.from_string(value).render(**context)
    if isinstance(value, list):
        return [render(v, context, environment) for v in value]
    if isinstance(value, dict):
        return {k: render(v, context, environment) for k, v in value.items()}
    return value


def main(dags_dir: str, out: str) -> int:
    findings = Findings()
    paths = sorted(Path(dags_dir).glob("*.py"))
    for path in paths:
        static_checks(path, findings)
    sys.path.insert(0, dags_dir)
    for airflow3 in (False, True):  # the DAGs of the last pass (Airflow 3) are rendered
        Registry.dags = []
        install_stubs(airflow3)
        for path in paths:
            if not path.name.startswith("lakehouse_com"):  # lakehouse_common, lakehouse_compat: modules
                code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
                try:
                    exec(code, {"__name__": path.stem, "__file__": str(path)})  # our own DAG files
                except Exception as error:  # a DAG that does not load is a finding, not a crash
                    findings.append(f"{path.name}: does not load (Airflow {3 if airflow3 else 2}): {error!r}")
    try:
        import jinja2
    except ImportError:
        print("check_dags: jinja2 is not importable; install python3-jinja2 to render the DAGs",
              file=sys.stderr)
        return 1
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    calls = []
    for dag in Registry.dags:
        seen = set()
        for task in dag.tasks:
            if task.task_id in seen:
                findings.append(f"{dag.dag_id}: task id '{task.task_id}' is used twice")
            seen.add(task.task_id)
            if not isinstance(task, StubSparkSubmitOperator):
                continue
            args = task.application_args or []
            for arg in args:
                if not isinstance(arg, str):
                    findings.append(f"{dag.dag_id}.{task.task_id}: application_args item {arg!r} is not a string")
            run_id = "scheduled__2024-01-02T00:00:00+00:00"
            context = {
                "ds": "2024-01-02", "ds_nodash": "20240102", "run_id": run_id,
                "params": dag.params, "dag": dag, "var": {"value": VarValue()},
                "dag_run": types.SimpleNamespace(run_id=run_id, conf={}),
            }
            try:
                rendered = {field: render(getattr(task, field), context, environment) for field in TEMPLATED}
            except jinja2.exceptions.TemplateError as error:
                findings.append(f"{dag.dag_id}.{task.task_id}: cannot render: {error}")
                continue
            calls.append({"dag_id": dag.dag_id, "task_id": task.task_id,
                          "java_class": task.kwargs.get("java_class"), **rendered})
    if not Registry.dags:
        findings.append(f"no DAG found in {dags_dir}")
    for finding in findings:
        print("check_dags: " + finding, file=sys.stderr)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(calls, indent=2) + "\n", encoding="utf-8")
    print(f"check_dags: {len(paths)} files, {len(Registry.dags)} DAGs, {len(calls)} spark-submit tasks "
          f"rendered to {out}; {len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
