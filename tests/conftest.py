"""Real services for the tests: an Elasticsearch node started by this test session, and Airflow on a
freshly migrated SQLite metadata DB in a temporary AIRFLOW_HOME. Nothing is mocked.

Set ES_TEST_URL (+ ES_TEST_USERNAME / ES_TEST_PASSWORD) to use an existing cluster instead.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from ingest import index, ledger
from ingest.config import PROJECT_ROOT, Settings

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import local_es
from factories import write_articles

SEED = PROJECT_ROOT / "seeds" / "000_c4ea0415e5f2f1cc.txt"
BIN = Path(sys.executable).parent
TEST_NODE = f"test-{os.getpid()}"


# A test that uses one of these fixtures needs that server: it gets the marker, so `make test-fast`
# (`-m "not es and not airflow"`) leaves it out without anyone having to remember a decorator.
SERVER_FIXTURES = {"es_connection": "es", "airflow_home": "airflow"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in SERVER_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


@pytest.fixture(scope="session")
def es_connection() -> Iterator[dict[str, str]]:
    if os.environ.get("ES_TEST_URL"):
        yield {"url": os.environ["ES_TEST_URL"], "username": os.environ.get("ES_TEST_USERNAME", "elastic"),
               "password": os.environ.get("ES_TEST_PASSWORD", "")}
        return
    local_es.remove(TEST_NODE)
    connection = local_es.start(TEST_NODE, local_es.free_port(), wait=240)
    yield connection
    pid = local_es.pid_of(TEST_NODE)
    assert local_es.stop(TEST_NODE), "the test node was not running at the end of the session"
    assert pid is not None and not Path(f"/proc/{pid}").exists(), "elasticsearch survived stop"
    local_es.remove(TEST_NODE)


@pytest.fixture
def settings(es_connection: dict[str, str], tmp_path: Path) -> Settings:
    """Settings for one test: its own alias (so tests never see each other's documents) and source."""
    source = tmp_path / "seeds"
    source.mkdir()
    return Settings(
        es_url=es_connection["url"], es_username=es_connection["username"],
        es_password=es_connection["password"], index_alias=f"t-{uuid.uuid4().hex[:10]}", source=str(source),
    )


@pytest.fixture
def es(settings: Settings) -> Elasticsearch:
    return index.connect(settings)


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment a subprocess (the `ingest` command, Airflow) needs to use these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "INGEST_", "AIRFLOW"))}
    env.update(
        ES_URL=settings.es_url, ES_USERNAME=settings.es_username or "", ES_PASSWORD=settings.es_password or "",
        INGEST_INDEX=settings.index_alias, INGEST_SOURCE=settings.source, INGEST_BATCH_SIZE=str(settings.batch_size),
        INGEST_MAX_BATCHES=str(settings.max_batches),
        INGEST_LOCAL_DIR=str(Path(settings.source).parent / "no-local"),
    )
    if settings.json_fields:
        env["INGEST_JSON_FIELDS"] = settings.json_fields
    return env


