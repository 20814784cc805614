"""Security: the pipeline authenticates by password or API key, verifies TLS against ES_CA_CERT (a node
started with HTTPS and a self-signed CA), and never writes a credential to its output, the Airflow logs,
the run reports, the ledger or the index."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import local_es
import pytest
from conftest import BIN, airflow_env, ingest_cli, jsonl, write_articles
from elasticsearch import ApiError, AuthenticationException, Elasticsearch
from elasticsearch.helpers import scan

from ingest import index
from ingest.config import Settings

pytestmark = pytest.mark.es
TLS_NODE = f"security-{os.getpid()}-tls"


def cli(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The `ingest` command with these settings plus extra environment (ES_API_KEY, ES_CA_CERT, ...)."""
    return ingest_cli(settings, *args, check=False, env=env)


@pytest.fixture(scope="module")
def tls_node() -> Iterator[dict[str, str]]:
    """A node with HTTPS; its CA certificate is at connection['ca_cert']."""
    local_es.remove(TLS_NODE)
    options = local_es.NodeOptions(heap="512m", http_tls=True, certs=local_es.make_certs(local_es.certs_dir(TLS_NODE)))
    try:
        yield local_es.start(TLS_NODE, local_es.free_port(), wait=180, options=options)
    finally:
        local_es.remove(TLS_NODE)


def api_key(es: Elasticsearch, name: str) -> dict[str, str] | None:
    """A new API key, or None where the node cannot store one: the minimal integ-test-zip cannot create
    the `.security` index (its mapping needs analysis-common's `pattern_capture` filter), so it has
    neither API keys nor native users."""
    try:
        created = es.security.create_api_key(name=name, expiration="1h")
    except ApiError as exc:
        if "pattern_capture" in str(exc):
            return None
        raise
    return {"id": created["id"], "api_key": created["api_key"], "encoded": created["encoded"]}


def made_up_key() -> dict[str, str]:
    key_id, secret = f"fake{os.urandom(6).hex()}", os.urandom(16).hex()
    return {"id": key_id, "api_key": secret, "encoded": base64.b64encode(f"{key_id}:{secret}".encode()).decode()}


# ---------------------------------------------------------------------------------------------- API key
def test_api_key_is_what_the_client_sends(settings: Settings) -> None:
    """With ES_API_KEY set, the key (not the also-configured password) authenticates: the node reports the
    failed API key by its id. Both the encoded form and `id:key` work."""
    key = made_up_key()
    for form in (key["encoded"], f"{key['id']}:{key['api_key']}"):
        es = index.connect(settings.with_overrides(es_api_key=form))
        with pytest.raises(AuthenticationException) as refused:
            es.cluster.health()
        assert f"apikey authentication for id {key['id']}" in json.dumps(refused.value.body)
    result = cli(settings, "status", ES_API_KEY=key["encoded"])
    assert result.returncode == 1
    assert result.stderr.strip().endswith("refused the credentials (401): check ES_USERNAME/ES_PASSWORD or ES_API_KEY")


def test_api_key_authenticates_without_a_password(settings: Settings, es: Elasticsearch) -> None:
    key = api_key(es, f"ingest-test-{settings.index_alias}")
    if key is None:
        pytest.skip("this Elasticsearch cannot create API keys (integ-test-zip: no analysis-common for the "
                    ".security index); run with ES_TEST_URL on a full distribution")
    write_articles(Path(settings.source), 3)
    no_password = settings.with_overrides(es_username="", es_password="")
    run = cli(no_password, "run", "--json", ES_API_KEY=key["encoded"])
    assert run.returncode == 0, run.stderr[-3000:]
    assert jsonl(run.stdout)[-1]["counts"]["indexed_docs"] == 3
    es.security.invalidate_api_key(ids=[key["id"]])
    refused = cli(no_password, "status", ES_API_KEY=key["encoded"])
    assert refused.returncode == 1 and "refused the credentials (401)" in refused.stderr


# ---------------------------------------------------------------------------------------------- TLS
def test_tls_is_verified_against_es_ca_cert(settings: Settings, tls_node: dict[str, str], tmp_path: Path) -> None:
    write_articles(Path(settings.source), 3)
    https = settings.with_overrides(es_url=tls_node["url"], es_password=tls_node["password"])
    assert https.es_url.startswith("https://")

    trusted = cli(https, "run", "--json", ES_CA_CERT=tls_node["ca_cert"])
    assert trusted.returncode == 0, trusted.stderr[-3000:]
    assert jsonl(trusted.stdout)[-1]["counts"]["indexed_docs"] == 3

    other_ca = local_es.make_certs(tmp_path / "other-ca") / "ca.crt"
    for label, env in (("a wrong CA", {"ES_CA_CERT": str(other_ca)}), ("the system's CAs", {})):
        started = time.monotonic()
        refused = cli(https, "run", **env)
        assert refused.returncode == 1, label
        assert time.monotonic() - started < 30, f"{label}: an untrusted certificate is not worth retrying"
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in refused.stderr, refused.stderr
        assert "TLS certificate was not accepted" in lines[0] and "certificate verify failed" in lines[0], label
        assert "ES_CA_CERT" in lines[0]

    missing = cli(https, "status", ES_CA_CERT=str(tmp_path / "nowhere.crt"))
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"ingest status: ES_CA_CERT {tmp_path / 'nowhere.crt'}: no such file"
    plain = cli(settings.with_overrides(es_url=tls_node["url"].replace("https://", "http://"),
                                        es_password=tls_node["password"]), "status")
    assert plain.returncode == 1 and "Traceback" not in plain.stderr


