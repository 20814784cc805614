"""Plain-text reader for scraped news articles.

Handles the common scraped layout, in any order and with any part missing:

    You are here: Home » Section » Subsection        breadcrumb  → section[]
    Publisher Name                                   short line  → publisher
    Headline of the story                            headline    → title
    Title: … / Author: … / Date: … / Source: …       labelled fields of an export
    Agency Name  |  Dateline                         agency/dateline
    By Jane Doe and Sam Roe, Reuters | 12.03.2021    byline: authors, agency, date
    Jane Doe, Staff Writer                           byline without "By"
    Sunday, 14 March 2021 10:00 AEDT                 a date line with no label → published_raw
    MOSCOW 1996-12-06 / AL-AIN, United Arab Emirates Dec 6   dateline line → dateline, published_raw
                                                     (a name alone over it → authors)
    WASHINGTON (Reuters) - / BERLIN - / NEW DELHI:   wire lead → dateline (and agency)
    Body paragraphs …
    (This story … auto-generated from a syndicated feed.)   → hint "syndicated"
    First Published: Sat, March 16 2019. 10:10 IST           → published_raw
    -- Jane Roe, Moscow Newsroom +7 095 941 8520              wire sign-off → authors (when none above)
    Share this article / © 2021 … / Follow us on …           footer, dropped

A text with no header at all (BBC-style "title line, then body") gives the first line as title. A text a
tokeniser has been through ("Japan 's coach , Shu Kamo , said :") is first put back as printed
(ingest/parse/tokenised.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.dates import (
    NUMERIC_DATE,
    is_month_name,
    is_updated_label,
    is_weekday_name,
    is_zone_abbreviation,
    label_pattern,
    language_country,
    read_date,
)
from ingest.parse.bylines import (
    byline_opening,
    ends_with_abbreviation,
    sign_off,
    split_names,
    trimmed_name,
    without_byline_words,
)
from ingest.parse.dateline import dateline_line, read_lead
from ingest.parse.encoding import decode
from ingest.parse.tokenised import untokenised
from ingest.parse.urls import url_country
from ingest.parse.wire import agency_country, canonical_agency, syndication_mark
from ingest.records import RawDocument, Rejection, SourceInfo

_BREADCRUMB = re.compile(r"^(?:you are here\s*:?\s*)?(?:home|start|index)\s*[»›>|/]\s*(?P<rest>.+)$", re.I)
_CRUMB_SEP = re.compile(r"\s*[»›>|/]\s*")
# a date line: a publication or update label (ingest/vocab/date_labels.tsv) or "Date", then the date
_DATE_LINE = re.compile(
    rf"^(?P<label>(?:{label_pattern('published')}|{label_pattern('updated')})"
    rf"(?:\s+(?:{label_pattern('preposition')}))?|date)\s*[:：]?\s*(?P<value>.{{6,80}})$",
    re.I,
)
# a whole-line byline: a word for "by" (an opener of ingest/parse/bylines.py), then the names
_BYLINE_NAMES = re.compile(r"(?P<names>[^!?]{2,160})$")
# "Jane Doe, Staff Writer": a name and a newsroom role, no "By"
_ROLE_BYLINE = re.compile(
    r"^(?P<names>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}(?: (?:and|&) [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3})?)"
    r",? (?:(?:senior|chief|staff|special|political|foreign|business|sports?|our) )*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|journalist)s?$",
    re.I,
)
# labelled fields of a text export ("Title: …", "Author: …", "Source: …")
_FIELD = re.compile(
    r"^(?P<key>title|headline|authors?|byline|writer|source|publisher|publication|section|category|url|link"
    r"|agency|language)\s*:\s*(?P<value>\S.{0,300})$",
    re.I,
)
# words a printed date line may hold besides the date itself, its month and weekday names and the time-zone
# abbreviations of ingest.dates ("[a-z]{2,4}t": one it does not list)
_DATE_WORDS = re.compile(
    r"^(?:at|on|um|am|pm|a\.m\.|p\.m\.|uhr|hrs?|updated|[a-z]{2,4}t"
    r"|de|del|do"  # "7 de junio de 2022", "8 de junho de 2022"
    r"|\W+)$",
    re.I,
)
_FOOTER = re.compile(
    r"^(?:\(?this (?:story|article|report) (?:has not been|was not|is)|©|copyright\b|all rights reserved|"
    r"also read\b|read more\b|follow us\b|subscribe\b|click here\b|disclaimer\b|share (?:this|on)\b|"
    r"sign up\b|related (?:articles|stories|coverage)\b|tags?\s*:|advertisement$|report an error\b)",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_SPACES = re.compile(r"\s+")


@dataclass
class _Header:
    section: tuple[str, ...] = ()
    short_lines: list[str] = field(default_factory=list)
    agency: str | None = None
    dateline: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    title: str | None = None  # from a "Title:" field
    publisher: str | None = None  # from a "Source:"/"Publisher:" field
    url: str | None = None
    language: str | None = None


def parse_text(data: bytes, source: SourceInfo) -> Iterator[RawDocument | Rejection]:
    text = untokenised(decode(data, source.path))  # "Japan 's coach , Shu Kamo ," as printed
    paragraphs = _paragraphs(text)
    header, body_start = _read_header(paragraphs)
    body_start -= _short_lead_lines(header)
    body, footer = _split_footer(paragraphs[body_start:])
    hints: list[str] = []
    for line in footer:
        _read_date_line(line, header)
        if (signed := sign_off(line)) is not None and signed.writer is not None and not header.authors:
            header.authors = (line[slice(*signed.writer)],)  # "-- Jane Roe, Moscow Newsroom +7 …": the writer
        if syndication_mark(line):  # a fact the body no longer shows; normalise/quality.py decides the flag
            hints.append("syndicated")
    publisher: str | None
    title: str | None
    if header.title:  # a labelled title: other short header lines are a standfirst
        publisher, title = header.publisher, header.title
        body = [*header.short_lines, *body]
        header.short_lines = [header.title]
    else:
        publisher, title = _publisher_and_title(header.short_lines)
        publisher = header.publisher or publisher
        if publisher is None and len(header.short_lines) > 1:  # a standfirst under the headline is story text
            body = [*header.short_lines[1:], *body]
    if not body and title and len(header.short_lines) == 1 and body_start < len(paragraphs):
        body = paragraphs[body_start:]
    if body and body[0] in header.authors:  # the writer's name on a line of its own over the story
        body = body[1:]
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
        language=header.language,
        url=header.url,
        country_hint=agency_country(header.agency) or url_country(header.url) or language_country(header.language),
        hints=tuple(dict.fromkeys(hints)),
    )


def _paragraphs(text: str) -> list[str]:
    """Non-empty lines, whitespace folded. Scraped text puts one paragraph on a line; lines end at any line
    break (\\r\\n, a lone \\r of old Mac files, \\n, form feed, U+2028 …)."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


