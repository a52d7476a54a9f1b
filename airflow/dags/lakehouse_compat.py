"""Airflow 3 names (airflow.sdk), with the Airflow 2.10/2.11 locations as the fallback.

The one place that knows where Airflow keeps what; every DAG file imports from here.
"""

from __future__ import annotations

try:  # Airflow 3
    from airflow.sdk import DAG, CronDataIntervalTimetable, Param, task
    from airflow.sdk.exceptions import AirflowFailException
except ImportError:  # Airflow 2.10 and 2.11
    from airflow import DAG
    from airflow.decorators import task
    from airflow.exceptions import AirflowFailException
    from airflow.models.param import Param
    from airflow.timetables.interval import CronDataIntervalTimetable

__all__ = ["DAG", "AirflowFailException", "CronDataIntervalTimetable", "Param", "task"]
