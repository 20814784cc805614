"""Settings: environment, the local node's connection file, and an orchestrator's connection record."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.config import Settings, load_settings, settings_from_connection


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    settings = load_settings({"ES_URL": "https://es.example:9243", "ES_API_KEY": "k", "INGEST_INDEX": "news",
                              "INGEST_BATCH_SIZE": "5", "INGEST_LOCAL_DIR": str(tmp_path)})
    assert settings.es_url == "https://es.example:9243"
    assert settings.es_api_key == "k"
    assert settings.index_alias == "news" and settings.ledger_index == "news-ledger"
    assert settings.batch_size == 5


def test_local_node_connection_file_is_used_without_es_url(tmp_path: Path) -> None:
    node = tmp_path / "es" / "local"
    node.mkdir(parents=True)
    (node / "connection.json").write_text(json.dumps({"url": "http://127.0.0.1:9299", "username": "elastic",
                                                      "password": "pw"}))
    settings = load_settings({"INGEST_LOCAL_DIR": str(tmp_path)})
    assert (settings.es_url, settings.es_username, settings.es_password) == ("http://127.0.0.1:9299", "elastic", "pw")
    assert load_settings({"INGEST_LOCAL_DIR": str(tmp_path), "ES_URL": "http://other:9200"}).es_url == \
        "http://other:9200"


def test_airflow_style_connection_record() -> None:
    base = Settings()
    conn = settings_from_connection(base, host="es.internal", port=9200, schema="https", login="ingest",
                                    password="secret", extra={"ca_certs": "/etc/ca.pem"})
    assert conn.es_url == "https://es.internal:9200"
    assert (conn.es_username, conn.es_password, conn.es_ca_cert) == ("ingest", "secret", "/etc/ca.pem")
    with_scheme = settings_from_connection(base, host="http://elasticsearch:9200", port=None, schema=None,
                                           login=None, password=None, extra={"api_key": "abc"})
    assert with_scheme.es_url == "http://elasticsearch:9200" and with_scheme.es_api_key == "abc"
    assert settings_from_connection(base, host=None, port=None, schema=None, login=None, password=None,
                                    extra={}) == base
