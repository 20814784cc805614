"""The run's counters: one type, the same names in discovery, batches, dry runs, the run report and
`ingest status` (and the JSON keys of `ingest run --json`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class RunCounts:
    """Files are counted once each; `*_docs` and `rejected_records` count documents (a JSONL file
    holds several). `rejected_by_kind` splits `rejected` by the kind of each file's rejection
    (`ingest.errors`: `empty_file`, `invalid_json`, …), as the ledger records it."""

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
    rejected_by_kind: Mapping[str, int] = field(default_factory=dict, hash=False)  # kind → rejected files

    def __add__(self, other: RunCounts) -> RunCounts:
        kinds = Counter(self.rejected_by_kind)
        kinds.update(other.rejected_by_kind)
        return RunCounts(**{name: getattr(self, name) + getattr(other, name) for name in _NUMBERS},
                         rejected_by_kind=dict(sorted(kinds.items())))

    def numbers(self) -> dict[str, int]:
        """The counters without the split by kind (log lines, asset events)."""
        return {name: getattr(self, name) for name in _NUMBERS}

    def to_dict(self) -> dict[str, Any]:
        return {**self.numbers(), "rejected_by_kind": dict(self.rejected_by_kind)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RunCounts:
        data = data or {}
        kinds = data.get("rejected_by_kind") or {}
        return cls(**{k: int(v) for k, v in data.items() if k in _NUMBERS},
                   rejected_by_kind={str(k): int(v) for k, v in sorted(kinds.items())})

    @classmethod
    def total(cls, parts: Iterable[RunCounts]) -> RunCounts:
        result = cls()
        for part in parts:
            result = result + part
        return result


_NUMBERS = tuple(f.name for f in fields(RunCounts) if f.name != "rejected_by_kind")
