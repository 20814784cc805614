"""Errors, split the way a scheduler needs them: rejected input, transient, terminal.

- `Rejected` and its subclasses: one input cannot become an article. The file (or JSONL line) lands in
  the ledger as `rejected` with the stage and reason; the run goes on.
- `TransientError`: worth retrying (Elasticsearch timeouts, 429, node not yet up).
- `TerminalError`: retrying will not help (bad credentials, a mapping conflict).
"""

from __future__ import annotations


class IngestError(Exception):
    """Base class of every error this library raises on purpose."""


class Rejected(IngestError):
    """An input that cannot become an article. `stage` is where it failed, `reason` says why."""

    stage = "parse"

    def __init__(self, path: str, reason: str, *, stage: str | None = None) -> None:
        self.path = path
        self.reason = reason
        if stage is not None:
            self.stage = stage
        super().__init__(f"{path}: {self.stage}: {reason}")


class UnreadableFile(Rejected):
    stage = "read"


class UnsupportedFormat(Rejected):
    stage = "parse"


class DecodeFailed(Rejected):
    stage = "decode"


class MalformedDocument(Rejected):
    stage = "parse"


class EmptyDocument(Rejected):
    stage = "normalise"


class TransientError(IngestError):
    """Retry later: the same call may succeed."""


class TerminalError(IngestError):
    """Do not retry: configuration or mapping is wrong."""