# ---------------------------------------------------------------------------------------------- no leaks
def everything_stored(es: Elasticsearch, settings: Settings) -> str:
    """Every document (id and source) of the alias, the ledger and the run reports, as one text."""
    es.indices.refresh(index=f"{settings.index_alias},{settings.ledger_index},{settings.runs_index}")
    docs = [json.dumps([hit["_index"], hit["_id"], hit["_source"]], ensure_ascii=False)
            for name in (settings.index_alias, settings.ledger_index, settings.runs_index)
            for hit in scan(es, index=name, query={"query": {"match_all": {}}})]
    assert docs
    return "\n".join(docs)


def needles(user: str, password: str, key: dict[str, str]) -> dict[str, str]:
    return {
        "password": password,
        "basic auth header": base64.b64encode(f"{user}:{password}".encode()).decode(),
        "API key secret": key["api_key"],
        "encoded API key": key["encoded"],
    }


def test_credentials_never_appear_in_output_logs_reports_ledger_or_index(
    settings: Settings, es: Elasticsearch, airflow_home: Path
) -> None:
    src = Path(settings.source)
    write_articles(src, 4)
    (src / "broken.json").write_text('{"title": ')  # a rejection, so the ledger holds a reason too
    user, password = settings.es_username or "", settings.es_password or ""
    assert user and len(password) >= 16
    real_key = api_key(es, f"leak-test-{settings.index_alias}")
    key = real_key or made_up_key()
    by_key = settings.with_overrides(es_username="", es_password="")
    outputs: list[subprocess.CompletedProcess[str]] = [
        cli(settings, "run", "--json"),
        cli(settings, "status", "--files"),
        cli(settings, "status", "--files", "--json"),
        cli(settings, "search", "council"),
        cli(settings, "search", "council", "--json"),
    ]
    if real_key is not None:
        outputs += [cli(by_key, "run", "--force", ES_API_KEY=key["encoded"]),
                    cli(by_key, "search", "council", "--json", ES_API_KEY=key["encoded"])]
    assert all(r.returncode == 0 for r in outputs), [r.stderr[-2000:] for r in outputs]
    refused = [cli(settings.with_overrides(es_password=password + "-wrong"), "run")]
    if real_key is None:
        refused.append(cli(by_key, "run", ES_API_KEY=key["encoded"]))
    assert all(r.returncode == 1 for r in refused)
    dag = run_dag_with_connection(airflow_home, settings, user, password)
    assert dag.returncode == 0, dag.stdout[-3000:] + dag.stderr[-3000:]
    assert es.count(index=settings.index_alias)["count"] == 4
    es.indices.refresh(index=settings.runs_index)
    by_airflow = es.search(index=settings.runs_index, query={"term": {"trigger": "airflow"}})["hits"]["hits"]
    assert [(h["_source"]["state"], h["_source"]["counts"]["indexed_files"]) for h in by_airflow] == [("success", 4)]

    texts = {f"`ingest {' '.join(r.args[1:])}`": r.stdout + r.stderr for r in outputs + refused}
    texts["`airflow dags test`"] = dag.stdout + dag.stderr
    texts["the alias, ledger and runs indices"] = everything_stored(es, settings)
    assert not [where for where, text in texts.items() if not text]
    texts["the Airflow log folder"] = "\n".join(  # `dags test` prints task logs; any files written count too
        p.read_text(errors="replace") for p in (airflow_home / "logs").rglob("*") if p.is_file()
    )
    found = [(what, where) for what, needle in needles(user, password, key).items()
             for where, text in texts.items() if needle in text]
    assert not found, found


def run_dag_with_connection(
    home: Path, settings: Settings, user: str, password: str
) -> subprocess.CompletedProcess[str]:
    """The DAG with the credentials only in the Airflow connection `elasticsearch_default`."""
    host, port = settings.es_url.removeprefix("http://").rsplit(":", 1)
    connection = {"conn_type": "elasticsearch", "host": host, "port": int(port), "schema": "http",
                  "login": user, "password": password}
    env = airflow_env(home, settings.with_overrides(es_username="", es_password=""))
    env.update(ES_USERNAME="", ES_PASSWORD="", AIRFLOW_CONN_ELASTICSEARCH_DEFAULT=json.dumps(connection))
    return subprocess.run([str(BIN / "airflow"), "dags", "test", "seed_ingest", "-c", json.dumps({"force": True})],
                          env=env, capture_output=True, text=True, timeout=900, check=False)


def test_credentials_inside_es_url_are_not_printed(settings: Settings, es: Elasticsearch) -> None:
    write_articles(Path(settings.source), 1)
    user, password = settings.es_username, settings.es_password or ""
    in_url = settings.with_overrides(es_url=settings.es_url.replace("://", f"://{user}:{password}@"),
                                     es_username="", es_password="")
    results = [cli(in_url, "run"), cli(in_url, "status"),
               cli(in_url.with_overrides(es_url=in_url.es_url.rsplit(":", 1)[0] + f":{local_es.free_port()}"),
                   "run")]
    assert results[0].returncode == 0, results[0].stderr[-2000:]
    for result in results:
        assert password not in result.stdout + result.stderr
