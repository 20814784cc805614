"""JSON / JSONL reader (first version: generic keys; deepened in issue [2 of 6])."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ingest.errors import MalformedDocument
from ingest.parse.encoding import decode
from ingest.records import RawDocument, Rejection, SourceInfo


def parse_json(data: bytes, source: SourceInfo) -> Iterator[RawDocument | Rejection]:
    text = decode(data, source.path)
    if source.path.endswith((".jsonl", ".ndjson")):
        for n, line in enumerate(text.splitlines()):
            if not line.strip():
                continue
            try:
                yield _record(json.loads(line), replace(source, record=n))
            except (ValueError, MalformedDocument) as exc:
                yield Rejection(replace(source, record=n), "parse", f"line {n + 1}: {exc}")
        return
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise MalformedDocument(source.path, f"invalid JSON: {exc}") from exc
    records = value if isinstance(value, list) else [value]
    for n, item in enumerate(records):
        yield _record(item, replace(source, record=n) if isinstance(value, list) else source)


def _record(item: Any, source: SourceInfo) -> RawDocument:
    if not isinstance(item, dict):
        raise MalformedDocument(source.path, "a record must be a JSON object")
    body = item.get("text") or item.get("body") or item.get("maintext") or ""
    date = item.get("date_publish") or item.get("published") or item.get("date")
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=False).encode()
    return RawDocument(
        source=source,
        content_sha256=hashlib.sha256(canonical).hexdigest(),
        body=str(body),
        title=item.get("title"),
        published_raw=str(date) if date else None,
        published_source="record" if date else None,
        url=item.get("url"),
    )
