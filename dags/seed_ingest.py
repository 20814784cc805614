"""seed_ingest: new seed files → normalised, enriched articles in Elasticsearch (DESIGN.md §3).

    ensure_index → discover → process_batch (mapped, one per batch of files) → report

Wiring only: every step is a function of `ingest.pipeline`; XCom carries file references and counts.
Trigger by hand with params {"source": ..., "force": true} or let the schedule pick up new files.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import Param, dag, task

SCHEDULE = os.environ.get("INGEST_SCHEDULE", "@hourly")
CONNECTION_ID = "elasticsearch_default"


def _settings(params: dict[str, Any]) -> Any:
    """Settings from the environment, the `elasticsearch_default` connection if defined, and run params."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    from ingest.config import load_settings, settings_from_connection

    settings = load_settings()
    try:
        conn = Connection.get(CONNECTION_ID)
    except AirflowNotFoundException:
        conn = None
    if conn is not None:
        settings = settings_from_connection(
            settings, host=conn.host, port=conn.port, schema=conn.schema, login=conn.login,
            password=conn.password, extra=conn.extra_dejson,
        )
    return settings.with_overrides(source=params.get("source"), index_alias=params.get("index"))


def _terminal_fails_fast(func: Any) -> Any:
    """A TerminalError (bad credentials, mapping conflict) fails the task without retries."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from airflow.sdk.exceptions import AirflowFailException

        from ingest.errors import TerminalError

        try:
            return func(*args, **kwargs)
        except TerminalError as exc:
            raise AirflowFailException(str(exc)) from exc

    return wrapper


@dag(
    dag_id="seed_ingest",
    schedule=SCHEDULE,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(seconds=20), "retry_exponential_backoff": True,
                  "max_retry_delay": timedelta(minutes=5)},
    params={
        "source": Param(None, type=["null", "string"], description="seed folder or fsspec URL"),
        "index": Param(None, type=["null", "string"], description="alias to write to"),
        "force": Param(False, type="boolean", description="re-process unchanged files"),
    },
    tags=["ingest", "elasticsearch"],
    doc_md=__doc__,
)
def seed_ingest() -> None:
    @task
    @_terminal_fails_fast
    def ensure_index(params: dict[str, Any] | None = None) -> str:
        from ingest import pipeline

        return pipeline.ensure_index(_settings(params or {}))

    @task
    @_terminal_fails_fast
    def discover(
        alias: str, params: dict[str, Any] | None = None, run_id: str | None = None
    ) -> list[list[dict[str, Any]]]:
        from ingest import pipeline

        params = params or {}
        return pipeline.discover(_settings(params), str(run_id), force=bool(params.get("force"))).batches

    @task(max_active_tis_per_dagrun=2)
    @_terminal_fails_fast
    def process_batch(
        batch: list[dict[str, Any]], params: dict[str, Any] | None = None, run_id: str | None = None
    ) -> dict[str, int]:
        from ingest import pipeline

        return pipeline.BatchProcessor(_settings(params or {})).process_batch(batch, str(run_id))

    @task(trigger_rule="all_done")
    @_terminal_fails_fast
    def report(results: Any, params: dict[str, Any] | None = None, run_id: str | None = None) -> dict[str, Any]:
        from ingest import pipeline

        # index, not iterate: iterating a lazy XCom sequence probes one past its end and logs an error
        batches = [results[i] for i in range(len(results))]
        return pipeline.report(_settings(params or {}), str(run_id), batches, trigger="airflow")

    batches = discover(ensure_index())
    report(process_batch.expand(batch=batches))


seed_ingest()
