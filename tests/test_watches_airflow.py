"""news_alerts under Airflow: the DAG file parses (scheduled on the alias's Asset), and `airflow dags test
news_alerts -c '{"run_id": ...}'` after a `seed_ingest` run tells the watch's webhook and mailbox about the
run's new stories, once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import BIN, airflow_env, ingest_cli, run_dag
from elasticsearch import Elasticsearch
from receivers import SMTP_PASSWORD, smtp_server, webhook_server
from test_watches import GLACIER, HARBOUR, HOOK_TOKEN, write

from ingest.assets import articles_asset_uri
from ingest.config import PROJECT_ROOT, Settings

pytestmark = [pytest.mark.airflow,
              pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")]

DAGBAG_CHECK = """
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
dag = bag.dags["news_alerts"]
print(json.dumps({"tasks": sorted(t.task_id for t in dag.tasks), "timetable": type(dag.timetable).__name__,
                  "assets": [a.uri for a in dag.timetable.asset_condition.objects]}))
"""


def test_news_alerts_parses_and_schedules_on_the_alias_asset(airflow_home: Path, settings: Settings) -> None:
    result = subprocess.run([sys.executable, "-c", DAGBAG_CHECK, str(PROJECT_ROOT / "dags")],
                            env=airflow_env(airflow_home, settings), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["tasks"] == ["check"] and found["timetable"] == "AssetTriggeredTimetable"
    assert found["assets"] == [articles_asset_uri(settings.index_alias)]


LIGHT = ("ingest.assets", "ingest.config", "ingest.variables", "ingest_airflow.tasks")  # names and settings only
HEAVY = ("spacy", "elasticsearch", "fsspec", "lxml", "trafilatura", "numpy", "ingest.pipeline", "ingest.enrich",
         "ingest.alerts", "ingest.notify")


def test_dag_file_does_no_work_at_import() -> None:
    """news_alerts imports, at its top, only modules that read names and settings, and those load nothing
    heavy (the stages and their packages are imported inside the task)."""
    source = (PROJECT_ROOT / "dags" / "news_alerts.py").read_text()
    top_level = [line.split()[1] for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert {m for m in top_level if m.startswith("ingest")} <= set(LIGHT)
    check = (f"import sys; {'; '.join(f'import {m}' for m in LIGHT)}; "
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r}))")
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[]"


def alerts_dag(home: Path, settings: Settings, conf: dict[str, Any], env: dict[str, str]
               ) -> subprocess.CompletedProcess[str]:
    cmd = [str(BIN / "airflow"), "dags", "test", "news_alerts", "-c", json.dumps(conf)]
    return subprocess.run(cmd, env={**airflow_env(home, settings), **env}, capture_output=True, text=True,
                          timeout=900, check=False)


def last_run_id(es: Elasticsearch, settings: Settings) -> str:
    es.indices.refresh(index=settings.runs_index)
    hits = es.search(index=settings.runs_index, size=1, sort=[{"finished_at": {"order": "desc"}}])["hits"]["hits"]
    return str(hits[0]["_id"])


def test_news_alerts_checks_the_run_it_is_given(airflow_home: Path, settings: Settings, es: Elasticsearch) -> None:
    source = Path(settings.source)
    write(source, "harbour.txt", HARBOUR)
    write(source, "glacier.txt", GLACIER)
    with webhook_server() as hook, smtp_server() as mail:
        added = ingest_cli(settings, "watch", "add", "harbour", "Rotterdam strike", "--webhook",
                           f"{hook.url}/hook/{HOOK_TOKEN}", "--email", "desk@example.org")
        assert added.returncode == 0
        ingested = run_dag(airflow_home, settings)
        assert ingested.returncode == 0, ingested.stdout[-3000:] + ingested.stderr[-3000:]
        run_id = last_run_id(es, settings)
        assert hook.posts() == []  # seed_ingest itself does not check: news_alerts does

        first = alerts_dag(airflow_home, settings, {"run_id": run_id}, mail.env())
        output = first.stdout + first.stderr
        assert first.returncode == 0, output[-4000:]
        (post,) = hook.delivered("/hook/")
        assert post["watch"] == "harbour" and [a["title"] for a in post["articles"]] == [HARBOUR[0]]
        (message,) = mail.messages
        assert HARBOUR[0] in message.get_content()

        again = alerts_dag(airflow_home, settings, {"run_id": run_id}, mail.env())  # a manual re-check: silent
        assert again.returncode == 0, (again.stdout + again.stderr)[-4000:]
        assert len(hook.posts()) == 1 and len(mail.messages) == 1
        for secret in (HOOK_TOKEN, SMTP_PASSWORD):
            assert secret not in output + again.stdout + again.stderr
        logs = [p for p in airflow_home.rglob("*.log") if "dag_id=news_alerts" in p.as_posix()]
        assert not [p for p in logs if HOOK_TOKEN in p.read_text(errors="replace")]
