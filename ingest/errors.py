"""Errors, split the way a scheduler needs them: rejected input, transient, terminal.

- `Rejected` and its subclasses: one input cannot become an article. The file (or JSONL line) lands in
  the ledger as `rejected` with the stage, the kind and the reason; the run goes on. There is one class
  per kind of rejection, each with a stable snake_case `kind` that callers count and group on (the run
  report's `rejected_by_kind`, `ingest status`, the Kibana "Ingestion" dashboard); the `reason` is written
  for a person (it holds sizes, paths, byte offsets), never an exception name, and is not for grouping.
- `TransientError`: worth retrying (Elasticsearch timeouts, 429, node not yet up).
- `TerminalError`: retrying will not help (bad credentials, a mapping conflict).

`Stage` is the one home of stage names: where in the run a file was rejected (or skipped, or retired).
"""

from __future__ import annotations

from typing import ClassVar, Literal

# discover: listing and retiring (skipped, deleted files); read … index: the steps a file goes through;
# internal: a bug outside any one step (counted against the run's error budget, as `enrich` is)
Stage = Literal["discover", "read", "decode", "parse", "normalise", "enrich", "index", "internal"]
BUG_STAGES: frozenset[Stage] = frozenset({"internal", "enrich"})


class IngestError(Exception):
    """Base class of every error this library raises on purpose."""


class Rejected(IngestError):
    """An input that cannot become an article. `stage` is where it failed, `kind` what went wrong (stable,
    for counting), `reason` says why in words."""

    stage: ClassVar[Stage] = "parse"
    kind: ClassVar[str] = "rejected"

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {self.stage}: {reason}")


def rejection_kinds() -> dict[str, type[Rejected]]:
    """Every kind of rejection with its class (the classes are imported with this module)."""
    found: dict[str, type[Rejected]] = {}
    pending: list[type[Rejected]] = [Rejected]
    while pending:
        cls = pending.pop()
        found.setdefault(cls.kind, cls)
        pending.extend(cls.__subclasses__())
    return found


# ---------------------------------------------------------------------------------------------- read
class UnreadableFile(Rejected):
    """The file could not be read, for a reason none of the subclasses names (an fsspec error…)."""

    stage = "read"
    kind = "unreadable_file"


class FileVanished(UnreadableFile):
    """Listed, then gone before it could be read."""

    kind = "file_vanished"


class PermissionDenied(UnreadableFile):
    kind = "permission_denied"


class FileTooLarge(UnreadableFile):
    """Over the INGEST_MAX_FILE_MB limit (as listed, or grown past it while being read)."""

    kind = "file_too_large"


class FileChanged(UnreadableFile):
    """Changed since it was listed or while being read (still being written): read again next run."""

    kind = "file_changed"


class NotARegularFile(UnreadableFile):
    """Now a directory, a pipe, a device … or a link to a place outside the source folder (not followed)."""

    kind = "not_a_regular_file"


class EmptyFile(Rejected):
    """Zero bytes, or nothing but whitespace."""

    stage = "read"
    kind = "empty_file"


class CompressedFileError(Rejected):
    """A compressed seed (`x.json.gz`) whose data is corrupt or truncated."""

    stage = "read"
    kind = "compressed_corrupt"


class CompressedTwice(CompressedFileError):
    """Compressed inside compressed (`x.json.gz.gz` content): one layer only."""

    kind = "compressed_twice"


class DecompressesTooLarge(CompressedFileError):
    """Decompresses past the INGEST_MAX_FILE_MB limit (a compression bomb, or a dump)."""

    kind = "decompressed_too_large"


# ---------------------------------------------------------------------------------------------- decode, parse
class DecodeFailed(Rejected):
    stage = "decode"
    kind = "decode_failed"


class UnsupportedFormat(Rejected):
    """Not a seed format at all."""

    stage = "parse"
    kind = "unsupported_format"


class BinaryContent(UnsupportedFormat):
    """A PDF, an image, an archive, a program … under a text, HTML or JSON name."""

    kind = "binary_content"


class MalformedDocument(Rejected):
    """A document of the right format that cannot be read as one (each subclass says how)."""

    stage = "parse"
    kind = "malformed_document"


class EmptyHtml(MalformedDocument):
    """An HTML file with no markup or text once decoded."""

    kind = "empty_html"


class InvalidJson(MalformedDocument):
    """Not JSON at all (a syntax error)."""

    kind = "invalid_json"


class JsonTooDeep(MalformedDocument):
    """Nested beyond what any article record needs (and what a recursive reader survives)."""

    kind = "json_too_deep"


class NotAnArticle(MalformedDocument):
    """Well-formed, but the wrong shape: a number, a list of numbers, an object without article text."""

    kind = "not_an_article"


class TooManyTags(MalformedDocument):
    """An HTML page of more elements than any article page has (generated, or broken markup)."""

    kind = "too_many_tags"


class RecordsCapped(Rejected):
    """One line standing for the rejected records of a file past the first thousand listed."""

    stage = "parse"
    kind = "more_records_rejected"


class NoDocuments(Rejected):
    """A file its reader found no document in (and rejected nothing in either)."""

    stage = "parse"
    kind = "no_documents"


# ---------------------------------------------------------------------------------------------- normalise
class EmptyDocument(Rejected):
    """Read, but no article text in it."""

    stage = "normalise"
    kind = "no_article_text"


class TooLong(Rejected):
    """Article text longer than any article (a concatenated dump, a runaway page)."""

    stage = "normalise"
    kind = "too_long"


# ---------------------------------------------------------------------------------------------- bugs, index
class InternalBug(Rejected):
    """A bug in the pipeline on this file (not the file's fault): counted against the run's error budget."""

    stage = "internal"
    kind = "internal_error"


class EnrichBug(Rejected):
    """A bug while enriching one document (entities, dates, language): counted like `InternalBug`."""

    stage = "enrich"
    kind = "enrich_error"


class IndexRefused(Rejected):
    """Elasticsearch refused the document (a mapping conflict, a field too large …): per document, final."""

    stage = "index"
    kind = "index_refused"


class TransientError(IngestError):
    """Retry later: the same call may succeed."""


class TerminalError(IngestError):
    """Do not retry: configuration or mapping is wrong."""
