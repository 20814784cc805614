"""News as it breaks, under the real scheduler and triggerer (what `make up` starts): files dropped into the
watched source are found by the watcher (ingest_airflow.triggers, in the triggerer), announced through the
inbox and the incoming asset, and ingested by event runs with nobody triggering anything. Everything is
done through the filesystem and the REST API; nothing is mocked."""

from __future__ import annotations

import os
import signal
import time
import urllib.parse
from pathlib import Path
from typing import Any

import airflow_local as af
import pytest
from conftest import settings_env
from elasticsearch import Elasticsearch
from test_scheduler import FAST_LOOPS, RunningStack, finished, make_up, run_report, stack_settings, write_stories

from ingest import index, ledger
from ingest.assets import articles_asset_name
from ingest.config import Settings
from ingest.ledger import LedgerEntry

pytestmark = pytest.mark.airflow

SETTLE = 5  # INGEST_WATCH_SETTLE for this stack: seconds a file with no close event must stay unchanged


@pytest.fixture(scope="module")
def watched(es_connection: dict[str, str], tmp_path_factory: pytest.TempPathFactory,
            request: pytest.FixtureRequest) -> RunningStack:
    """`make up` over a source that already holds one story no run has read; no schedule: only events."""
    base = tmp_path_factory.mktemp("fresh")
    roots = base / "roots"
    write_stories(roots / "watched", ["harbour.txt"])
    (base / "staging").mkdir()
    settings = stack_settings(es_connection, roots / "watched", batch_size=100)
    env = {**settings_env(settings), **FAST_LOOPS, "INGEST_SCHEDULE": "none", "INGEST_WATCH_SETTLE": str(SETTLE),
           "INGEST_ALLOWED_ROOTS": str(roots)}
    stack, output = make_up(base / "airflow", env, request.addfinalizer)
    return RunningStack(stack=stack, api=af.Api(stack), settings=settings, roots=roots,
                        names=af.LOCAL_COMPONENTS, output=output)


def story(n: int, topic: str = "harbour") -> str:
    """A short story of its own (distinct text: a distinct document)."""
    return (f"Dock report {topic} number {n}\n\nROTTERDAM (Reuters) - Dock workers counted {n} containers at "
            f"the {topic} terminal on Tuesday, {n * 7} more than a week ago, the port authority said.\n")


def drop(stack: RunningStack, rel: str, text: str) -> None:
    """Write a file elsewhere and rename it into the source: how crawlers deliver (complete on arrival)."""
    staged = stack.roots.parent / "staging" / rel.replace("/", "_")
    staged.write_text(text)
    target = stack.roots / "watched" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    staged.rename(target)


def wait_done(es: Elasticsearch, settings: Settings, paths: list[str], timeout: float,
              stack: RunningStack) -> dict[str, LedgerEntry]:
    """The ledger entries of `paths` once every one of them is indexed or rejected."""
    root = str(Path(settings.source).resolve())
    deadline = time.monotonic() + timeout
    entries: dict[str, LedgerEntry] = {}
    while time.monotonic() < deadline:
        es.options(ignore_status=404).indices.refresh(index=settings.ledger_index)  # none before the first run
        entries = {}
        for start in range(0, len(paths), 1000):
            entries.update(ledger.get_entries(es, settings, root, paths[start:start + 1000]))
        if len(entries) == len(paths) and all(e.state in {"indexed", "rejected"} for e in entries.values()):
            return entries
        time.sleep(1)
    missing = sorted(set(paths) - set(entries))[:10]
    raise AssertionError(f"{len(entries)} of {len(paths)} files done after {timeout} s; missing {missing}\n"
                         + af.logs_tail(stack.stack, ["triggerer", "scheduler"], 30))


def runs_of(stack: RunningStack, run_type: str) -> list[dict[str, Any]]:
    return [r for r in stack.api.dag_runs() if r["run_type"] == run_type]


def all_runs_ended(stack: RunningStack, timeout: float = 300) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = stack.api.dag_runs()
        if all(r["state"] in {"success", "failed"} for r in runs):
            return runs
        time.sleep(1)
    raise AssertionError(f"runs still going after {timeout} s: {[(r['dag_run_id'], r['state']) for r in runs]}")


def test_a_dropped_file_becomes_searchable_with_no_trigger(watched: RunningStack) -> None:
    stack, settings = watched, watched.settings
    es = index.connect(settings)
    # what lay in the source before the first watcher, never read by a run, is caught up on at its start
    wait_done(es, settings, ["harbour.txt"], 180, stack)

    drop(stack, "desk/rail.txt", story(1, "rail"))
    entry = wait_done(es, settings, ["desk/rail.txt"], 120, stack)["desk/rail.txt"]
    assert entry.state == "indexed", entry
    es.indices.refresh(index=settings.index_alias)
    hits = es.search(index=settings.index_alias, query={"match": {"body": "containers rail terminal"}})["hits"]
    assert [h["_source"]["source"]["path"] for h in hits["hits"]] == ["desk/rail.txt"]

    assert not runs_of(stack, "manual") and not runs_of(stack, "scheduled")
    run_id = entry.last_run_id
    run = stack.api.dag_run(run_id)
    assert run["run_type"] == "asset_triggered", run
    finished(stack, run_id)
    report = run_report(es, settings, run_id)
    assert report["mode"] == "events" and report["state"] == "success", report
    assert report["counts"]["deleted"] == 0

    # the run announced itself on the alias's asset: the event names the run, by reference
    name = urllib.parse.quote(articles_asset_name(settings.index_alias))
    found = stack.api.request("GET", f"/api/v2/assets?name_pattern={name}")["assets"]
    assets = [a for a in found if a["name"] == articles_asset_name(settings.index_alias)]
    assert len(assets) == 1, found
    events = stack.api.request("GET", f"/api/v2/assets/events?asset_id={assets[0]['id']}&limit=100")
    extras = [e["extra"] for e in events["asset_events"]]
    mine = [x for x in extras if x.get("run_id") == run_id]
    assert mine and mine[0]["state"] == "success" and mine[0]["trigger"] == "event", extras
    assert mine[0]["counts"]["indexed_docs"] >= 1 and "articles" not in mine[0]


