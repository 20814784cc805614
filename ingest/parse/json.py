"""JSON / JSONL reader for crawler exports (news-please, newspaper3k, trafilatura JSON, generic records).

A `.json` file holds one record or a list of records (or {"articles"|"items"|"data"|"records": [...]});
a `.jsonl`/`.ndjson` file holds one record a line, and a bad line becomes a `Rejection` of its own while
the other lines are read. Which keys feed which field is set by `JsonFieldMap` (dotted paths for nested
keys: "meta.published"); an HTML string in the body field is converted to text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ingest.dates import language_country
from ingest.errors import InvalidJson, JsonTooDeep, MalformedDocument, NotAnArticle, RecordsCapped
from ingest.parse.encoding import decode
from ingest.parse.sniff import logical_path, nesting_depth
from ingest.parse.urls import url_country
from ingest.parse.wire import agency_country, canonical_agency
from ingest.records import RawDocument, Rejection, SourceInfo


@dataclass(frozen=True)
class JsonFieldMap:
    """Schema field → candidate keys, first non-empty wins. Dotted keys reach into nested objects."""

    title: tuple[str, ...] = ("title", "headline", "name")
    body: tuple[str, ...] = ("maintext", "text", "raw_text", "body", "content", "article_body",
                             "articleBody", "description")
    published: tuple[str, ...] = ("date_publish", "publish_date", "published_at", "publishedAt", "published",
                                  "datePublished", "date_published", "published_date", "publication_date",
                                  "pub_date", "pubDate", "first_published", "date", "created_at", "time")
    modified: tuple[str, ...] = ("date_modify", "modified_at", "dateModified", "date_modified", "updated_at",
                                 "updatedAt", "updated", "last_modified")
    authors: tuple[str, ...] = ("authors", "author", "byline", "creator")
    publisher: tuple[str, ...] = ("sitename", "publisher", "source_domain", "hostname", "source", "site_name",
                                  "meta_data.og.site_name")
    section: tuple[str, ...] = ("section", "categories", "category")
    language: tuple[str, ...] = ("language", "lang", "inLanguage")
    url: tuple[str, ...] = ("url", "link", "source_url", "canonical_url", "source")  # only values that are URLs
    lead: tuple[str, ...] = ("lead", "description", "summary", "excerpt")
    agency: tuple[str, ...] = ("agency",)
    dateline: tuple[str, ...] = ("dateline",)


@dataclass(frozen=True)
class JsonOptions:
    fields: JsonFieldMap = field(default_factory=JsonFieldMap)
    list_keys: tuple[str, ...] = ("articles", "items", "data", "records", "results", "docs")


MAX_DEPTH = 1000  # levels of nested arrays/objects; article records need a handful
_HTML = re.compile(r"<(?:p|div|br|span|a|h[1-6]|ul|li|strong|em|article|section)\b[^<>]*>", re.I)  # [^<>]: linear


def parse_json(
    data: bytes, source: SourceInfo, options: JsonOptions | None = None
) -> Iterator[RawDocument | Rejection]:
    options = options or JsonOptions()
    text = decode(data, source.path)
    if logical_path(source.path).lower().endswith((".jsonl", ".ndjson")) or _looks_jsonl(text):
        yield from _capped(_lines(text, source, options), source)
        return
    value = loads(text, source.path)
    records = _records(value, options)
    if records is None:
        yield _record(value, source, options)
        return
    if records and not any(isinstance(item, dict) for item in records):
        kinds = sorted({_json_type(item).split(" (")[0] for item in records})
        raise NotAnArticle(source.path, f"a list of {len(records):,} values ({', '.join(kinds)}), "
                                        "not article records (JSON objects)")
    yield from _capped(_list_records(records, source, options), source)


def _list_records(records: list[Any], source: SourceInfo, options: JsonOptions) -> Iterator[RawDocument | Rejection]:
    for n, item in enumerate(records):
        try:
            yield _record(item, replace(source, record=n), options)
        except MalformedDocument as exc:
            yield Rejection.of(replace(source, record=n), exc, f"record {n}: {exc.reason}")


MAX_RECORD_REJECTIONS = 1000  # per file; beyond it one line counts the rest (the ledger entry stays small)


def _capped(items: Iterator[RawDocument | Rejection], source: SourceInfo) -> Iterator[RawDocument | Rejection]:
    rejected = 0
    for item in items:
        if isinstance(item, Rejection):
            rejected += 1
            if rejected > MAX_RECORD_REJECTIONS:
                continue
        yield item
    if rejected > MAX_RECORD_REJECTIONS:
        yield Rejection.of(source, RecordsCapped(source.path, f"{rejected - MAX_RECORD_REJECTIONS:,} more records "
                                                              f"rejected ({rejected:,} in all; only the first "
                                                              f"{MAX_RECORD_REJECTIONS:,} listed)"))


def _lines(text: str, source: SourceInfo, options: JsonOptions) -> Iterator[RawDocument | Rejection]:
    """One record a line. Lines end at '\n' only: U+2028 and the like are valid inside JSON strings."""
    for n, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        where = replace(source, record=n)
        try:
            yield _record(loads(line, source.path), where, options)
        except MalformedDocument as exc:
            yield Rejection.of(where, exc, f"line {n + 1}: {exc.reason}")


def loads(text: str, path: str) -> Any:
    """`json.loads`, after checking the nesting depth without recursion: a 100,000-deep array is
    rejected as such (`JsonTooDeep`), never a RecursionError; a syntax error is `InvalidJson`."""
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise JsonTooDeep(path, f"JSON nested deeper than {MAX_DEPTH:,} levels")
    try:
        value = json.loads(text)
        if depth > 100:
            json.dumps(value)  # the record is hashed as JSON later: make sure it can be written back
    except RecursionError as exc:
        raise JsonTooDeep(path, f"JSON nested {depth:,} levels deep, too deep to read") from exc
    except ValueError as exc:
        raise InvalidJson(path, f"invalid JSON: {_syntax_error(exc)}") from exc
    return _without_lone_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> Any:
    """A '\\ud800' escape with no partner decodes to a lone surrogate, which no UTF-8 encoder (nor
    Elasticsearch) accepts: each becomes U+FFFD. Walks the value without recursion."""
    def fix(item: Any) -> Any:
        return _SURROGATE.sub("\ufffd", item) if isinstance(item, str) else item

    root = [fix(value)]
    stack: list[list[Any] | dict[str, Any]] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for i, item in enumerate(node):
                node[i] = fix(item)
                if isinstance(node[i], list | dict):
                    stack.append(node[i])
        else:
            for key in list(node):
                item = fix(node.pop(key))
                node[fix(key)] = item
                if isinstance(item, list | dict):
                    stack.append(item)
    return root[0]


def _syntax_error(exc: ValueError) -> str:
    """'Expecting value: line 1 column 24 (char 23)' → 'expecting value at line 1, column 24'."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg[:1].lower()}{exc.msg[1:]} at line {exc.lineno:,}, column {exc.colno:,}"
    return str(exc)


