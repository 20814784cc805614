"""One file's bytes → articles and rejections: read → parse → normalise → enrich.

The same code serves `ingest inspect` (no Elasticsearch) and the pipeline's `process_batch`.

Every file gets a defined outcome: articles, or rejections whose reasons a person understands. What a
file *is* is settled first (`ingest.parse.sniff`: empty, binary, compressed); expected failures are
`Rejected` errors with their own stage, kind and reason; a bug on one odd file becomes a rejection of
kind `internal_error` (stage `internal`) and, while enriching, `enrich_error` (stage `enrich`), both counted
against the run's error budget.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.enrich import Enricher, EnrichFailed
from ingest.errors import EnrichBug, InternalBug, Rejected, TerminalError, TooLong
from ingest.normalise import NormaliseOptions, normalise
from ingest.parse import ParseOptions, detect_format, parse
from ingest.parse.json import JsonFieldMap, JsonOptions
from ingest.parse.sniff import read_content
from ingest.records import Article, Rejection, SourceInfo


@dataclass
class FileResult:
    """What became of one file: its articles (enriched later, in batches) and its rejections."""

    source: SourceInfo
    articles: list[Article] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def internal_error(self) -> bool:
        """Whether a bug (not the input) rejected some of this file: count it against the error budget."""
        return any(r.is_bug for r in self.rejections)


def source_info(path: str, data: bytes, url: str | None = None, content: bytes | None = None) -> SourceInfo:
    """`data` is the file's bytes (hashed, measured); `content` what they hold (decompressed), if different."""
    return SourceInfo(
        path=path, format=detect_format(path, data if content is None else content),
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), url=url,
    )


@dataclass(frozen=True)
class ExtractOptions:
    parse: ParseOptions = field(default_factory=ParseOptions)
    normalise: NormaliseOptions = field(default_factory=NormaliseOptions)
    # longer article text is a dump or a runaway page, not an article (and more than spaCy's max_length
    # and Elasticsearch's default highlighting limit, index.highlight.max_analyzed_offset, read)
    max_body_chars: int = 1_000_000


def extract_options(json_fields: str | None = None, max_file_mb: float | None = None) -> ExtractOptions:
    """Options from settings: `json_fields` is a JSON file {"title": ["headline", ...], ...} whose lists
    replace the default candidate keys of those fields (see `ingest.parse.json.JsonFieldMap`);
    `max_file_mb` (INGEST_MAX_FILE_MB) caps what a compressed seed may decompress to. Logging is left
    alone: the entry points quiet the parsing libraries' per-page noise (`ingest.logs.quiet_third_party`)."""
    parse_options = ParseOptions()
    if max_file_mb is not None:
        parse_options = replace(parse_options, max_bytes=int(max_file_mb * 1024 * 1024))
    if not json_fields:
        return ExtractOptions(parse=parse_options)
    try:
        mapping = json.loads(Path(json_fields).read_text())
        field_map = replace(JsonFieldMap(), **{k: tuple(v) for k, v in mapping.items()})
    except (OSError, ValueError, TypeError) as exc:
        raise TerminalError(f"JSON field map {json_fields}: {exc}") from exc
    return ExtractOptions(parse=replace(parse_options, json=JsonOptions(fields=field_map)))


def extract_file(path: str, data: bytes, options: ExtractOptions | None = None) -> FileResult:
    """Parse and normalise every document in a file. Never raises for bad input: rejections instead."""
    options = options or ExtractOptions()
    try:
        content = read_content(path, data, options.parse.max_bytes)
        source = source_info(path, data, content=content)
    except Rejected as exc:
        return _refused(path, data, exc)
    except Exception as exc:  # noqa: BLE001 - a bug on one odd file must not stop the run
        return _refused(path, data, InternalBug(path, internal_reason("reading this file", exc)))
    result = FileResult(source)
    try:
        for item in parse(content, source, options.parse):
            if isinstance(item, Rejection):
                result.rejections.append(item)
                continue
            try:
                result.articles.append(_checked(normalise(item, options.normalise), options))
            except Rejected as exc:
                result.rejections.append(Rejection.of(item.source, exc))
    except Rejected as exc:
        result.rejections.append(Rejection.of(source, exc))
    except Exception as exc:  # noqa: BLE001 - a reader bug on one odd file must not stop the run
        result.articles.clear()
        result.rejections.append(Rejection.of(source, InternalBug(path, internal_reason("reading this file", exc))))
    return result


def _refused(path: str, data: bytes, error: Rejected) -> FileResult:
    fallback = SourceInfo(path=path, format="text", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return FileResult(fallback, rejections=[Rejection.of(fallback, error)])


def _checked(article: Article, options: ExtractOptions) -> Article:
    if len(article.body) > options.max_body_chars:
        raise TooLong(article.source.path, f"article text of {len(article.body):,} characters is longer than "
                                           f"any article (limit {options.max_body_chars:,})")
    return article


def internal_reason(doing: str, exc: BaseException) -> str:
    """A bug, said in words, with the detail a developer needs: 'a bug in the pipeline while reading this
    file (KeyError: 'x'); other files are not affected'."""
    detail = " ".join(str(exc).split())
    detail = f"{type(exc).__name__}: {detail[:300]}" if detail else type(exc).__name__
    return f"a bug in the pipeline while {doing} ({detail}); other files are not affected"


def enrich_results(enricher: Enricher, results: Iterable[FileResult]) -> Iterator[FileResult]:
    """Enrich all articles of several files in one spaCy stream, then give each file its own back.

    A document whose enrichment fails (a bug) is taken out alone: it becomes an `enrich_error` rejection
    (a file without other documents is then rejected), and every other document is enriched."""
    results = list(results)
    outcomes = iter(enricher.enrich_each(a for r in results for a in r.articles))
    for result in results:
        articles: list[Article] = []
        for _ in result.articles:
            outcome = next(outcomes)
            if isinstance(outcome, EnrichFailed):
                reason = internal_reason("enriching this document (entities, dates, language)", outcome.error)
                bug = EnrichBug(outcome.article.source.path, reason)
                result.rejections.append(Rejection.of(outcome.article.source, bug))
            else:
                articles.append(outcome)
        result.articles = articles
        yield result
