"""One file's bytes → articles and rejections: read → parse → normalise → enrich.

The same code serves `ingest inspect` (no Elasticsearch) and the pipeline's `process_batch`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.enrich import Enricher
from ingest.errors import Rejected, TerminalError
from ingest.normalise import NormaliseOptions, normalise
from ingest.parse import ParseOptions, detect_format, parse
from ingest.parse.json import JsonFieldMap, JsonOptions
from ingest.records import Article, Rejection, SourceInfo

# stage of a rejection caused by a bug, not by the input: counted against the run's error budget
INTERNAL = "internal"


@dataclass
class FileResult:
    """What became of one file: its articles (enriched later, in batches) and its rejections."""

    source: SourceInfo
    articles: list[Article] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def source_info(path: str, data: bytes, url: str | None = None) -> SourceInfo:
    return SourceInfo(
        path=path, format=detect_format(path, data), sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        url=url,
    )


@dataclass(frozen=True)
class ExtractOptions:
    parse: ParseOptions = field(default_factory=ParseOptions)
    normalise: NormaliseOptions = field(default_factory=NormaliseOptions)


def extract_options(json_fields: str | None = None) -> ExtractOptions:
    """Options from settings: `json_fields` is a JSON file {"title": ["headline", ...], ...} whose lists
    replace the default candidate keys of those fields (see `ingest.parse.json.JsonFieldMap`)."""
    if not json_fields:
        return ExtractOptions()
    try:
        mapping = json.loads(Path(json_fields).read_text())
        field_map = replace(JsonFieldMap(), **{k: tuple(v) for k, v in mapping.items()})
    except (OSError, ValueError, TypeError) as exc:
        raise TerminalError(f"JSON field map {json_fields}: {exc}") from exc
    return ExtractOptions(parse=ParseOptions(json=JsonOptions(fields=field_map)))


def extract_file(path: str, data: bytes, options: ExtractOptions | None = None) -> FileResult:
    """Parse and normalise every document in a file. Never raises for bad input: rejections instead."""
    options = options or ExtractOptions()
    try:
        source = source_info(path, data)
    except Rejected as exc:
        fallback = SourceInfo(path=path, format="text", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
        return FileResult(fallback, rejections=[Rejection(fallback, exc.stage, exc.reason)])
    result = FileResult(source)
    try:
        for item in parse(data, source, options.parse):
            if isinstance(item, Rejection):
                result.rejections.append(item)
                continue
            try:
                result.articles.append(normalise(item, options.normalise))
            except Rejected as exc:
                result.rejections.append(Rejection(item.source, exc.stage, exc.reason))
    except Rejected as exc:
        result.rejections.append(Rejection(source, exc.stage, exc.reason))
    except Exception as exc:  # noqa: BLE001 - a reader bug on one odd file must not stop the run
        result.articles.clear()
        result.rejections.append(Rejection(source, INTERNAL, f"{type(exc).__name__}: {exc}"))
    return result


def enrich_results(enricher: Enricher, results: Iterable[FileResult]) -> Iterator[FileResult]:
    """Enrich all articles of several files in one spaCy stream, then give each file its own back."""
    results = list(results)
    enriched = iter(enricher.enrich_many(a for r in results for a in r.articles))
    for result in results:
        result.articles = [next(enriched) for _ in result.articles]
        yield result
