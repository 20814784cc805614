"""The real seed_ingest DAG, run by Airflow against the real Elasticsearch node."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, airflow_env, ingest_cli, jsonl, run_dag, write_articles
from elasticsearch import Elasticsearch

from ingest.config import PROJECT_ROOT, Settings

DAGBAG_CHECK = """
import sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
dag = bag.dags["seed_ingest"]
print(",".join(sorted(t.task_id for t in dag.tasks)))
print(",".join(sorted(dag.get_task("process_batch").upstream_task_ids)))
report = dag.get_task("report")
print(report.is_teardown, report.on_failure_fail_dagrun, report.trigger_rule.value, sorted(report.upstream_task_ids))
announce = dag.get_task("announce")
print(announce.is_teardown, announce.on_failure_fail_dagrun, announce.trigger_rule.value,
      sorted(announce.upstream_task_ids), [o.name for o in announce.outlets])
"""


def test_dagbag_imports_without_errors(airflow_home: Path) -> None:
    result = subprocess.run([sys.executable, "-c", DAGBAG_CHECK, str(PROJECT_ROOT / "dags")],
                            env=airflow_env(airflow_home), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    tasks, upstream, report, announce = result.stdout.strip().splitlines()[-4:]
    assert tasks == "announce,discover,ensure_index,process_batch,report"
    assert upstream == "discover"
    # the report is ensure_index's teardown: it runs even when the run is marked failed by hand, and fails it
    assert report == "True True all_done_setup_success ['ensure_index', 'process_batch']", report
    # whatever became of the run, the alias's asset hears of it (a failed run wrote documents too)
    # (a teardown that cannot fail the run: the report's state stays the run's)
    assert announce == "True False all_done_setup_success ['ensure_index', 'report'] ['news-ingest.articles']", \
        announce


HEAVY = ("spacy", "elasticsearch", "fsspec", "lxml", "trafilatura", "numpy", "ingest.pipeline", "ingest.enrich")


def test_dag_file_does_no_work_at_import(airflow_home: Path) -> None:
    """DAG files are wiring: at import only the settings and the asset names are read (they decide the
    schedule); the library's stages and heavy packages are imported inside tasks only."""
    check = ("import sys, runpy; import airflow.sdk; before = set(sys.modules); runpy.run_path(sys.argv[1]); "
             "print(sorted(m for m in set(sys.modules) - before "
             f"if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r}))")  # what the DAG file adds to Airflow's own
    result = subprocess.run([sys.executable, "-c", check, str(PROJECT_ROOT / "dags" / "seed_ingest.py")],
                            env=airflow_env(airflow_home), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout[-2000:]


@pytest.mark.airflow
def test_dag_indexes_the_seed_and_a_rerun_adds_nothing(
    airflow_home: Path, settings: Settings, es: Elasticsearch
) -> None:
    shutil.copy(SEED, Path(settings.source) / SEED.name)
    (Path(settings.source) / "broken.json").write_text('{"title": "half a record",')
    settings = settings.with_overrides(batch_size=1)  # two batches: process_batch is mapped twice

    first = run_dag(airflow_home, settings)
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    assert es.count(index=settings.index_alias)["count"] == 1

    found = jsonl(ingest_cli(settings, "search", "Pakistan", "--json").stdout)[0]
    assert found["total"] == 1
    article = found["hits"][0]
    assert article["title"] == "'US focused on pressing Pak to take sustained, irreversible actions against terrorists'"
    assert article["publisher"] == "Business Standard"
    assert article["agency"] == "Press Trust of India"
    assert article["dateline"] == "Washington"
    assert article["section"] == ["PTI Stories", "National", "News"]
    assert article["published_at"] == "2019-03-16T10:10:00+05:30"
    assert article["body"].startswith("The is now focused on pressing")
    assert article["body"].endswith("as an instrument of state policy.")
    for boilerplate in ("You are here", "First Published", "syndicated feed", "Press Trust of India  |"):
        assert boilerplate not in article["body"]
    assert "Pakistan" in article["entities"]["location"]

    status = jsonl(ingest_cli(settings, "status", "--files", "--json").stdout)[0]
    states = {e["path"]: (e["state"], e["stage"], e["reason"]) for e in status["entries"]}
    assert states[SEED.name][0] == "indexed"
    assert states["broken.json"][0] == "rejected"
    assert states["broken.json"][1] == "parse" and "JSON" in states["broken.json"][2]
    assert status["last_run"]["counts"]["indexed_docs"] == 1
    assert status["last_run"]["counts"]["rejected"] == 1
    assert status["last_run"]["discovery"]["batches"] == 2
    assert status["last_run"]["state"] == "success"

    second = run_dag(airflow_home, settings)
    assert second.returncode == 0, second.stdout[-4000:]
    es.indices.refresh(index=settings.index_alias)
    assert es.count(index=settings.index_alias)["count"] == 1
    last = jsonl(ingest_cli(settings, "status", "--json").stdout)[0]["last_run"]
    assert last["counts"]["unchanged"] == 2
    assert last["counts"]["indexed_docs"] == 0

    forced = run_dag(airflow_home, settings, {"force": True})
    assert forced.returncode == 0, forced.stdout[-4000:]
    es.indices.refresh(index=settings.index_alias)
    assert es.count(index=settings.index_alias)["count"] == 1


@pytest.mark.airflow
def test_a_dry_run_says_what_would_change_and_changes_nothing(
    airflow_home: Path, settings: Settings, es: Elasticsearch
) -> None:
    paths = write_articles(Path(settings.source), 3)
    settings = settings.with_overrides(batch_size=1)
    ingest_cli(settings, "run", "--json")  # the state before: indexed by the same steps, in this process
    paths[0].unlink()
    write_articles(Path(settings.source) / "more", 2)

    def state() -> tuple[Any, ...]:
        es.indices.refresh(index=f"{settings.index_alias}*")
        ledger = es.search(index=settings.ledger_index, size=100, sort=[{"path": "asc"}])["hits"]["hits"]
        runs = es.count(index=settings.runs_index)["count"]
        return [h["_source"] for h in ledger], runs, es.count(index=settings.index_alias)["count"]

    before = state()
    dry = run_dag(airflow_home, settings, {"dry_run": True})
    log = dry.stdout + dry.stderr
    assert dry.returncode == 0, log[-4000:]
    # the report task says what discovery found (it stored no run report: it read discovery's findings)
    summary = next(line for line in log.splitlines() if " success: {'discovered'" in line)
    for count in ("'discovered': 4", "'new': 2", "'unchanged': 2", "'deleted': 1", "'batches': 2"):
        assert count in summary, summary
    assert state() == before  # no ledger entry, run report or document written, none deleted
    manifests = es.count(index=settings.manifests_index)["count"]
    assert manifests == 0  # the dry run's manifest and findings were dropped


@pytest.mark.airflow
def test_dag_fails_fast_on_bad_credentials(airflow_home: Path, settings: Settings) -> None:
    shutil.copy(SEED, Path(settings.source) / SEED.name)
    result = run_dag(airflow_home, settings.with_overrides(es_password="wrong"))
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "401" in log
    assert "up_for_retry" not in log.lower()


def assert_run_failed(result: subprocess.CompletedProcess[str]) -> None:
    """`airflow dags test` exits non-zero and logs the DAG run's final state."""
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "DagRun Finished" in log and "state=failed" in log, log[-3000:]


@pytest.mark.airflow
def test_a_source_outside_the_allowed_roots_fails_the_run(
    airflow_home: Path, settings: Settings, es: Elasticsearch, tmp_path: Path
) -> None:
    shutil.copy(SEED, Path(settings.source) / SEED.name)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SEED, elsewhere / SEED.name)
    result = run_dag(airflow_home, settings, {"source": str(elsewhere)})
    log = result.stdout + result.stderr
    assert "outside the allowed roots" in log
    assert_run_failed(result)
    assert "up_for_retry" not in log.lower()
    assert not es.indices.exists(index=settings.index_alias) or es.count(index=settings.index_alias)["count"] == 0


