"""The run's counters: one type, the same names in discovery, batches, dry runs, the run report and
`ingest status` (and the JSON keys of `ingest run --json`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class RunCounts:
    """Files are counted once each; `*_docs` and `rejected_records` count documents (a JSONL file
    holds several)."""

    discovered: int = 0  # files listed under the source (skipped ones included)
    new: int = 0  # listed files the ledger did not know
    changed: int = 0  # content (or pipeline version) differs from the ledger's, or --force
    unchanged: int = 0  # not read again
    rejected: int = 0  # files processed that produced no indexed document, each with a reason
    skipped: int = 0  # deliberately not read: not a seed type, temporary file, symlink out of the source…
    deleted: int = 0  # files gone from the source since the last run
    indexed_files: int = 0
    indexed_docs: int = 0  # distinct documents written: one that several files produce counts once
    documents: int = 0  # documents the processed files produced (a dry run's "would index")
    rejected_records: int = 0  # bad records inside files that were otherwise indexed (JSONL lines)
    deleted_docs: int = 0
    internal_errors: int = 0  # files rejected because of a bug, not their content
    batches: int = 0
    failed_batches: int = 0  # batches that failed for good: their files are retried next run

    def __add__(self, other: RunCounts) -> RunCounts:
        return RunCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RunCounts:
        names = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in (data or {}).items() if k in names})

    @classmethod
    def total(cls, parts: Iterable[RunCounts]) -> RunCounts:
        result = cls()
        for part in parts:
            result = result + part
        return result