def ingest_cli(settings: Settings, *args: str, check: bool = True, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    """The `ingest` command run in this process: `ingest.cli.main` with the environment these settings give
    the installed command (plus `env`), its stdout, stderr and the warnings it logs captured, and the exit
    status the command would end with (argparse's own exits; 1 and the traceback on stderr for a crash,
    like the interpreter). `ingest_process` runs the installed command where the process is the point."""
    out, err = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(err)  # what main's logging.basicConfig gives a fresh process
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root, saved_env = logging.getLogger(), dict(os.environ)
    client = logging.getLogger("elastic_transport")  # main sets its level: a process-wide change
    saved_level, saved_client_level = root.level, client.level
    os.environ.clear()
    os.environ.update({**settings_env(settings), **(env or {})})
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = _main_status(list(args))
    finally:
        root.removeHandler(handler)
        root.setLevel(saved_level)
        client.setLevel(saved_client_level)
        os.environ.clear()
        os.environ.update(saved_env)
    result = subprocess.CompletedProcess(["ingest", *args], code, out.getvalue(), err.getvalue())
    if check:
        result.check_returncode()
    return result


def _main_status(argv: list[str]) -> int:
    from ingest.cli import main

    try:
        return main(argv)
    except SystemExit as exc:  # argparse: a usage error (2), --help (0)
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - what the interpreter does with an uncaught exception
        traceback.print_exc()
        return 1


def ingest_process(settings: Settings, *args: str, check: bool = True, env: dict[str, str] | None = None,
                   cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `ingest` command in a process of its own: for exit codes of the entry point, the
    working directory, signals."""
    return subprocess.run([str(BIN / "ingest"), *args], env={**settings_env(settings), **(env or {})}, cwd=cwd,
                          capture_output=True, text=True, check=check, timeout=600)


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("airflow_home")
    env = airflow_env(home)
    result = subprocess.run([str(BIN / "airflow"), "db", "migrate"], env=env, capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return home


def airflow_env(home: Path, settings: Settings | None = None) -> dict[str, str]:
    env = settings_env(settings) if settings else {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(
        AIRFLOW_HOME=str(home), AIRFLOW__CORE__DAGS_FOLDER=str(PROJECT_ROOT / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False", AIRFLOW__LOGGING__LOGGING_LEVEL="INFO",
    )
    return env


def run_dag(home: Path, settings: Settings, conf: dict[str, Any] | None = None) -> subprocess.CompletedProcess[str]:
    """`airflow dags test seed_ingest` — the real DAG, every task, in this machine's Airflow."""
    cmd = [str(BIN / "airflow"), "dags", "test", "seed_ingest"]
    if conf:
        cmd += ["-c", json.dumps(conf)]
    return subprocess.run(cmd, env=airflow_env(home, settings), capture_output=True, text=True, timeout=900,
                          check=False)


# ---------------------------------------------------------------------------------------------- faults
# Helpers for the fault, cluster and security tests: extra nodes started by a test (names apart from the
# session node, removed by the fixture), a generated corpus of small articles (`write_articles`, from
# tests/factories.py), and a reference run of it.

def alias_documents(es: Elasticsearch, alias: str) -> dict[str, dict[str, Any]]:
    """Every document of the alias by id, without the per-run `ingested_at`."""
    from elasticsearch.helpers import scan

    es.indices.refresh(index=alias)
    return {hit["_id"]: {k: v for k, v in hit["_source"].items() if k != "ingested_at"}
            for hit in scan(es, index=alias, query={"query": {"match_all": {}}}, size=500)}


@pytest.fixture(scope="session")
def reference_corpus(es_connection: dict[str, str], tmp_path_factory: pytest.TempPathFactory
                     ) -> dict[str, dict[str, Any]]:
    """The 200-article corpus of `write_articles`, run once cleanly on the session node: what every fault
    test must converge to (document ids and contents)."""
    source = tmp_path_factory.mktemp("reference") / "seeds"
    write_articles(source, 200)
    settings = Settings(es_url=es_connection["url"], es_username=es_connection["username"],
                        es_password=es_connection["password"], index_alias=f"ref-{uuid.uuid4().hex[:8]}",
                        source=str(source))
    result = ingest_cli(settings, "run", "--json", check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    docs = alias_documents(index.connect(settings), settings.index_alias)
    assert len(docs) == 200
    return docs


@pytest.fixture
def extra_nodes() -> Iterator[list[str]]:
    """Names of local_es nodes (and clusters, prefixed 'cluster:') a test started: removed afterwards."""
    started: list[str] = []
    yield started
    for name in started:
        if name.startswith("cluster:"):
            local_es.remove_cluster(name.removeprefix("cluster:"))
        else:
            local_es.remove(name)


def popen_run(settings: Settings, *args: str) -> subprocess.Popen[str]:
    """`ingest run` in its own process group (so a kill takes its worker processes too)."""
    return subprocess.Popen([str(BIN / "ingest"), "run", "--json", *args], env=settings_env(settings),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def count_now(es: Elasticsearch, alias: str) -> int:
    """Documents visible now (refreshing first); 0 while the alias does not exist or the node is busy."""
    try:
        es.indices.refresh(index=alias, ignore_unavailable=True)
        return int(es.count(index=alias, ignore_unavailable=True)["count"])
    except Exception:  # noqa: BLE001 - a poll: any failure means 'not yet'
        return 0


def assert_converged(es: Elasticsearch, settings: Settings, reference: dict[str, dict[str, Any]]) -> None:
    """Exactly the clean run's documents (ids and contents, no duplicates), every file indexed, no ledger
    entry in a non-final state."""
    docs = alias_documents(es, settings.index_alias)
    assert sorted(docs) == sorted(reference)
    differing = {(doc_id, key) for doc_id, doc in docs.items() for key in doc.keys() | reference[doc_id].keys()
                 if doc.get(key) != reference[doc_id].get(key)}
    assert not differing, sorted(differing)[:20]
    entries = list(ledger.all_entries(es, settings))
    assert len(entries) == len(reference)
    assert {e.state for e in entries} == {"indexed"}
    assert {i for e in entries for i in e.doc_ids} == set(reference)
