"""HTML reader (first version: <title>, meta dates and <p> text; deepened in issue [2 of 6])."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from bs4 import BeautifulSoup

from ingest.parse.encoding import decode
from ingest.records import RawDocument, Rejection, SourceInfo


def parse_html(data: bytes, source: SourceInfo) -> Iterator[RawDocument | Rejection]:
    soup = BeautifulSoup(decode(data, source.path), "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    meta = soup.find("meta", attrs={"property": "article:published_time"})
    published = str(meta.get("content")) if meta and meta.get("content") else None
    paragraphs = [p.get_text(" ", strip=True) for p in soup.find_all("p")]
    yield RawDocument(
        source=source,
        content_sha256=hashlib.sha256(data).hexdigest(),
        body="\n\n".join(p for p in paragraphs if p),
        title=title,
        published_raw=published,
        published_source="meta" if published else None,
    )
