"""Plain-text reader for scraped news articles.

Handles the common scraped layout, in any order and with any part missing:

    You are here: Home » Section » Subsection        breadcrumb  → section[]
    Publisher Name                                   short line  → publisher
    Headline of the story                            headline    → title
    Agency Name  |  Dateline                         agency/dateline (or "By Author | ...")
    Body paragraphs …
    (This story … auto-generated from a syndicated feed.)   → hint "syndicated"
    First Published: Sat, March 16 2019. 10:10 IST           → published_raw

A text with no header at all (BBC-style "title line, then body") gives the first line as title.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.parse.dateline import read_lead
from ingest.parse.encoding import decode
from ingest.parse.wire import agency_country, canonical_agency
from ingest.records import RawDocument, Rejection, SourceInfo

_BREADCRUMB = re.compile(r"^(?:you are here\s*:?\s*)?(?:home|start|index)\s*[»›>|/]\s*(?P<rest>.+)$", re.I)
_CRUMB_SEP = re.compile(r"\s*[»›>|/]\s*")
_DATE_LINE = re.compile(
    r"^(?P<label>first published(?: on| at)?|published(?: on| at)?|posted(?: on| at)?|"
    r"last (?:updated|modified)(?: on| at)?|updated(?: on| at)?|modified(?: on| at)?|date)\s*:?\s*"
    r"(?P<value>.{6,80})$",
    re.I,
)
_BYLINE = re.compile(r"^(?:by|written by|reported by)\s+(?P<names>[^.!?]{2,120})$", re.I)
_SYNDICATED = re.compile(
    r"syndicated (?:feed|content|copy)|auto-generated from|has not been edited by|"
    r"published from a wire agency feed|distributed by|\bvia (?:reuters|ap|afp|pti|ians)\b",
    re.I,
)
_FOOTER = re.compile(
    r"^(?:\(?this (?:story|article|report) (?:has not been|was not|is)|©|copyright\b|all rights reserved|"
    r"also read\b|read more\b|follow us\b|subscribe\b|click here\b|disclaimer\b)",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")


@dataclass
class _Header:
    section: tuple[str, ...] = ()
    short_lines: list[str] = field(default_factory=list)
    agency: str | None = None
    dateline: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None


def parse_text(data: bytes, source: SourceInfo) -> Iterator[RawDocument | Rejection]:
    text = decode(data, source.path)
    paragraphs = _paragraphs(text)
    header, body_start = _read_header(paragraphs)
    body_start -= _short_lead_lines(header)
    body, footer = _split_footer(paragraphs[body_start:])
    hints: list[str] = []
    for line in footer:
        _read_date_line(line, header)
        if _SYNDICATED.search(line):
            hints.append("syndicated")
    publisher, title = _publisher_and_title(header.short_lines)
    if publisher is None and len(header.short_lines) > 1:  # a standfirst under the headline is story text
        body = [*header.short_lines[1:], *body]
    if not body and title and len(header.short_lines) == 1 and body_start < len(paragraphs):
        body = paragraphs[body_start:]
    lead = read_lead(body[0]) if body else None
    if lead is not None:
        header.dateline = header.dateline or lead.dateline
        header.agency = header.agency or lead.agency
        body = [lead.rest, *body[1:]] if lead.rest else body[1:]
    yield RawDocument(
        source=source,
        content_sha256=hashlib.sha256(data).hexdigest(),
        body="\n\n".join(body),
        title=title,
        published_raw=header.published or header.modified,  # only an "Updated:" line: the best we know
        published_source="text" if header.published or header.modified else None,
        modified_raw=header.modified,
        publisher=publisher,
        agency=header.agency,
        authors=header.authors,
        dateline=header.dateline,
        section=header.section,
        country_hint=agency_country(header.agency),
        hints=tuple(dict.fromkeys(hints)),
    )


def _paragraphs(text: str) -> list[str]:
    """Non-empty lines, whitespace folded. Scraped text puts one paragraph on a line."""
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return [line for line in lines if line]


def _read_header(lines: list[str]) -> tuple[_Header, int]:
    """Consume header lines until the first body-like paragraph; return the header and its end."""
    header = _Header()
    i = 0
    while i < len(lines) and not _is_body_paragraph(lines[i], header):
        _read_header_line(lines[i], header)
        i += 1
    return header, i


def _is_body_paragraph(line: str, header: _Header) -> bool:
    words = len(line.split())
    if words >= 30:
        return True
    return bool(
        header.short_lines and words >= 12 and _SENTENCE_END.search(line) and not line.startswith(("'", '"'))
    )


def _short_lead_lines(header: _Header) -> int:
    """A short first paragraph ("Japanese brewers are … drinks.") read as header goes back to the body:
    header lines after the headline that are sentences (6+ words, final full stop). Returns how many."""
    lines = header.short_lines
    first = next((i for i, line in enumerate(lines) if i > 0 and _is_sentence(line)), None)
    if first is None or any(not _is_sentence(line) for line in lines[first:]):
        return 0
    header.short_lines = lines[:first]
    return len(lines) - first


def _is_sentence(line: str) -> bool:
    return len(line.split()) >= 6 and bool(_SENTENCE_END.search(line)) and not line.startswith(("'", '"'))


def _read_header_line(line: str, header: _Header) -> None:
    crumb = _BREADCRUMB.match(line)
    if crumb and not header.section:
        parts = [p.strip() for p in _CRUMB_SEP.split(crumb.group("rest")) if p.strip()]
        header.section = tuple(parts)
        return
    if _read_date_line(line, header):
        return
    byline = _BYLINE.match(line)
    if byline:
        names, _, rest = byline.group("names").partition("|")
        header.authors = _split_names(names)
        if rest.strip():
            header.dateline = rest.strip()
        return
    if "|" in line and len(line.split()) <= 12:
        left, _, right = (part.strip() for part in line.partition("|"))
        header.agency = canonical_agency(left) or left or None
        header.dateline = right or None
        return
    header.short_lines.append(line)


def _read_date_line(line: str, header: _Header) -> bool:
    match = _DATE_LINE.match(line)
    if not match or not re.search(r"\d", match.group("value")):
        return False
    label = match.group("label").lower()
    if "updated" in label:
        header.modified = header.modified or match.group("value").strip()
    else:
        header.published = header.published or match.group("value").strip()
    return True


def _publisher_and_title(short_lines: list[str]) -> tuple[str | None, str | None]:
    """One short line is the headline; before a headline, a short name-like line is the publisher."""
    if not short_lines:
        return None, None
    if len(short_lines) == 1:
        return None, short_lines[0]
    first, title = short_lines[0], short_lines[-1]
    if _name_like(first):
        return first, title
    return None, first  # headline first; the short lines after it are a standfirst or a score line


def _name_like(line: str) -> bool:
    """'Business Standard', 'The Times of India': up to five capitalised words, no digits, no full stop."""
    words = line.split()
    return (
        len(words) <= 5
        and not _SENTENCE_END.search(line)
        and all(w[0].isupper() or w in _NAME_LINKS for w in words)
        and not re.search(r"\d", line)
    )


_NAME_LINKS = frozenset({"of", "the", "and", "&", "de", "du", "la", "der", "die", "für"})


def _split_footer(lines: list[str]) -> tuple[list[str], list[str]]:
    """Trailing boilerplate (syndication notes, date lines, copyright) → footer."""
    end = len(lines)
    while end > 0 and _is_footer(lines[end - 1]):
        end -= 1
    return lines[:end], lines[end:]


def _is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line) or _DATE_LINE.match(line) or (_SYNDICATED.search(line) and len(line) < 300))


def _split_names(names: str) -> tuple[str, ...]:
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", names.strip())
    return tuple(p for p in (part.strip(" .") for part in parts) if p)