@pytest.mark.airflow
def test_more_files_than_the_map_cap_all_land_and_the_run_succeeds(
    airflow_home: Path, settings: Settings, es: Elasticsearch
) -> None:
    src = Path(settings.source)
    for n in range(1030):
        (src / f"brief-{n:04d}.txt").write_text(
            f"Brief number {n}\n\nThe county board approved item {n} on its agenda on Monday, officials said, "
            f"after a short debate about item {n + 1}.\n")
    capped = settings.with_overrides(batch_size=1, max_batches=4)  # 1,030 one-file batches would not map
    result = run_dag(airflow_home, capped)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    es.indices.refresh(index=settings.index_alias)
    assert es.count(index=settings.index_alias)["count"] == 1030
    last = jsonl(ingest_cli(settings, "status", "--json").stdout)[0]["last_run"]
    assert last["state"] == "success"
    assert last["counts"]["batches"] == 4 and last["counts"]["indexed_files"] == 1030


@pytest.mark.airflow
def test_a_refused_mass_deletion_fails_the_dag_run(airflow_home: Path, settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    shutil.copy(SEED, src / SEED.name)
    ingest_cli(settings, "run", "--json")  # the state before: indexed by the same steps, in this process
    (src / SEED.name).unlink()
    result = run_dag(airflow_home, settings)
    log = result.stdout + result.stderr
    assert "refused to delete" in log
    assert_run_failed(result)
    es.indices.refresh(index=settings.index_alias)
    assert es.count(index=settings.index_alias)["count"] == 1
    last = jsonl(ingest_cli(settings, "status", "--json").stdout)[0]["last_run"]
    assert last["state"] == "failed" and "refused to delete" in last["reason"]

    allowed = run_dag(airflow_home, settings, {"allow_mass_delete": True})
    assert allowed.returncode == 0, (allowed.stdout + allowed.stderr)[-3000:]
    es.indices.refresh(index=settings.index_alias)
    assert es.count(index=settings.index_alias)["count"] == 0


PARAMS_CHECK = """
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
out = {d: {k: bag.dags[d].params.get_param(k).description for k in bag.dags[d].params}
       for d in ("seed_ingest", "news_alerts")}
out["cron"] = getattr(getattr(bag.dags["seed_ingest"].timetable, "timetable", None), "expression", None)
print(json.dumps(out))
"""


def test_dag_params_and_schedule_come_from_the_settings_registry(airflow_home: Path) -> None:
    """The DAG files write no default: param descriptions are the library's (ingest.variables), and
    INGEST_SCHEDULE is read through the settings."""
    from ingest.variables import INDEX, RUN_PARAM_HELP, sentence

    env = {**airflow_env(airflow_home), "INGEST_SCHEDULE": "0 3 * * *"}
    result = subprocess.run([sys.executable, "-c", PARAMS_CHECK, str(PROJECT_ROOT / "dags")], env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ("source", "batch_size", "index", "allow_mass_delete"):
        assert found["seed_ingest"][name].startswith(sentence(RUN_PARAM_HELP[name])), name
    assert "INGEST_BATCH_SIZE, 500)" in found["seed_ingest"]["batch_size"]
    assert found["news_alerts"]["index"].startswith(sentence(INDEX.help("alias of that run")))
    assert found["cron"] == "0 3 * * *"
