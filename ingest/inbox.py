"""The inbox (`<alias>-inbox`): files a watcher announced, waiting for an event run (docs/architecture.md,
"Freshness").

    watcher (triggerer) ─ announce(paths) ─▶ inbox ─ take() ─▶ event run: discover the announced paths only

One document per announced file, its id the file's ledger key (root + path), so announcing a file twice
before a run takes it leaves one entry. An event run reads the root's entries in path order (a point in
time, a page at a time: memory stays flat whatever the burst) and, once a page is planned into its
manifest, deletes exactly the versions it read (`if_seq_no`): a file announced again meanwhile stays for
the next run. Beside the files, one `watermark` document per root says up to when the watcher has seen
everything, so a watcher that was down catches up on what arrived meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from ingest.config import Settings
from ingest.index import bulk_actions, classified_errors, ensure_plain_indices, pages
from ingest.ledger import entry_id

PAGE = 1000


@dataclass(frozen=True)
class Announced:
    """One inbox entry as an event run read it: the version (`seq_no`, `primary_term`) is what it deletes."""

    path: str
    seq_no: int
    primary_term: int


def ensure(es: Elasticsearch, settings: Settings) -> None:
    """The inbox index exists (a watcher may start before the alias's first run)."""
    ensure_plain_indices(es, [(settings.inbox_index, "inbox.index.json")])


def announce(es: Elasticsearch, settings: Settings, root: str, paths: Iterable[str]) -> int:
    """Put these files (paths relative to `root`) in the inbox and make them visible to the next search."""
    now = int(time.time() * 1000)
    actions = ({"_op_type": "index", "_index": settings.inbox_index, "_id": entry_id(root, p),
                "_source": {"kind": "file", "root": root, "path": p, "announced_at": now}} for p in paths)
    written = sum(1 for outcome in bulk_actions(es, actions, "announcing files in the inbox") if outcome.ok)
    with classified_errors("refreshing the inbox"):
        es.indices.refresh(index=settings.inbox_index)
    return written


def waiting(es: Elasticsearch, settings: Settings, root: str) -> int:
    """How many announced files of `root` no run has taken yet."""
    with classified_errors("reading the inbox"):
        found = es.options(ignore_status=404).count(index=settings.inbox_index, query=_files_of(root))
    return int(found.get("count", 0))


def take(es: Elasticsearch, settings: Settings, root: str) -> Iterator[list[Announced]]:
    """The announced files of `root` in path order, a page at a time (read with a point in time, so the
    pages do not shift while the caller deletes what it took)."""
    for hits in pages(es, settings.inbox_index, query=_files_of(root), sort=[{"path": "asc"}], what="reading the inbox",
                      size=PAGE, seq_no_primary_term=True, source_includes=["path"]):
        yield [Announced(h["_source"]["path"], int(h["_seq_no"]), int(h["_primary_term"])) for h in hits]


def settle(es: Elasticsearch, settings: Settings, root: str, taken: Iterable[Announced]) -> None:
    """Delete the entries a run took, each only in the version it read: one announced again since (409)
    stays for the next run. Refreshed, so `waiting` (the watcher's next-run check, `ingest status`) no
    longer counts them."""
    actions = ({"_op_type": "delete", "_index": settings.inbox_index, "_id": entry_id(root, a.path),
                "if_seq_no": a.seq_no, "if_primary_term": a.primary_term} for a in taken)
    for _ in bulk_actions(es, actions, "clearing the inbox"):
        pass
    with classified_errors("refreshing the inbox"):
        es.indices.refresh(index=settings.inbox_index)


def watermark(es: Elasticsearch, settings: Settings, root: str) -> float | None:
    """Up to when (epoch seconds) the watcher of `root` had announced everything; None if it never ran."""
    with classified_errors("reading the watcher's watermark"):
        found = es.options(ignore_status=404).get(index=settings.inbox_index, id=_watermark_id(root))
    return float(found["_source"]["watermark"]) if found.get("found") else None


def set_watermark(es: Elasticsearch, settings: Settings, root: str, when: float) -> None:
    with classified_errors("storing the watcher's watermark"):
        es.index(index=settings.inbox_index, id=_watermark_id(root),
                 document={"kind": "watermark", "root": root, "watermark": when})


def _watermark_id(root: str) -> str:
    return "watermark:" + entry_id(root, "")


def _files_of(root: str) -> dict[str, Any]:
    return {"bool": {"filter": [{"term": {"kind": "file"}}, {"term": {"root": root}}]}}
