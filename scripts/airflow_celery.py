"""Celery settings for Airflow's Celery workers: Airflow's own defaults, plus the batch state preloaded.

    AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS=airflow_celery.CELERY_CONFIG   (with this folder on PYTHONPATH)

A Celery worker's main process imports `ingest.preload` (the spaCy model, the gazetteer, the place index,
the language identifier) when it starts, before it forks its pool. Each pool process, and each task
process forked from one, starts with them loaded, as the LocalExecutor's workers do with
MP_FORKSERVER_PRELOAD (scripts/airflow_local.py). Without it, every mapped `process_batch` task loads the
model again. Airflow's own handler of the same signal then freezes the loaded objects out of the garbage
collector, so the forks share their pages. The scheduler, which also reads these settings, never starts a
worker and loads nothing.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import import_modules

CELERY_CONFIG = DEFAULT_CELERY_CONFIG


@import_modules.connect
def preload(*_args: Any, **_kwargs: Any) -> None:
    """Sent once by a starting worker, in its main process, before the pool forks."""
    import ingest.preload  # noqa: F401