_MAX_HEADER_LINES = 200  # a header is a handful of lines; a file of short lines is all body after these


def _read_header(lines: list[str]) -> tuple[_Header, int]:
    """Consume header lines until the first body-like paragraph; return the header and its end."""
    header = _Header()
    i = 0
    end = min(len(lines), _MAX_HEADER_LINES)
    while i < end and not _is_body_paragraph(lines[i], header):
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
    if _read_date_line(line, header) or _read_field(line, header) or _read_byline(line, header):
        return
    if (dateline := dateline_line(line)) is not None:  # "MOSCOW 1996-12-06": where and when it was filed
        header.dateline = header.dateline or dateline.dateline
        _set_date(header, dateline.date, updated=False)
        _writer_over_dateline(header)
        return
    if _bare_date(line):
        _set_date(header, line.replace("|", " "), updated=is_updated_label(line))
        return
    if "|" in line and len(line.split()) <= 12:
        left, _, right = (part.strip() for part in line.partition("|"))
        header.agency = canonical_agency(left) or left or None
        header.dateline = right or None
        return
    header.short_lines.append(line)


def _writer_over_dateline(header: _Header) -> None:
    """A name alone on the line over the dateline, under the headline, is the writer's byline ("Nadim Ladki"
    over "AL-AIN, United Arab Emirates 1996-12-06"). Two short lines only are a publisher and its headline
    when the first is a name."""
    lines = header.short_lines
    if header.authors or len(lines) < 2 or (len(lines) == 2 and _name_like(lines[0])):
        return
    if 2 <= len(lines[-1].split()) <= 4 and _name_like(lines[-1]):
        header.authors = (lines.pop(),)