def _looks_jsonl(text: str) -> bool:
    lines = [line for line in text.strip().split("\n", 3)[:3] if line.strip()]
    return len(lines) >= 2 and all(line.lstrip().startswith("{") and line.rstrip().endswith("}") for line in lines)


def _records(value: Any, options: JsonOptions) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in options.list_keys:
            if isinstance(value.get(key), list) and all(isinstance(v, dict) for v in value[key]):
                return list(value[key])
    return None


def _record(item: Any, source: SourceInfo, options: JsonOptions) -> RawDocument:
    try:
        return _read_record(item, source, options)
    except RecursionError as exc:  # a record nested close to MAX_DEPTH: too deep to hash or walk
        raise JsonTooDeep(source.path, "JSON record nested too deeply to read") from exc


def _read_record(item: Any, source: SourceInfo, options: JsonOptions) -> RawDocument:
    if not isinstance(item, dict):
        raise NotAnArticle(source.path, f"a record must be a JSON object, not {_json_type(item)}")
    f = options.fields
    body = _text(item, f.body)
    if not body:
        raise NotAnArticle(source.path, f"no article text in any of {', '.join(f.body)}")
    date, date_key = _first_with_key(item, f.published)
    agency = canonical_agency(_text(item, f.agency)) or _text(item, f.agency)
    url = _url(item, f.url)
    language = _text(item, f.language)
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str).encode()
    return RawDocument(
        source=replace(source, url=source.url or url),
        content_sha256=hashlib.sha256(canonical).hexdigest(),
        body=html_to_text(body) if _HTML.search(body) else body,
        title=_text(item, f.title),
        lead=_lead(item, f.lead, f.body),
        published_raw=_scalar(date),
        published_source="record" if date_key else None,
        modified_raw=_scalar(_first_with_key(item, f.modified)[0]),
        publisher=_text(item, tuple(k for k in f.publisher if not _is_url(_get(item, k)))),
        agency=agency,
        authors=_names(_first_with_key(item, f.authors)[0]),
        dateline=_text(item, f.dateline),
        section=_names(_first_with_key(item, f.section)[0]),
        language=language,
        url=url,
        country_hint=agency_country(agency) or url_country(url) or language_country(language),
    )


