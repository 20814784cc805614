"""Discovery: the source listing and the ledger, two streams in path order, merged like a sorted join.

    listing (sources.Listing) ─┐
                               ├─ merge by path ─▶ new / changed / unchanged / skipped / gone
    ledger (stream_entries) ───┘

Memory stays flat whatever the corpus: nothing is collected; files to process go to the batch manifest,
files to retire (gone, or now skipped) to its retire list, ledger updates (skips, touched files) out in
bulk as they come. Only files whose (size, mtime) differ from the ledger's are hashed here; new files are
hashed by their batch, from the bytes it reads anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import TypeVar

from ingest import PIPELINE_VERSION, sources
from ingest.batches import Manifest, Planned, Retirement
from ingest.counts import RunCounts
from ingest.errors import Rejected
from ingest.ledger import LedgerEntry
from ingest.parse import EXTENSIONS, is_seed_file
from ingest.records import SeedFile
from ingest.sources import Listed

log = logging.getLogger(__name__)
FLUSH = 500
T = TypeVar("T")


@dataclass(frozen=True)
class Found:
    """What discovery saw: its counts, how many indexed files the root had, and whether the listing was
    complete (deletions wait for a complete one)."""

    counts: RunCounts
    indexed_before: int
    problems: tuple[str, ...]


def merged(
    listed: Iterable[Listed], entries: Iterable[LedgerEntry]
) -> Iterator[tuple[Listed | None, LedgerEntry | None]]:
    """Pairs (listed, ledger entry) for each path in either stream; both streams are in path order."""
    right = iter(entries)
    entry = next(right, None)
    for item in listed:
        while entry is not None and entry.path < item.file.path:
            yield None, entry
            entry = next(right, None)
        if entry is not None and entry.path == item.file.path:
            yield item, entry
            entry = next(right, None)
        else:
            yield item, None
    while entry is not None:
        yield None, entry
        entry = next(right, None)


class Discovery:
    """Classifies each path and routes it: to the manifest, to the ledger (skips, new stats), or to the
    retire list."""

    def __init__(self, manifest: Manifest, force: bool, run_id: str) -> None:
        self.manifest, self.force, self.run_id = manifest, force, run_id
        self.counts = RunCounts()
        self.indexed_before = 0

    def run(self, listing: sources.Listing, entries: Iterable[LedgerEntry], sink: LedgerSink) -> Found:
        for listed, previous in merged(listing, entries):
            if previous is not None and previous.state == "indexed":
                self.indexed_before += 1
            if listed is None:
                if previous is not None and previous.state != "deleted":
                    self.manifest.retire(Retirement(previous, "deleted", "file no longer in the source"))
                continue
            self._listed(listed, previous, sink)
        sink.flush()
        self.manifest.flush()
        return Found(replace(self.counts, batches=0), self.indexed_before, tuple(listing.problems))

    def run_announced(
        self, listing: sources.Listing, pages: Iterable[list[T]], *, path_of: Callable[[T], str],
        ledger_of: Callable[[list[str]], dict[str, LedgerEntry]], sink: LedgerSink,
        taken: Callable[[list[T]], None],
    ) -> Found:
        """An event run: only the announced paths, a page at a time, each judged by the same rules as in
        a walk (a vanished file is simply not there: an event run deletes nothing). `taken` is told each
        page once its files are safely in the manifest."""
        for page in pages:
            listed = list(listing.entries(path_of(a) for a in page))
            known = ledger_of([item.file.path for item in listed])
            for item in listed:
                self._listed(item, known.get(item.file.path), sink)
            sink.flush()
            self.manifest.flush()
            taken(page)
        return Found(replace(self.counts, batches=0), 0, tuple(listing.problems))

    def _count(self, **changes: int) -> None:
        self.counts = self.counts + RunCounts.from_dict(changes)

    def _listed(self, listed: Listed, previous: LedgerEntry | None, sink: LedgerSink) -> None:
        self._count(discovered=1)
        seed = listed.file
        skip = listed.skip or _type_skip(seed.path)
        live = previous is not None and previous.state != "deleted"
        if skip:
            if live and previous is not None and previous.state == "skipped" and previous.reason == skip \
                    and previous.file.size == seed.size and previous.file.mtime == seed.mtime:
                self._count(unchanged=1)
                return
            self._count(new=0 if live else 1, changed=1 if live else 0, skipped=1)
            if previous is not None and previous.doc_ids:
                self.manifest.retire(Retirement(replace(previous, file=seed), "skipped", skip))
            else:
                sink.add(_skipped(seed, skip, previous, self.run_id))
            return
        if previous is None or not live:
            self._count(new=1)
            self.manifest.plan(Planned(seed, "new"))
            return
        same_stat = previous.file.size == seed.size and previous.file.mtime == seed.mtime
        sha = previous.file.sha256 if same_stat else _hash(seed)
        hashed = replace(seed, sha256=sha)
        if self.force or not sha or sha != previous.file.sha256 or previous.pipeline_version != PIPELINE_VERSION \
                or previous.state == "skipped":
            self._count(changed=1)
            self.manifest.plan(Planned(hashed, "changed"))
            return
        self._count(unchanged=1)
        if previous.file.mtime != seed.mtime or previous.file.size != seed.size:
            sink.add(replace(previous, file=hashed))  # touched: same content, new stat


def _type_skip(path: str) -> str | None:
    if is_seed_file(path):
        return None
    return f"not a seed file type ({PurePosixPath(path).suffix}); supported: {', '.join(EXTENSIONS)}"


def _hash(seed: SeedFile) -> str:
    """'' when the file cannot be read now: it is then processed, and its batch says why it fails."""
    try:
        return sources.sha256_of(seed)
    except Rejected as exc:
        log.info("cannot hash %s: %s", seed.path, exc.reason)
        return ""


def _skipped(seed: SeedFile, reason: str, previous: LedgerEntry | None, run_id: str) -> LedgerEntry:
    return LedgerEntry(file=seed, state="skipped", pipeline_version=PIPELINE_VERSION, stage="discover",
                       reason=reason, attempts=(previous.attempts if previous else 0) + 1, last_run_id=run_id)


class LedgerSink:
    """Ledger entries written in bulk as discovery finds them (through the run's writer: a dry run's records
    them, and writes nothing)."""

    def __init__(self, write: Callable[[list[LedgerEntry]], object]) -> None:
        self._write = write
        self.pending: list[LedgerEntry] = []

    def add(self, entry: LedgerEntry) -> None:
        self.pending.append(entry)
        if len(self.pending) >= FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            entries, self.pending = self.pending, []
            self._write(entries)