def _read_field(line: str, header: _Header) -> bool:
    """'Title: …', 'Author: …', 'Source: …' and the like, as text exports of crawlers print them."""
    match = _FIELD.match(line)
    if not match:
        return False
    key, value = match.group("key").lower(), match.group("value").strip()
    if key in ("title", "headline"):
        header.title = header.title or value
    elif key in ("author", "authors", "byline", "writer"):
        header.authors = header.authors or _split_names(without_byline_words(value))
    elif key in ("source", "publisher", "publication"):
        header.publisher = header.publisher or value
    elif key in ("section", "category"):
        header.section = header.section or tuple(p for p in _CRUMB_SEP.split(value) if p)
    elif key in ("url", "link"):
        header.url = header.url or value
    elif key == "agency":
        header.agency = header.agency or canonical_agency(value) or value
    else:
        header.language = header.language or value
    return True


def byline_line_names(line: str) -> tuple[str, ...]:
    """The authors of a whole line that is a byline ('Von Hans Müller und Eva Berg, NDR'; an agency among the
    names left out), as this reader reads one; () for any other line. Also the HTML reader's, for a byline
    printed in the story's text."""
    header = _Header()
    return header.authors if _read_byline(line.strip(), header) else ()


def _read_byline(line: str, header: _Header) -> bool:
    """'By Jane Doe and Sam Roe, Reuters | Berlin | 12.03.2021' and 'Jane Doe, Staff Writer': the names,
    an agency named among them, and the date or dateline printed after a bar."""
    opening = byline_opening(("opener",)).match(line)
    match = _BYLINE_NAMES.match(line, opening.end()) if opening else _ROLE_BYLINE.match(line)
    if not match:
        return False
    names, *rest = (part.strip() for part in match.group("names").split("|"))
    people = list(_split_names(names))
    while people and canonical_agency(people[-1]):
        header.agency = header.agency or canonical_agency(people.pop())
    if not people or not all(_name_like(p) for p in people):
        return False
    header.authors = tuple(people)
    for part in filter(None, rest):
        if canonical_agency(part):
            header.agency = header.agency or canonical_agency(part)
        elif _bare_date(part):
            _set_date(header, part, updated=False)
        else:
            header.dateline = header.dateline or part
    return True


def _bare_date(line: str) -> bool:
    """'Sunday, 14 March 2021 10:00 AEDT', 'March 12, 2021 | 6:30 PM IST', '12.03.2021, 10:15 Uhr': a short
    line that holds a date and hardly a word besides."""
    if len(line) > 80 or not (read_date(line) or NUMERIC_DATE.search(line)):
        return False
    words = re.findall(r"[^\W\d_]+\.?", line)
    others = [w for w in words if not (is_month_name(w) or _date_word(w.rstrip(".")))]
    return len(others) <= 1


def _date_word(word: str) -> bool:
    return is_zone_abbreviation(word) or is_weekday_name(word) or _DATE_WORDS.match(word) is not None


def _set_date(header: _Header, value: str, *, updated: bool) -> None:
    """Keep the first publication and update dates printed, as printed ('16. März 2019, 10:15 Uhr')."""
    value = value.strip()
    if updated:
        header.modified = header.modified or value
    else:
        header.published = header.published or value


def _read_date_line(line: str, header: _Header) -> bool:
    match = _DATE_LINE.match(line)
    if not match or not re.search(r"\d", match.group("value")):
        return False
    _set_date(header, match.group("value"), updated=is_updated_label(match.group("label")))
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
    """'Business Standard', 'The Times of India': up to five capitalised words, no digits, no full stop but an
    abbreviation's ('Perry Bacon Jr.')."""
    words = line.split()
    return (
        len(words) <= 5
        and (not _SENTENCE_END.search(line) or ends_with_abbreviation(line))
        and all(w[0].isupper() or w in _NAME_LINKS for w in words)
        and not re.search(r"\d", line)
    )


_NAME_LINKS = frozenset({"of", "the", "and", "&", "de", "du", "la", "der", "die", "für", "y", "e"})  # "Ortega y Gasset"


def _split_footer(lines: list[str]) -> tuple[list[str], list[str]]:
    """Trailing boilerplate (syndication notes, date lines, copyright) → footer."""
    end = len(lines)
    while end > 0 and _is_footer(lines[end - 1]):
        end -= 1
    return lines[:end], lines[end:]


def _is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line) or _DATE_LINE.match(line) or (syndication_mark(line) and len(line) < 300)
                or sign_off(line))


def _split_names(names: str) -> tuple[str, ...]:
    parts = split_names(names)
    return tuple(p for p in (trimmed_name(part) for part in parts) if p)
