"""A DAG with Airflow 3 mistakes Ruff's AIR3 rules must report (checks/run.sh fails otherwise)."""

from datetime import datetime

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with DAG(dag_id="broken", start_date=datetime(2024, 1, 1), schedule_interval="@daily") as dag:
    SparkSubmitOperator(task_id="promote", application="x.jar", application_args=["promote"])
