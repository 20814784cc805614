"""One reader per format, chosen from a table by extension and, failing that, by sniffing the bytes.

Each reader takes the file's bytes, its `SourceInfo` and the `ParseOptions` and yields `RawDocument`s (a
JSON list or a JSONL file yields several) or `Rejection`s for single records that cannot be read. A reader
raises a `Rejected` error when the whole file is unreadable.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ingest.parse.html import HtmlOptions, parse_html
from ingest.parse.json import JsonOptions, parse_json
from ingest.parse.sniff import COMPRESSED_SUFFIXES, check_binary, logical_path, looks_utf16, utf32_order
from ingest.parse.text import parse_text
from ingest.records import Format, RawDocument, Rejection, SourceInfo
from ingest.variables import MAX_FILE_MB


@dataclass(frozen=True)
class ParseOptions:
    """Every reader's options, validated once and passed down."""

    html: HtmlOptions = field(default_factory=HtmlOptions)
    json: JsonOptions = field(default_factory=JsonOptions)
    max_bytes: int = int(MAX_FILE_MB.default * 1024 * 1024)  # a compressed seed may decompress to this much


Reader = Callable[[bytes, SourceInfo, ParseOptions], Iterator[RawDocument | Rejection]]

READERS: dict[Format, Reader] = {
    "text": lambda data, source, _options: parse_text(data, source),
    "html": lambda data, source, options: parse_html(data, source, options.html),
    "json": lambda data, source, options: parse_json(data, source, options.json),
}

EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
}


def is_seed_file(path: str) -> bool:
    """Files with a known extension, or none (sniffed), also compressed ('feed.jsonl.gz'); others (.md,
    .pdf, .zip, a bare .gz …) are skipped on purpose."""
    pure = PurePosixPath(path)
    if pure.suffix.lower() in COMPRESSED_SUFFIXES:
        inner = pure.with_suffix("").suffix.lower()
        return inner in EXTENSIONS
    suffix = pure.suffix.lower()
    return not suffix or suffix in EXTENSIONS


def detect_format(path: str, data: bytes) -> Format:
    """The format of a seed file: what its bytes unmistakably are, else its extension, else text. A file
    that opens a JSON record or an HTML page is read as what it holds whatever its name (scrapers save raw
    pages and API answers under any name: an HTML page never opens with '{"', JSON never with '<'); binary
    content is refused whatever the name (`BinaryContent`, saying what it is). `data` is the content
    itself (decompressed already, for 'x.json.gz'), whose name counts without '.gz'."""
    check_binary(path, data)
    fmt = EXTENSIONS.get(PurePosixPath(logical_path(path)).suffix.lower())
    return _sniff(data) or fmt or "text"


def _sniff(data: bytes) -> Format | None:
    """JSON when the bytes open an object with a key or a list of objects; HTML when they open a page."""
    head = _head(data).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if re.match(rb'(?:\{\s*"|\[\s*\{)', head):
        return "json"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or (head.startswith(b"<") and b"<body" in head):
        return "html"
    return None


def _head(data: bytes) -> bytes:
    """The first 2 KB as UTF-8-compatible bytes (UTF-16/32 text is decoded first)."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return data[len(bom):4096].decode(encoding, "ignore").encode()
    wide = utf32_order(data) or (("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be") if looks_utf16(data) else None)
    return data[:8192].decode(wide, "ignore").encode() if wide else data[:2048]


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def parse(data: bytes, source: SourceInfo, options: ParseOptions | None = None) -> Iterator[RawDocument | Rejection]:
    """Run the reader for `source.format` over the file's bytes."""
    yield from READERS[source.format](data, source, options or ParseOptions())
