"""Settings as the DAGs' tasks and the watcher trigger see them: the environment (`ingest.config`), then
Airflow's `elasticsearch_default` connection when one is defined (docker-compose defines it). One home for
that lookup; the library takes the connection's plain values (`settings_from_connection`)."""

from __future__ import annotations

from typing import Any

CONNECTION_ID = "elasticsearch_default"


def settings() -> Any:
    """For task code (a worker process): the connection read through the task SDK."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(CONNECTION_ID)
    except AirflowNotFoundException:
        conn = None
    return _with_connection(conn)


async def settings_async() -> Any:
    """For a trigger (the triggerer's event loop): the same, read without blocking the loop."""
    try:
        from airflow.sdk import Connection

        conn = await Connection.async_get(CONNECTION_ID)
    except Exception:  # noqa: BLE001 - no such connection (or no way to ask): the environment's settings
        conn = None
    return _with_connection(conn)


def _with_connection(conn: Any) -> Any:
    from ingest.config import load_settings, settings_from_connection

    base = load_settings()
    if conn is None:
        return base
    return settings_from_connection(base, host=conn.host, port=conn.port, schema=conn.schema, login=conn.login,
                                    password=conn.password, extra=conn.extra_dejson)
