"""Runs of the pipeline (the same steps the DAG runs) against the real Elasticsearch node:
bad input loses nothing else, re-runs never duplicate, changes and deletions follow the files."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from elasticsearch import Elasticsearch

from ingest import ledger
from ingest.config import Settings
from ingest.counts import RunCounts
from ingest.errors import TerminalError, TransientError
from ingest.index import connect, ensure_index
from ingest.pipeline import RunOptions, run_once

STORY = (
    "The city council of Springfield voted on Tuesday to expand the public library, "
    "a project residents have asked for since 2015. Mayor Jane Holloway said the new wing "
    "would open in March next year and would include a reading room for children. "
) * 3


def write_story(folder: Path, name: str, title: str, body: str = STORY) -> Path:
    path = folder / name
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def run(settings: Settings, **options: Any) -> dict[str, Any]:
    report = run_once(settings, run_id=f"test-{os.urandom(4).hex()}", options=RunOptions(**options), workers=1)
    assert report.state == "success", report.reason
    return (report.counts or RunCounts()).to_dict()


def states(es: Elasticsearch, settings: Settings) -> dict[str, ledger.LedgerEntry]:
    return {e.path: e for e in ledger.all_entries(es, settings)}


def doc_count(es: Elasticsearch, settings: Settings) -> int:
    es.indices.refresh(index=settings.index_alias)
    return int(es.count(index=settings.index_alias)["count"])


def test_bad_files_are_rejected_with_reasons_and_good_files_land(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    shutil.copy(SEED, src / SEED.name)
    write_story(src, "council.txt", "Springfield votes to expand library")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (src / "empty.txt").write_text("")
    (src / "broken.json").write_text('{"title": ')
    records = [
        {"title": "Harbour reopens after storm", "text": STORY, "date": "2024-05-02T08:00:00+01:00"},
        "not an object",
        {"title": "Bridge repairs finished", "text": STORY.replace("library", "bridge")},
    ]
    (src / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{bad json\n")
    (src / "notes.md").write_text("# not a seed\n")
    (src / ".hidden.txt").write_text("ignored")

    counts = run(settings)

    entries = states(es, settings)
    assert ".hidden.txt" not in entries
    assert entries[SEED.name].state == "indexed"
    assert entries["council.txt"].state == "indexed"
    for path in ("binary.txt", "empty.txt", "broken.json"):
        assert entries[path].state == "rejected", path
        assert entries[path].stage and entries[path].reason, path
    feed = entries["feed.jsonl"]
    assert feed.state == "indexed" and len(feed.doc_ids) == 2
    assert sorted(r.record for r in feed.rejected_records) == [1, 3]
    assert entries["notes.md"].state == "skipped" and ".md" in (entries["notes.md"].reason or "")
    assert doc_count(es, settings) == 4
    assert counts["indexed_docs"] == 4
    assert counts["rejected"] == 3
    assert counts["skipped"] == 1


def test_oversized_file_is_rejected_unread(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    write_story(src, "council.txt", "Springfield votes to expand library")
    write_story(src, "huge.txt", "A very long story", STORY * 400)
    run(settings.with_overrides(max_file_mb=0.1))
    entries = states(es, settings)
    assert entries["council.txt"].state == "indexed"
    assert entries["huge.txt"].state == "rejected" and entries["huge.txt"].stage == "read"
    assert "MB limit" in (entries["huge.txt"].reason or "")


def test_rerun_is_a_no_op_and_force_rewrites_the_same_ids(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    shutil.copy(SEED, src / SEED.name)
    write_story(src, "council.txt", "Springfield votes to expand library")
    run(settings)
    ids = {h["_id"] for h in es.search(index=settings.index_alias, size=10)["hits"]["hits"]}

    again = run(settings)
    assert again["unchanged"] == 2 and again["indexed_docs"] == 0
    forced = run(settings, force=True)
    assert forced["indexed_docs"] == 2
    assert doc_count(es, settings) == 2
    assert {h["_id"] for h in es.search(index=settings.index_alias, size=10)["hits"]["hits"]} == ids


def test_changed_file_replaces_its_document_and_deleted_file_removes_it(
    settings: Settings, es: Elasticsearch
) -> None:
    src = Path(settings.source)
    story = write_story(src, "council.txt", "Springfield votes to expand library")
    write_story(src, "other.txt", "Harbour reopens", STORY.replace("library", "harbour"))
    run(settings)
    old_ids = states(es, settings)["council.txt"].doc_ids

    write_story(src, "council.txt", "Springfield library expansion delayed", STORY.replace("March", "June"))
    os.utime(story, (story.stat().st_atime, story.stat().st_mtime + 10))
    counts = run(settings)
    assert counts["changed"] == 1 and counts["unchanged"] == 1
    new_ids = states(es, settings)["council.txt"].doc_ids
    assert new_ids != old_ids
    assert doc_count(es, settings) == 2
    titles = {h["_source"]["title"] for h in es.search(index=settings.index_alias)["hits"]["hits"]}
    assert "Springfield library expansion delayed" in titles
    assert "Springfield votes to expand library" not in titles

    story.unlink()
    counts = run(settings)
    assert counts["deleted"] == 1 and counts["deleted_docs"] == 1
    assert states(es, settings)["council.txt"].state == "deleted"
    assert doc_count(es, settings) == 1


def test_touched_file_is_not_reprocessed(settings: Settings, es: Elasticsearch) -> None:
    story = write_story(Path(settings.source), "council.txt", "Springfield votes to expand library")
    run(settings)
    os.utime(story, (story.stat().st_atime, story.stat().st_mtime + 100))
    counts = run(settings)
    assert counts["unchanged"] == 1 and counts["indexed_docs"] == 0
    assert states(es, settings)["council.txt"].file.mtime == story.stat().st_mtime


def test_copied_file_is_recognised_by_content_and_never_duplicated(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    write_story(src, "council.txt", "Springfield votes to expand library")
    run(settings)
    shutil.copy(src / "council.txt", src / "council-copy.txt")
    run(settings)
    entries = states(es, settings)
    assert entries["council-copy.txt"].same_content_as == "council.txt"
    assert entries["council-copy.txt"].doc_ids == entries["council.txt"].doc_ids
    assert doc_count(es, settings) == 1

    (src / "council.txt").unlink()  # the copy still produces the document: it must stay
    counts = run(settings)
    assert counts["deleted"] == 1 and counts["deleted_docs"] == 0
    assert doc_count(es, settings) == 1


def test_copies_in_other_batches_count_as_one_document(settings: Settings, es: Elasticsearch) -> None:
    """Three files with one story, each in a batch of its own, and one other story: four files indexed,
    two documents written (the report counts documents as the index holds them, not once per file)."""
    src = Path(settings.source)
    write_story(src, "a.txt", "Springfield votes to expand library")
    for name in ("b.txt", "c.txt"):
        shutil.copy(src / "a.txt", src / name)
    write_story(src, "d.txt", "Shelbyville opens a new bridge", "The bridge over the river opened on Monday.")
    counts = run(settings.with_overrides(batch_size=1))
    assert counts["indexed_files"] == 4 and counts["documents"] == 4
    assert counts["indexed_docs"] == doc_count(es, settings) == 2
    assert run(settings, force=True)["indexed_docs"] == 2  # rewritten, still two documents


def test_renamed_file_keeps_one_document(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    write_story(src, "council.txt", "Springfield votes to expand library")
    run(settings)
    (src / "council.txt").rename(src / "2024-council.txt")
    counts = run(settings)
    assert counts["deleted_docs"] == 0
    entries = states(es, settings)
    assert entries["council.txt"].state == "deleted"
    assert entries["council.txt"].reason == "renamed or moved to 2024-council.txt"
    assert entries["2024-council.txt"].state == "indexed"
    assert doc_count(es, settings) == 1
    hit = es.search(index=settings.index_alias)["hits"]["hits"][0]["_source"]
    assert hit["source"]["path"] == "2024-council.txt"


def test_dry_run_writes_nothing(settings: Settings, es: Elasticsearch) -> None:
    write_story(Path(settings.source), "council.txt", "Springfield votes to expand library")
    counts = run(settings, dry_run=True)
    assert counts["new"] == 1 and counts["documents"] == 1
    assert not es.indices.exists_alias(name=settings.index_alias)


def test_ensure_index_is_idempotent(settings: Settings, es: Elasticsearch) -> None:
    ensure_index(es, settings)
    ensure_index(es, settings)
    aliases = es.indices.get_alias(name=settings.index_alias)
    assert list(aliases) == [f"{settings.index_alias}-v1"]


def test_unreachable_elasticsearch_is_transient(settings: Settings) -> None:
    from local_es import free_port

    dead = Settings(es_url=f"http://127.0.0.1:{free_port()}", index_alias="x", request_timeout=2)
    with pytest.raises(TransientError):
        ensure_index(connect(dead), dead)


def test_wrong_password_is_terminal(settings: Settings) -> None:
    wrong = settings.with_overrides(es_password="not-the-password")
    with pytest.raises(TerminalError, match="401"):
        ensure_index(connect(wrong), wrong)


def test_an_emptied_source_deletes_nothing_and_fails_the_run_loudly(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    for n in range(4):
        write_story(src, f"story-{n}.txt", f"Story number {n}", STORY.replace("library", f"library {n}"))
    run(settings)
    for path in src.iterdir():  # an unmounted share looks like this
        path.unlink()

    refused = run_once(settings, "t-mass-1", RunOptions(), workers=1)
    assert refused.state == "failed" and refused.reason and refused.counts
    assert "refused to delete the documents of 4 of the 4 indexed files" in refused.reason
    assert refused.counts.deleted_docs == 0 and refused.counts.deleted == 0
    assert doc_count(es, settings) == 4
    assert all(e.state == "indexed" for e in states(es, settings).values())
    stored = es.get(index=settings.runs_index, id="t-mass-1")["_source"]
    assert stored["state"] == "failed" and "refused" in stored["reason"]

    kept = run(settings, delete_missing=False)  # told to keep them: a success that deletes nothing
    assert kept["deleted"] == 0 and doc_count(es, settings) == 4

    allowed = run(settings, allow_mass_delete=True)
    assert allowed["deleted"] == 4 and allowed["deleted_docs"] == 4
    assert doc_count(es, settings) == 0


def test_deleting_a_minority_of_files_needs_no_switch(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    for n in range(4):
        write_story(src, f"story-{n}.txt", f"Story number {n}", STORY.replace("library", f"library {n}"))
    run(settings)
    (src / "story-0.txt").unlink()
    (src / "story-1.txt").unlink()
    assert run(settings)["deleted_docs"] == 2  # half: not more than INGEST_MAX_DELETE_SHARE


def test_batches_grow_so_their_number_stays_under_the_cap(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    for n in range(30):
        (src / f"note-{n:02d}.txt").write_text(f"Note {n}\n\n{STORY.replace('library', f'library number {n}')}\n")
    report = run_once(settings.with_overrides(batch_size=1, max_batches=4), "t-cap", RunOptions(), workers=1)
    assert report.state == "success" and report.counts, report.reason
    assert report.counts.batches == 4
    assert report.counts.indexed_files == 30 and doc_count(es, settings) == 30
    es.indices.refresh(index=settings.manifests_index)
    assert es.count(index=settings.manifests_index)["count"] == 0  # the run's manifest is dropped


def distinct_story(n: int) -> str:
    """A story of its own (no near-duplicate of another: copies would share a story_id by arrival order)."""
    words = ["council", "harbour", "river", "school", "minister", "railway", "festival", "court", "market",
             "hospital", "bridge", "museum", "election", "storm", "budget", "factory", "airport", "park"]
    rng = random.Random(n)
    sentences = [" ".join(rng.choice(words) for _ in range(12)).capitalize() + "." for _ in range(8)]
    return f"Officials in the town of Example said on Tuesday: {' '.join(sentences)}"


def test_worker_processes_give_the_same_index_as_one_process(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    shutil.copy(SEED, src / SEED.name)
    for n in range(12):
        write_story(src, f"story-{n:02d}.txt", f"Story number {n}", distinct_story(n))
    (src / "broken.json").write_text("{")
    single = settings.with_overrides(index_alias=settings.index_alias + "-one", batch_size=3)
    pooled = settings.with_overrides(batch_size=3)
    one = run_once(single, "t-one", RunOptions(), workers=1)
    two = run_once(pooled, "t-two", RunOptions(), workers=2)
    assert one.counts == two.counts and two.counts and two.counts.batches == 6  # 14 files by ~3, a multiple of 2

    def documents(s: Settings) -> dict[str, dict[str, Any]]:
        es.indices.refresh(index=s.index_alias)
        hits = es.search(index=s.index_alias, size=100)["hits"]["hits"]
        return {h["_id"]: {k: v for k, v in h["_source"].items() if k != "ingested_at"} for h in hits}

    assert documents(single) == documents(pooled) and len(documents(pooled)) == 13


def test_a_killed_runs_report_is_closed_by_the_next_run_and_a_live_ones_is_not(
    settings: Settings, es: Elasticsearch
) -> None:
    """An `ingest run` names its process in its report; the next run closes the reports of runs whose
    process is gone, and leaves alone a live one, one from another machine and one from Airflow."""
    import socket
    import subprocess
    import sys

    ensure_index(es, settings)
    here = socket.gethostname()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "ingest", "run"])
    try:
        reports = {
            "killed": {"host": here, "pid": int(dead.stdout)},
            "live": {"host": here, "pid": live.pid},
            "elsewhere": {"host": f"not-{here}", "pid": int(dead.stdout)},
            "airflow": None,
        }
        for name, owner in reports.items():
            es.index(index=settings.runs_index, id=name, refresh=True, document={
                "run_id": name, "state": "running", "started_at": "2026-01-01T00:00:00+00:00",
                **({"owner": owner} if owner else {})})
        write_story(Path(settings.source), "council.txt", "Springfield votes to expand library")
        run(settings)
        es.indices.refresh(index=settings.runs_index)
        after = {name: es.get(index=settings.runs_index, id=name)["_source"] for name in reports}
    finally:
        live.kill()
        live.wait()
    assert after["killed"]["state"] == "failed" and after["killed"]["finished_at"]
    assert after["killed"]["reason"].startswith(f"interrupted: its process ({int(dead.stdout)} on {here}) ended")
    assert {name: r["state"] for name, r in after.items() if name != "killed"} == {
        "live": "running", "elsewhere": "running", "airflow": "running"}
