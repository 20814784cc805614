"""Errors, split the way a scheduler needs them: rejected input, transient, terminal.

- `Rejected` and its subclasses: one input cannot become an article. The file (or JSONL line) lands in
  the ledger as `rejected` with the stage and reason; the run goes on. There is one class per kind of
  rejection, so callers can count them by kind; the reason is written for a person, never an exception name.
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
    """The file could not be read (vanished, permission denied, over the size limit)."""

    stage = "read"


class EmptyFile(Rejected):
    """Zero bytes, or nothing but whitespace."""

    stage = "read"


class UnsupportedFormat(Rejected):
    """Not a seed format at all."""

    stage = "parse"


class BinaryContent(UnsupportedFormat):
    """A PDF, an image, an archive, a program … under a text, HTML or JSON name."""


class CompressedFileError(Rejected):
    """A compressed seed (`x.json.gz`) that is corrupt, nested, or decompresses past the size limit."""

    stage = "read"


class DecodeFailed(Rejected):
    stage = "decode"


class MalformedDocument(Rejected):
    stage = "parse"


class InvalidJson(MalformedDocument):
    """Not JSON at all (a syntax error)."""


class JsonTooDeep(MalformedDocument):
    """Nested beyond what any article record needs (and what a recursive reader survives)."""


class NotAnArticle(MalformedDocument):
    """Well-formed, but the wrong shape: a number, a list of numbers, an object without article text."""


class TooManyTags(MalformedDocument):
    """An HTML page of more elements than any article page has (generated, or broken markup)."""


class EmptyDocument(Rejected):
    stage = "normalise"


class TooLong(Rejected):
    """Article text longer than any article (a concatenated dump, a runaway page)."""

    stage = "normalise"


class TransientError(IngestError):
    """Retry later: the same call may succeed."""


class TerminalError(IngestError):
    """Do not retry: configuration or mapping is wrong."""
