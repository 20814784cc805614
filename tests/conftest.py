"""Real services for the tests: an Elasticsearch node started by this test session, and Airflow on a
freshly migrated SQLite metadata DB in a temporary AIRFLOW_HOME. Nothing is mocked.

Set ES_TEST_URL (+ ES_TEST_USERNAME / ES_TEST_PASSWORD) to use an existing cluster instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from ingest import index
from ingest.config import PROJECT_ROOT, Settings

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import local_es

SEED = PROJECT_ROOT / "seeds" / "000_c4ea0415e5f2f1cc.txt"
BIN = Path(sys.executable).parent
TEST_NODE = f"test-{os.getpid()}"


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
        INGEST_LOCAL_DIR=str(Path(settings.source).parent / "no-local"),
    )
    if settings.json_fields:
        env["INGEST_JSON_FIELDS"] = settings.json_fields
    return env


def ingest_cli(settings: Settings, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "ingest"), *args], env=settings_env(settings), capture_output=True,
                          text=True, check=check, timeout=600)


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
