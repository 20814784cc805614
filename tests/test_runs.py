"""Rejection kinds end to end, run reports (`ingest.runs`) and the run's writer (`ingest.writes`).

The unit tests need no server; the others run on the session's real Elasticsearch."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from hostile import cases, story_json

from ingest import errors, index, ledger, runs
from ingest.config import Settings
from ingest.counts import RunCounts
from ingest.extract import extract_file
from ingest.ledger import LedgerEntry
from ingest.pipeline import RunOptions, run_once
from ingest.records import SeedFile
from ingest.runs import Owner, RunReport
from ingest.writes import DryRunWriter

STORY = ("The council voted on Tuesday to expand the central library, a project residents have asked for "
         "since 2015. Mayor Jane Holloway said the new wing would open in March next year. ") * 3


# ------------------------------------------------------------------------------------------ kinds (unit)
def test_every_rejection_class_has_its_own_snake_case_kind() -> None:
    classes = [errors.Rejected]
    for cls in classes:
        classes.extend(cls.__subclasses__())
    kinds = [cls.kind for cls in classes]
    assert len(kinds) == len(set(kinds)), Counter(kinds).most_common(3)
    assert all(re.fullmatch(r"[a-z]+(?:_[a-z]+)*", k) for k in kinds), kinds
    assert errors.rejection_kinds().keys() == set(kinds)
    stages = set(errors.Stage.__args__)  # type: ignore[attr-defined]
    assert all(cls.stage in stages for cls in classes)


def test_every_hostile_rejection_carries_the_kind_of_its_class() -> None:
    known = errors.rejection_kinds()
    seen: Counter[str] = Counter()
    for case in cases():
        for rejection in extract_file(case.name, case.data).rejections:
            assert rejection.kind in known, (case.name, rejection)
            assert known[rejection.kind].stage == rejection.stage, (case.name, rejection)
            assert rejection.to_dict()["rejected"]["kind"] == rejection.kind
            seen[rejection.kind] += 1
    # the corpus exercises many kinds, each a group a person would name (not one kind for everything)
    assert {"empty_file", "binary_content", "json_too_deep", "invalid_json", "decompressed_too_large"} <= set(seen)
    assert len(seen) >= 8, seen


def test_counts_add_up_by_kind_and_survive_json() -> None:
    a = RunCounts(rejected=2, rejected_by_kind={"empty_file": 1, "invalid_json": 1})
    b = RunCounts(rejected=1, indexed_files=3, rejected_by_kind={"empty_file": 1})
    total = a + b
    assert total.rejected == 3 and total.rejected_by_kind == {"empty_file": 2, "invalid_json": 1}
    assert RunCounts.from_dict(total.to_dict()) == total
    assert "rejected_by_kind" not in total.numbers() and total.numbers()["indexed_files"] == 3
    assert RunCounts.from_dict({"rejected": 4}).rejected_by_kind == {}  # a report older than kinds


def test_an_old_ledger_entry_without_a_kind_still_reads() -> None:
    old = {"root": "/r", "path": "a.json", "size": 3, "mtime": 1.0, "sha256": "x", "state": "rejected",
           "pipeline_version": "4", "stage": "parse", "reason": "invalid JSON",
           "rejected_records": [{"record": 2, "stage": "parse", "reason": "line 3: invalid JSON"}]}
    entry = LedgerEntry.from_dict(old)
    assert entry.kind is None and entry.rejected_records[0].kind is None
    assert entry.to_dict()["kind"] is None


def test_a_dry_run_writer_records_and_counts() -> None:
    writer = DryRunWriter()
    entry = LedgerEntry(file=SeedFile("a.txt", "/r", 1, 1.0), state="rejected", pipeline_version="5",
                        stage="read", reason="file is empty", kind="empty_file")
    assert writer.write_ledger([entry, entry]) == 2
    assert writer.delete_articles(iter(["x", "y", "z"])) == 3
    assert writer.would_write() == {"deleted_articles": 3, "ledger_entries": 2}
    assert writer.sample["ledger_entries"] == ["rejected a.txt"] * 2


# ------------------------------------------------------------------------------------------ with Elasticsearch
def test_a_run_report_round_trips_through_elasticsearch(settings: Settings, es: Elasticsearch) -> None:
    index.ensure_index(es, settings)
    report = RunReport(
        run_id="t-round", state="running", source="/seeds", index=settings.index_alias, mode="events",
        pipeline_version="5", started_at="2026-01-02T03:04:05+00:00",
        discovery=RunCounts(discovered=4, new=4, batches=1), planned=4, retiring=1, indexed_before=7,
        problems=("a folder could not be listed",), owner=Owner("host-a", 4242))
    runs.store(es, settings, report)
    assert runs.load(es, settings, "t-round") == report
    assert runs.load(es, settings, "no-such-run") is None
    done = report.finished(state="failed", reason="1 of 1 batches failed", trigger="cli",
                           counts=RunCounts(rejected=2, rejected_by_kind={"too_long": 2}))
    runs.store(es, settings, done)
    es.indices.refresh(index=settings.runs_index)
    assert runs.load(es, settings, "t-round") == done
    assert runs.latest(es, settings) == done and done.failed


def test_a_dry_run_records_its_writes_and_writes_nothing(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    (src / "council.txt").write_text(f"Springfield votes to expand library\n\n{STORY}\n")
    (src / "feed.json").write_bytes(story_json(STORY + " Two."))
    (src / "empty.txt").write_text("")
    (src / "broken.json").write_text('{"title": ')
    writer = DryRunWriter()
    report = run_once(settings, "t-dry", RunOptions(dry_run=True), workers=1, writer=writer)
    assert report.state == "success" and report.dry_run, report.reason
    assert report.would_write == writer.would_write()
    assert writer.counts["articles"] == 2 and writer.counts["ledger_entries"] == 4
    assert writer.counts["run_reports"] == 2  # the start and the end
    assert report.counts is not None and report.counts.rejected_by_kind == {"empty_file": 1, "invalid_json": 1}
    existing = [name for name in (settings.index_alias, settings.ledger_index, settings.runs_index)
                if es.indices.exists(index=name)]
    assert existing == []  # nothing written: not even the indices exist


def test_a_runs_counts_by_kind_match_the_ledgers_kinds(settings: Settings, es: Elasticsearch) -> None:
    src = Path(settings.source)
    for case in cases():
        (src / case.name).write_bytes(case.data)
    (src / "good.txt").write_text(f"Good story one\n\n{STORY}\n")
    report = run_once(settings, "t-kinds", RunOptions(), workers=1)
    assert report.state == "success", report.reason
    assert report.counts is not None
    entries = list(ledger.all_entries(es, settings))
    by_kind = Counter(e.kind for e in entries if e.state == "rejected")
    assert None not in by_kind, "every rejected file has a kind"
    assert report.counts.rejected_by_kind == dict(by_kind)
    assert sum(by_kind.values()) == report.counts.rejected
    assert ledger.kind_counts(es, settings) == dict(by_kind)
    stored = runs.load(es, settings, "t-kinds")
    assert stored is not None and stored.counts == report.counts


@pytest.mark.parametrize("name", ["ledger.index.json"])
def test_an_existing_ledger_gains_the_kind_field(settings: Settings, es: Elasticsearch, name: str) -> None:
    spec = index.load_mapping(name)
    old = {k: v for k, v in spec["mappings"]["properties"].items() if k != "kind"}
    records = old["rejected_records"]["properties"]
    old["rejected_records"] = {"properties": {k: v for k, v in records.items() if k != "kind"}}
    es.indices.create(index=settings.ledger_index, settings=spec["settings"],
                      mappings={**spec["mappings"], "properties": old})
    index.ensure_index(es, settings)
    live = es.indices.get_mapping(index=settings.ledger_index)[settings.ledger_index]["mappings"]["properties"]
    assert live["kind"] == {"type": "keyword"}
    assert live["rejected_records"]["properties"]["kind"] == {"type": "keyword"}


def test_pages_read_every_hit_once_while_the_index_is_written(settings: Settings, es: Elasticsearch) -> None:
    """The one point-in-time reader (ledger, inbox, manifests): every document once, in sort order, though
    documents are added and deleted between pages; nothing for a missing index."""
    name = f"{settings.index_alias}-paging"
    assert list(index.pages(es, name, query={"match_all": {}}, sort=[{"n": "asc"}], what="paging")) == []
    es.indices.create(index=name, mappings={"properties": {"n": {"type": "long"}}})
    for n in range(7):
        es.index(index=name, id=str(n), document={"n": n})
    es.indices.refresh(index=name)
    seen: list[int] = []
    for k, hits in enumerate(index.pages(es, name, query={"match_all": {}}, sort=[{"n": "asc"}], what="paging",
                                         size=2)):
        seen += [h["_source"]["n"] for h in hits]
        if k == 0:  # written after the point in time opened: not seen, and the deleted one still is
            es.index(index=name, id="late", document={"n": 3}, refresh=True)
            es.delete(index=name, id="6", refresh=True)
    assert seen == list(range(7))
