"""The ledger: one entry per source file, in Elasticsearch (docs/architecture.md, "The ledger").

It makes a run incremental (unchanged files are not read again), a re-run a no-op, a changed file
re-indexed with its stale documents removed, a deleted file's documents removed, a copied file
recognisable by content, and every rejection visible with its stage, kind and reason. Entries written
before kinds existed have none (`kind` is None): they still read, and count as kind `unknown`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan

from ingest.config import Settings
from ingest.errors import Stage
from ingest.index import bulk_actions, classified_errors, pages
from ingest.records import SeedFile

State = Literal["indexed", "rejected", "skipped", "deleted"]
Change = Literal["new", "changed", "unchanged", "gone"]


@dataclass(frozen=True)
class RecordRejection:
    record: int | None
    stage: Stage
    reason: str
    kind: str | None = None  # None in entries written before kinds existed


@dataclass(frozen=True)
class LedgerEntry:
    """What became of one source file. Stored flat (the file's stat fields beside the state)."""

    file: SeedFile
    state: State
    pipeline_version: str
    format: str | None = None
    stage: Stage | None = None
    reason: str | None = None
    kind: str | None = None  # of a rejected file (`ingest.errors`); None otherwise, and in older entries
    attempts: int = 0
    doc_ids: tuple[str, ...] = ()
    rejected_records: tuple[RecordRejection, ...] = ()
    same_content_as: str | None = None
    last_run_id: str | None = None
    updated_at: str | None = None

    @property
    def path(self) -> str:
        return self.file.path

    @property
    def root(self) -> str:
        return self.file.root

    @property
    def key(self) -> str:
        return entry_id(self.file.root, self.file.path)

    def to_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc.update(doc.pop("file"))
        doc["doc_ids"] = list(self.doc_ids)
        doc["rejected_records"] = [asdict(r) for r in self.rejected_records]
        return doc

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> LedgerEntry:
        known = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        known["file"] = SeedFile(root=doc["root"], path=doc["path"], size=int(doc.get("size") or 0),
                                 mtime=float(doc.get("mtime") or 0), sha256=doc.get("sha256") or "")
        known["doc_ids"] = tuple(doc.get("doc_ids") or ())
        known["rejected_records"] = tuple(RecordRejection(**r) for r in doc.get("rejected_records") or ())
        return cls(**known)


def entry_id(root: str, path: str) -> str:
    return hashlib.sha256(f"{root}\x00{path}".encode()).hexdigest()[:32]


PAGE = 1000


def stream_entries(es: Elasticsearch, settings: Settings, root: str | None) -> Iterator[LedgerEntry]:
    """Every ledger entry of `root` (None: of every root, root by root) in path order (the listing's order),
    a page at a time, read with a point in time so entries written meanwhile do not shift the pages. None
    before the first run."""
    for hits in pages(es, settings.ledger_index, query={"match_all": {}} if root is None else {"term": {"root": root}},
                      sort=[{"root": "asc"}, {"path": "asc"}], what="reading the ledger", size=PAGE):
        yield from (LedgerEntry.from_dict(h["_source"]) for h in hits)


def state_counts(es: Elasticsearch, settings: Settings) -> dict[str, int]:
    """How many ledger entries are in each state (indexed, rejected, …), counted by Elasticsearch."""
    with classified_errors("reading the ledger"):
        found = es.search(index=settings.ledger_index, size=0, track_total_hits=False,
                          aggs={"states": {"terms": {"field": "state", "size": 100}}})
    return {b["key"]: int(b["doc_count"]) for b in found["aggregations"]["states"]["buckets"]}


UNKNOWN_KIND = "unknown"  # what `kind_counts` calls the rejections of entries older than kinds


def kind_counts(es: Elasticsearch, settings: Settings) -> dict[str, int]:
    """How many rejected files there are of each kind (`empty_file`, `invalid_json`, …), by Elasticsearch."""
    with classified_errors("reading the ledger"):
        found = es.search(index=settings.ledger_index, size=0, track_total_hits=False,
                          query={"term": {"state": "rejected"}},
                          aggs={"kinds": {"terms": {"field": "kind", "size": 200, "missing": UNKNOWN_KIND}}})
    return {b["key"]: int(b["doc_count"]) for b in found["aggregations"]["kinds"]["buckets"]}


def get_entries(es: Elasticsearch, settings: Settings, root: str, paths: Iterable[str]) -> dict[str, LedgerEntry]:
    """The ledger entries of these files (those that have one), keyed by path: one request."""
    ids = [entry_id(root, p) for p in paths]
    if not ids:
        return {}
    with classified_errors("reading the ledger"):
        found = es.options(ignore_status=404).mget(index=settings.ledger_index, ids=ids)
    entries = (LedgerEntry.from_dict(d["_source"]) for d in found.get("docs", []) if d.get("found"))
    return {e.path: e for e in entries}


def all_entries(es: Elasticsearch, settings: Settings) -> Iterator[LedgerEntry]:
    with classified_errors("reading the ledger"):
        for hit in scan(es, index=settings.ledger_index, query={"query": {"match_all": {}}}, size=1000):
            yield LedgerEntry.from_dict(hit["_source"])


def indexed_with_content(es: Elasticsearch, settings: Settings, root: str, shas: Iterable[str]) -> dict[str, str]:
    """sha256 → path of an indexed file of `root` with that content (copies write the same ids)."""
    wanted = sorted({s for s in shas if s})
    if not wanted:
        return {}
    query = {"bool": {"filter": [{"term": {"root": root}}, {"term": {"state": "indexed"}},
                                 {"terms": {"sha256": wanted}}]}}
    found: dict[str, str] = {}
    with classified_errors("reading the ledger"):
        for hit in scan(es, index=settings.ledger_index, query={"query": query, "sort": [{"path": "asc"}]},
                        size=1000, preserve_order=True, ignore_unavailable=True):  # a dry run's first: none yet
            found.setdefault(hit["_source"]["sha256"], hit["_source"]["path"])
    return found


def write_entries(es: Elasticsearch, settings: Settings, entries: Iterable[LedgerEntry]) -> int:
    now = datetime.now(UTC).isoformat()
    actions = (
        {"_op_type": "index", "_index": settings.ledger_index, "_id": e.key,
         "_source": {**e.to_dict(), "updated_at": now}}
        for e in entries
    )
    return sum(1 for outcome in bulk_actions(es, actions, "writing the ledger") if outcome.ok)


def owned_elsewhere(es: Elasticsearch, settings: Settings, doc_ids: set[str], exclude: set[str]) -> set[str]:
    """Those of `doc_ids` that an indexed ledger entry, other than the entries keyed in `exclude`, still
    produces (a copy or a renamed file with the same content): they must not be deleted."""
    if not doc_ids:
        return set()
    query = {"bool": {
        "filter": [{"term": {"state": "indexed"}}, {"terms": {"doc_ids": sorted(doc_ids)}}],
        "must_not": [{"ids": {"values": sorted(exclude)}}],
    }}
    owned: set[str] = set()
    with classified_errors("reading the ledger"):
        for hit in scan(es, index=settings.ledger_index, query={"query": query}, size=1000, ignore_unavailable=True):
            owned.update(hit["_source"].get("doc_ids") or ())
    return owned & doc_ids


def last_written(es: Elasticsearch, settings: Settings, root: str) -> float | None:
    """When (epoch seconds) a run last wrote a ledger entry of `root`; None if none ever did."""
    with classified_errors("reading the ledger"):
        found = es.options(ignore_status=404).search(
            index=settings.ledger_index, size=0, query={"term": {"root": root}},
            aggs={"last": {"max": {"field": "updated_at"}}})
    value = (found.get("aggregations") or {}).get("last", {}).get("value")
    return float(value) / 1000 if value is not None else None


def documents_written(es: Elasticsearch, settings: Settings, run_id: str) -> int:
    """How many distinct documents the files indexed by run `run_id` hold: a document that several files
    produce (copies of one story) counts once, however many batches wrote it."""
    return sum(1 for _ in run_documents(es, settings, run_id))


def run_documents(es: Elasticsearch, settings: Settings, run_id: str) -> Iterator[str]:
    """The distinct ids of the documents the files indexed by run `run_id` hold, in id order. Exact: a
    composite aggregation over the ledger's `doc_ids`, a page of 10,000 ids at a time."""
    query = {"bool": {"filter": [{"term": {"last_run_id": run_id}}, {"term": {"state": "indexed"}}]}}
    composite: dict[str, Any] = {"size": 10_000, "sources": [{"id": {"terms": {"field": "doc_ids"}}}]}
    while True:
        with classified_errors("reading the ledger"):
            page = es.search(index=settings.ledger_index, size=0, query=query, aggs={"ids": {"composite": composite}})
        result = page["aggregations"]["ids"]
        yield from (str(b["key"]["id"]) for b in result["buckets"])
        if not result["buckets"] or "after_key" not in result:
            return
        composite = {**composite, "after": result["after_key"]}
