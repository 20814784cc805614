"""Batch manifests: which files each batch of a run holds, kept in Elasticsearch (`<alias>-manifests`).

Discovery writes one manifest entry per file to process (`process`, numbered in path order) and one per
ledger entry to retire at the end of the run (`retire`: files gone from the source, or now skipped).
Tasks receive only a `BatchRef` — run id, batch number, a range of entry numbers — so XCom stays small
whatever the corpus, and any worker on any machine reads its files from here. A run's entries are
dropped when it finishes; leftovers of a crashed run are dropped by the next run of the same root.
A dry run in one process keeps its manifest in temporary files of its own (`LocalManifest`): it writes
nothing to Elasticsearch, and holds no listing in memory either.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import IO, Any, Protocol

from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan

from ingest.index import bulk_actions, classified_errors, ensure_plain_indices, pages
from ingest.ledger import Change, LedgerEntry, State
from ingest.records import SeedFile

PAGE = 1000
FLUSH = 500
LEFTOVER_AGE = 2 * 86400  # seconds after which a crashed run's manifest entries are dropped

MAPPING_FILE = "manifests.index.json"  # in ingest/mappings/, like every other index's mapping


@dataclass(frozen=True)
class BatchRef:
    """What a `process_batch` task receives: manifest entries `start` ≤ seq < `stop` of run `run_id`."""

    run_id: str
    number: int
    start: int
    stop: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchRef:
        return cls(run_id=str(data["run_id"]), number=int(data["number"]), start=int(data["start"]),
                   stop=int(data["stop"]))


@dataclass(frozen=True)
class Planned:
    """A file a batch must read."""

    file: SeedFile
    change: Change


@dataclass(frozen=True)
class Retirement:
    """A ledger entry to retire when the run ends: `state` is what it becomes (deleted, or skipped with
    `reason`), and its documents go unless another file still produces them."""

    entry: LedgerEntry
    state: State
    reason: str


class SizeMarks:
    """The running total of the planned files' bytes, sampled every `step` files — the step doubles
    whenever more than `limit` samples would be kept, so memory stays flat whatever the corpus. Enough to
    cut batches of about equal bytes (to within one step of files): text length, not file count, is what a
    batch costs, and files in path order come in runs of long or short ones (one folder per section)."""

    def __init__(self, limit: int = 4096) -> None:
        self.limit, self.step, self.count, self.total = limit, 1, 0, 0
        self.marks = [0]  # marks[k]: bytes of the files numbered below k * step

    def add(self, size: int) -> None:
        self.total += max(0, size)
        self.count += 1
        if self.count % self.step == 0:
            self.marks.append(self.total)
            if len(self.marks) > self.limit:
                self.marks, self.step = self.marks[::2], self.step * 2

    def cuts(self, count: int) -> list[int]:
        """File numbers at which to start batches 2..`count` so each holds about total/count bytes."""
        starts: list[int] = []
        for i in range(1, count):
            k = bisect.bisect_left(self.marks, self.total * i / count)
            start = min(k * self.step, self.count - 1)
            if start > (starts[-1] if starts else 0):
                starts.append(start)
        return starts


def batch_refs(run_id: str, planned: int, batch_size: int, max_batches: int, slots: int = 1, *,
               sizes: SizeMarks | None = None) -> list[BatchRef]:
    """Cut `planned` files (in path order) into batches of about `batch_size`: never more than
    `max_batches` (Airflow maps at most `[core] max_map_length` tasks: batches grow instead), a multiple
    of the `slots` that run at once where that fits (no core idles through a last, lonely batch), and of
    about one size: equal bytes when the files' `sizes` are known and no batch then holds more than
    `batch_size` files (twice an equal share, when `max_batches` made them grow), else equal counts."""
    if planned <= 0:
        return []
    count = min(max(1, max_batches), math.ceil(planned / max(1, batch_size)))
    if count > 1 and slots > 1:
        count = min(max(1, max_batches), planned, math.ceil(count / slots) * slots)
    share = math.ceil(planned / count)
    starts = list(range(0, planned, share))
    if sizes is not None and sizes.count == planned and sizes.total > 0:
        by_bytes = [0, *sizes.cuts(count)]
        limit = batch_size if share <= batch_size else 2 * share  # grown batches: about equal, no more
        if max(b - a for a, b in itertools.pairwise([*by_bytes, planned])) <= limit:
            starts = by_bytes
    stops = [*starts[1:], planned]
    return [BatchRef(run_id, n, start, stop) for n, (start, stop) in enumerate(zip(starts, stops, strict=True))]


class Manifest(Protocol):
    sizes: SizeMarks

    @property
    def planned(self) -> int: ...
    @property
    def retiring(self) -> int: ...

    def plan(self, item: Planned) -> None: ...
    def retire(self, item: Retirement) -> None: ...
    def flush(self) -> None: ...
    def batch(self, ref: BatchRef) -> Iterator[Planned]: ...
    def retirements(self) -> Iterator[Retirement]: ...
    def drop(self) -> None: ...


class EsManifest:
    """The manifest of one run in Elasticsearch. `counts` = (planned, retiring) when reopened by a task."""

    def __init__(self, es: Elasticsearch, index: str, run_id: str, root: str, counts: tuple[int, int]) -> None:
        self.es, self.index, self.run_id, self.root = es, index, run_id, root
        self.planned, self.retiring = counts
        self.sizes = SizeMarks()  # of the files this process planned (discovery)
        self._pending: list[dict[str, Any]] = []

    def create(self) -> None:
        """Create the index if needed and drop what runs of this root that crashed days ago left behind
        (a run that is still going, say `ingest run` beside the DAG, keeps its own)."""
        ensure_plain_indices(self.es, [(self.index, MAPPING_FILE)])
        leftovers = {"bool": {"filter": [{"term": {"root": self.root}},
                                         {"range": {"created": {"lt": int(time.time() - LEFTOVER_AGE)}}}],
                              "must_not": [{"term": {"run_id": self.run_id}}]}}
        self._delete_matching(leftovers)

    def plan(self, item: Planned) -> None:
        self._add("p", self.planned, _planned_item(item))
        self.planned += 1
        self.sizes.add(item.file.size)

    def retire(self, item: Retirement) -> None:
        self._add("r", self.retiring, _retirement_item(item))
        self.retiring += 1

    def _add(self, kind: str, seq: int, item: dict[str, Any]) -> None:
        self._pending.append({"_op_type": "index", "_index": self.index, "_id": f"{self.run_id}:{kind}:{seq}",
                              "_source": {"run_id": self.run_id, "root": self.root, "kind": kind, "seq": seq,
                                          "created": int(time.time()), "item": item}})
        if len(self._pending) >= FLUSH:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        actions, self._pending = self._pending, []
        failed = [o for o in bulk_actions(self.es, actions, "writing the batch manifests") if not o.ok]
        if failed:
            from ingest.errors import TerminalError

            raise TerminalError(f"writing the batch manifests: {failed[0].doc_id}: {failed[0].error}")
        with classified_errors("refreshing the batch manifests"):
            self.es.indices.refresh(index=self.index)

    def store_start(self, doc: dict[str, Any]) -> None:
        """What discovery found, for a run that stores no run report (a dry run under Airflow): its report
        task reads it back with `stored_start`, and `drop` deletes it with the rest."""
        with classified_errors("storing the batch manifest"):
            self.es.index(index=self.index, id=f"{self.run_id}:start", refresh=True, document={
                "run_id": self.run_id, "root": self.root, "kind": "start", "created": int(time.time()), "item": doc})

    @staticmethod
    def stored_start(es: Elasticsearch, index: str, run_id: str) -> dict[str, Any]:
        with classified_errors("reading the batch manifest"):
            found = es.options(ignore_status=404).get(index=index, id=f"{run_id}:start")
        return dict(found["_source"]["item"]) if found.get("found") else {}

    def batch(self, ref: BatchRef) -> Iterator[Planned]:
        yield from map(_planned, self._read("p", {"gte": ref.start, "lt": ref.stop}))

    def retirements(self) -> Iterator[Retirement]:
        yield from map(_retirement, self._read("r", None))

    def _read(self, kind: str, seq_range: dict[str, int] | None) -> Iterator[dict[str, Any]]:
        filters: list[dict[str, Any]] = [{"term": {"run_id": self.run_id}}, {"term": {"kind": kind}}]
        if seq_range:
            filters.append({"range": {"seq": seq_range}})
        for hits in pages(self.es, self.index, query={"bool": {"filter": filters}}, sort=[{"seq": "asc"}],
                          what="reading the batch manifest", size=PAGE):
            yield from (h["_source"]["item"] for h in hits)

    def drop(self) -> None:
        """Delete this run's entries (their ids are known: no search needed), made one at a time as the
        bulk requests take them."""
        ids = itertools.chain((f"{self.run_id}:p:{n}" for n in range(self.planned)),
                              (f"{self.run_id}:r:{n}" for n in range(self.retiring)), [f"{self.run_id}:start"])
        self._delete_ids(ids)

    def _delete_matching(self, query: dict[str, Any]) -> None:
        with classified_errors("cleaning the batch manifests"):
            ids = (h["_id"] for h in scan(self.es, index=self.index, query={"query": query, "_source": False},
                                          size=PAGE))
            self._delete_ids(ids)

    def _delete_ids(self, ids: Iterable[str]) -> None:
        actions = ({"_op_type": "delete", "_index": self.index, "_id": i} for i in ids)
        for _ in bulk_actions(self.es, actions, "cleaning the batch manifests"):
            pass


class LocalManifest:
    """A dry run's manifest in one process: the same entries as `EsManifest`, one JSON line each in two
    temporary files (deleted when closed), with the offset of every `MARK`-th planned entry kept to find a
    batch's first line. Nothing is written to Elasticsearch; memory stays flat whatever the corpus."""

    MARK = 1024

    def __init__(self) -> None:
        self.planned = self.retiring = 0
        self.sizes = SizeMarks()
        self._plans: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by drop()
        self._retires: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by drop()
        self._marks: list[int] = []  # _marks[k]: where entry k * MARK starts

    def plan(self, item: Planned) -> None:
        if self.planned % self.MARK == 0:
            self._marks.append(self._plans.tell())
        self._plans.write(_line(_planned_item(item)))
        self.planned += 1
        self.sizes.add(item.file.size)

    def retire(self, item: Retirement) -> None:
        self._retires.write(_line(_retirement_item(item)))
        self.retiring += 1

    def flush(self) -> None:
        self._plans.flush()
        self._retires.flush()

    def batch(self, ref: BatchRef) -> Iterator[Planned]:
        start, stop = max(0, ref.start), min(ref.stop, self.planned)
        if start >= stop:
            return
        self._plans.flush()
        self._plans.seek(self._marks[start // self.MARK])
        lines = itertools.islice(self._plans, start % self.MARK, start % self.MARK + stop - start)
        items = [json.loads(line) for line in lines]  # read whole before yielding: the file's position is shared
        self._plans.seek(0, 2)
        yield from map(_planned, items)

    def retirements(self) -> Iterator[Retirement]:
        self._retires.flush()
        self._retires.seek(0)
        position = 0
        while True:  # re-seek before each line: the caller may read them again meanwhile
            self._retires.seek(position)
            line = self._retires.readline()
            if not line:
                break
            position = self._retires.tell()
            yield _retirement(json.loads(line))
        self._retires.seek(0, 2)

    def drop(self) -> None:
        self._plans.close()
        self._retires.close()


def _line(item: dict[str, Any]) -> bytes:
    return json.dumps(item, separators=(",", ":")).encode() + b"\n"


def _planned_item(item: Planned) -> dict[str, Any]:
    return {"file": asdict(item.file), "change": item.change}


def _planned(item: dict[str, Any]) -> Planned:
    return Planned(SeedFile(**item["file"]), item["change"])


def _retirement_item(item: Retirement) -> dict[str, Any]:
    return {"entry": item.entry.to_dict(), "state": item.state, "reason": item.reason}


def _retirement(item: dict[str, Any]) -> Retirement:
    return Retirement(LedgerEntry.from_dict(item["entry"]), item["state"], item["reason"])
