"""Settings as the DAGs' tasks and the watcher trigger see them: the environment (`ingest.config`), then
Airflow's `elasticsearch_default` connection when one is defined (docker-compose defines it). One home for
that lookup; the library takes the connection's plain values (`settings_from_connection`)."""

from __future__ import annotations

from typing import Any

CONNECTION_ID = "elasticsearch_default"
SMTP_CONNECTION_ID = "smtp_default"


def settings() -> Any:
    """For task code (a worker process): the connection read through the task SDK."""
    return settings_traced()[0]


def settings_traced() -> tuple[Any, dict[str, str]]:
    """The settings and where each field came from (`ingest.config.load_settings_traced`), the connection's
    fields attributed to it."""
    from ingest.config import connection_origins, load_settings_traced

    base, origins = load_settings_traced()
    connected = _with_connection(_connection(CONNECTION_ID), base)
    return connected, connection_origins(base, connected, origins, f"Airflow connection {CONNECTION_ID}")


def smtp_traced() -> tuple[Any, str]:
    """SMTP settings from the `smtp_default` connection when defined, else the environment (INGEST_SMTP_*),
    and which of the two."""
    from ingest.notify import SmtpSettings

    conn = _connection(SMTP_CONNECTION_ID)
    if conn is None:
        return SmtpSettings.from_env(), "environment"
    return (SmtpSettings.from_connection(host=conn.host, port=conn.port, login=conn.login, password=conn.password,
                                         extra=conn.extra_dejson), f"Airflow connection {SMTP_CONNECTION_ID}")


def _connection(conn_id: str) -> Any:
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        return Connection.get(conn_id)
    except AirflowNotFoundException:
        return None


async def settings_async() -> Any:
    """For a trigger (the triggerer's event loop): the same, read without blocking the loop."""
    try:
        from airflow.sdk import Connection

        conn = await Connection.async_get(CONNECTION_ID)
    except Exception:  # noqa: BLE001 - no such connection (or no way to ask): the environment's settings
        conn = None
    return _with_connection(conn)


def _with_connection(conn: Any, base: Any = None) -> Any:
    from ingest.config import load_settings, settings_from_connection

    base = load_settings() if base is None else base
    if conn is None:
        return base
    return settings_from_connection(base, host=conn.host, port=conn.port, schema=conn.schema, login=conn.login,
                                    password=conn.password, extra=conn.extra_dejson)