def _json_type(value: Any) -> str:
    """The JSON name of a value's type: 'a number', 'a list', 'null'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value!r:.40})"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else type(value).__name__


_NOT_TEXT = frozenset({"script", "style", "noscript"})
_TEXT_BLOCKS = ("p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre")


def html_to_text(fragment: str) -> str:
    """An HTML body field → paragraphs separated by blank lines: the text of each block (paragraph,
    heading, list item, quote) that holds no paragraph or list item of its own; without blocks, its
    lines. Read with the page reader's safe parse (parse/html/safe.py)."""
    from ingest.parse.html import dom
    from ingest.parse.html.safe import parse_page

    tree = parse_page(fragment)
    blocks = [b for b in tree.iter(*_TEXT_BLOCKS) if not dom.inside(b, _NOT_TEXT)]
    if blocks:
        texts = [dom.text(b, " ", strip=True, skip=_NOT_TEXT) for b in blocks if not _holds_block(b)]
    else:
        texts = dom.text(tree, "\n", skip=_NOT_TEXT).split("\n")
    return "\n\n".join(t.strip() for t in texts if t.strip())


def _holds_block(block: Any) -> bool:
    from ingest.parse.html import dom

    return any(not dom.inside(el, _NOT_TEXT) for el in block.iterdescendants("p", "li"))


def _get(item: dict[str, Any], key: str) -> Any:
    value: Any = item
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _first_with_key(item: dict[str, Any], keys: tuple[str, ...]) -> tuple[Any, str | None]:
    for key in keys:
        value = _get(item, key)
        if value not in (None, "", [], {}):
            return value, key
    return None, None


def _scalar(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("$date") or value.get("value") or value.get("@value")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _epoch(value)
    return str(value).strip() or None if value not in (None, "") else None


def _epoch(value: float) -> str | None:
    from datetime import UTC, datetime

    if _EPOCH_SECONDS[0] <= value <= _EPOCH_SECONDS[1]:
        seconds = float(value)
    elif _EPOCH_SECONDS[0] * 1000 <= value <= _EPOCH_SECONDS[1] * 1000:
        seconds = value / 1000
    else:
        return None  # 10**15, -1, 1e300: neither seconds nor milliseconds of a plausible date
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat()


# Unix seconds from 1990-01-01 to 2100-01-01: a number outside (as seconds or milliseconds) is no date
_EPOCH_SECONDS = (631_152_000, 4_102_444_800)


def _text(item: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    value, _ = _first_with_key(item, keys)
    if isinstance(value, dict):
        value = value.get("name") or value.get("text")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _url(item: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first value under `keys` that is a web address (trafilatura's "source" is one; NewsAPI's is not)."""
    for key in keys:
        value = _get(item, key)
        if _is_url(value):
            return str(value).strip()
    return None


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.strip().startswith(("http://", "https://"))


def _lead(item: dict[str, Any], lead_keys: tuple[str, ...], body_keys: tuple[str, ...]) -> str | None:
    _, body_key = _first_with_key(item, body_keys)
    return _text(item, tuple(k for k in lead_keys if k != body_key))


def _names(value: Any, depth: int = 0) -> tuple[str, ...]:
    """Names from "A, B", {"name": "A"}, ["A", {"name": "B"}] (nested a few levels at most)."""
    if isinstance(value, str):
        parts = re.split(r"\s*[;,]\s*|\s+and\s+", value.strip())
        return tuple(p for p in parts if p)
    if depth > 4:
        return ()
    if isinstance(value, dict):
        return _names(value.get("name"), depth + 1)
    if isinstance(value, list):
        return tuple(n for v in value for n in _names(v, depth + 1))
    return ()
