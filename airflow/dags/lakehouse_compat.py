"""Airflow 3 names, with the Airflow 2.9/2.10 locations as the fallback: one import place."""

from __future__ import annotations

try:  # Airflow 3
    from airflow.sdk import DAG, Param, task
except ImportError:  # Airflow 2.9 and 2.10
    from airflow import DAG
    from airflow.decorators import task
    from airflow.models.param import Param

__all__ = ["DAG", "Param", "task"]