def test_a_burst_is_all_indexed_by_few_runs(watched: RunningStack) -> None:
    stack, settings = watched, watched.settings
    es = index.connect(settings)
    before = {r["dag_run_id"] for r in stack.api.dag_runs()}
    paths = [f"burst/{n:04d}.txt" for n in range(2000)]
    for n, path in enumerate(paths):
        drop(stack, path, story(n, "burst"))

    entries = wait_done(es, settings, paths, 900, stack)
    assert {e.state for e in entries.values()} == {"indexed"}
    assert {e.attempts for e in entries.values()} == {1}, "a file of the burst was read more than once"
    runs = [r for r in all_runs_ended(stack) if r["dag_run_id"] not in before]
    assert all(r["run_type"] == "asset_triggered" for r in runs), runs
    assert 1 <= len(runs) <= 15, f"{len(runs)} runs for one burst: {[r['dag_run_id'] for r in runs]}"
    assert all(r["state"] == "success" for r in runs), [(r["dag_run_id"], r["state"]) for r in runs]
    es.indices.refresh(index=settings.index_alias)
    assert es.count(index=settings.index_alias, query={"prefix": {"source.path": "burst/"}})["count"] == 2000


def test_files_arriving_while_the_triggerer_is_down_are_not_lost_nor_read_twice(watched: RunningStack) -> None:
    stack, settings = watched, watched.settings
    es = index.connect(settings)
    before, during, after = ([f"outage/{phase}-{n}.txt" for n in range(8)] for phase in ("before", "during", "after"))
    for n, path in enumerate(before):
        drop(stack, path, story(100 + n, "outage-before"))
        time.sleep(0.5)
    pid = af.pid_of(stack.stack, "triggerer")
    assert pid is not None
    os.killpg(pid, signal.SIGKILL)  # the triggerer and everything it started, with no chance to clean up
    deadline = time.monotonic() + 30
    while af.alive(pid):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    for n, path in enumerate(during):
        drop(stack, path, story(200 + n, "outage-during"))
        time.sleep(0.5)
    env = af.stack_env(stack.stack, {**settings_env(settings), **FAST_LOOPS, "INGEST_SCHEDULE": "none",
                                     "INGEST_WATCH_SETTLE": str(SETTLE), "INGEST_ALLOWED_ROOTS": str(stack.roots)})
    af.start_component(stack.stack, af.Component("triggerer", ("triggerer", *af.NO_LOG_SERVER)), env)
    for n, path in enumerate(after):
        drop(stack, path, story(300 + n, "outage-after"))
        time.sleep(0.5)

    entries = wait_done(es, settings, before + during + after, 300, stack)
    assert {e.state for e in entries.values()} == {"indexed"}
    assert {e.attempts for e in entries.values()} == {1}, {p: e.attempts for p, e in entries.items()}
    es.indices.refresh(index=settings.index_alias)
    assert es.count(index=settings.index_alias, query={"prefix": {"source.path": "outage/"}})["count"] == 24


def test_a_file_written_slowly_is_read_once_complete(watched: RunningStack) -> None:
    stack, settings = watched, watched.settings
    es = index.connect(settings)
    target = stack.roots / "watched" / "slow.txt"
    with target.open("w") as out:  # kept open 20 s, a paragraph every 4 s, written in place
        out.write("Slow wire from the harbour\n\n")
        for n in range(5):
            out.write(f"Paragraph {n}: the harbour master reported {n + 3} ships waiting outside the port.\n\n")
            out.flush()
            time.sleep(4)
    entry = wait_done(es, settings, ["slow.txt"], 120, stack)["slow.txt"]
    assert entry.state == "indexed" and entry.attempts == 1, entry
    assert entry.file.size == target.stat().st_size
    es.indices.refresh(index=settings.index_alias)
    doc = es.get(index=settings.index_alias, id=entry.doc_ids[0])["_source"]
    assert "Paragraph 4" in doc["body"] and "7 ships" in doc["body"], doc["body"]


def test_a_reconciliation_after_events_changes_nothing(watched: RunningStack) -> None:
    stack, settings = watched, watched.settings
    all_runs_ended(stack)
    events = runs_of(stack, "asset_triggered")
    assert events and all(r["state"] == "success" for r in events), [(r["dag_run_id"], r["state"]) for r in events]
    files = [p for p in (stack.roots / "watched").rglob("*") if p.is_file()]

    run = stack.api.trigger({"mode": "full"})
    finished(stack, run["dag_run_id"])
    report = run_report(index.connect(settings), settings, run["dag_run_id"])
    assert report["mode"] == "full" and report["state"] == "success", report
    counts = report["counts"]
    assert (counts["new"], counts["changed"], counts["deleted"], counts["indexed_docs"]) == (0, 0, 0, 0), counts
    assert counts["unchanged"] == len(files), counts
