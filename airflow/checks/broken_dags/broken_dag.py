"""A DAG with every mistake check_dags.py exists to catch (it must report each of them)."""

from datetime import datetime

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with DAG(dag_id="broken", start_date=datetime(2024, 1, 1), schedule_interval="@daily") as dag:
    SparkSubmitOperator(task_id="twice", application="x.jar", application_args=["promote", 3],
                        executor_mem="1g")
    SparkSubmitOperator(task_id="twice", application="x.jar",
                        application_args=["promote", "--date", "{{ execution_date }}"])
