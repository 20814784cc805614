"""The ledger: one entry per source file, in Elasticsearch (DESIGN.md §6).

It makes a run incremental (unchanged files are not read again), a re-run a no-op, a changed file
re-indexed with its stale documents removed, a deleted file's documents removed, a copied file
recognisable by content, and every rejection visible with its stage and reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan

from ingest.config import Settings
from ingest.index import bulk_actions, classified_errors
from ingest.records import SeedFile

State = Literal["indexed", "rejected", "skipped", "deleted"]
Change = Literal["new", "changed", "unchanged", "gone"]


@dataclass(frozen=True)
class RecordRejection:
    record: int | None
    stage: str
    reason: str


@dataclass(frozen=True)
class LedgerEntry:
    root: str
    path: str
    size: int
    mtime: float
    sha256: str
    state: State
    pipeline_version: str
    format: str | None = None
    stage: str | None = None
    reason: str | None = None
    attempts: int = 0
    doc_ids: tuple[str, ...] = ()
    rejected_records: tuple[RecordRejection, ...] = ()
    same_content_as: str | None = None
    last_run_id: str | None = None
    updated_at: str | None = None

    @property
    def key(self) -> str:
        return entry_id(self.root, self.path)

    def to_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["doc_ids"] = list(self.doc_ids)
        doc["rejected_records"] = [asdict(r) for r in self.rejected_records]
        return doc

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> LedgerEntry:
        known = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        known["doc_ids"] = tuple(doc.get("doc_ids") or ())
        known["rejected_records"] = tuple(RecordRejection(**r) for r in doc.get("rejected_records") or ())
        return cls(**known)


def entry_id(root: str, path: str) -> str:
    return hashlib.sha256(f"{root}\x00{path}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class FileChange:
    seed: SeedFile
    change: Change
    previous: LedgerEntry | None = None


@dataclass
class Plan:
    """What a run has to do, file by file."""

    to_process: list[FileChange] = field(default_factory=list)
    unchanged: list[FileChange] = field(default_factory=list)
    gone: list[LedgerEntry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "discovered": len(self.to_process) + len(self.unchanged),
            "new": sum(1 for c in self.to_process if c.change == "new"),
            "changed": sum(1 for c in self.to_process if c.change == "changed"),
            "unchanged": len(self.unchanged),
            "gone": len(self.gone),
        }


def load_entries(es: Elasticsearch, settings: Settings, root: str) -> dict[str, LedgerEntry]:
    """Every ledger entry for files under `root`, keyed by path (none before the first run)."""
    with classified_errors("reading the ledger"):
        if not es.indices.exists(index=settings.ledger_index):
            return {}
        hits = scan(es, index=settings.ledger_index, query={"query": {"term": {"root": root}}}, size=1000)
        return {e.path: e for e in (LedgerEntry.from_dict(h["_source"]) for h in hits)}


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


def plan_run(
    files: Iterable[SeedFile], entries: dict[str, LedgerEntry], version: str, force: bool, hasher: Any
) -> Plan:
    """Compare listed files with the ledger. `hasher(seed) -> sha256` is called only when needed."""
    plan = Plan()
    seen: set[str] = set()
    for seed in files:
        seen.add(seed.path)
        previous = entries.get(seed.path)
        live = previous is not None and previous.state != "deleted"
        if previous is None or not live:
            plan.to_process.append(FileChange(replace(seed, sha256=hasher(seed)), "new", previous))
            continue
        same_stat = previous.size == seed.size and previous.mtime == seed.mtime
        hashed = replace(seed, sha256=previous.sha256 if same_stat else hasher(seed))
        if force or hashed.sha256 != previous.sha256 or previous.pipeline_version != version:
            plan.to_process.append(FileChange(hashed, "changed", previous))
        else:
            plan.unchanged.append(FileChange(hashed, "unchanged", previous))
    plan.gone = [e for path, e in entries.items() if path not in seen and e.state != "deleted"]
    return plan


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
        for hit in scan(es, index=settings.ledger_index, query={"query": query}, size=1000):
            owned.update(hit["_source"].get("doc_ids") or ())
    return owned & doc_ids
