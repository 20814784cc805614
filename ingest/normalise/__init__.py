"""RawDocument → Article: clean text, resolve the publication date, compute id and quality flags."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime

from ingest import PIPELINE_VERSION
from ingest.dates import MACHINE_SOURCES, date_order, language_country, parse_published
from ingest.enrich.language import detect_language
from ingest.errors import EmptyDocument
from ingest.normalise.quality import quality_flags
from ingest.records import Article, DateOrder, DateSource, RawDocument


@dataclass(frozen=True)
class NormaliseOptions:
    min_body_chars: int = 1  # below this a document is rejected, not indexed
    short_body_words: int = 80  # below this the article is flagged `short_body`
    now: datetime | None = None  # the moment of reading (None: the real clock): no date after it is kept


def normalise(raw: RawDocument, options: NormaliseOptions | None = None) -> Article:
    options = options or NormaliseOptions()
    body = clean_text(raw.body)
    if len(body) < options.min_body_chars:
        raise EmptyDocument(raw.source.path, "no article text found")
    title = clean_line(raw.title) if raw.title else None
    raw = _with_detected_language(raw, title, body)
    order = _order(raw, raw.published_source)
    published = parse_published(raw.published_raw, raw.country_hint, order, raw.published_clock, now=options.now)
    article = Article(
        id=article_id(raw),
        source=raw.source,
        title=title or None,
        body=body,
        lead=clean_line(raw.lead) if raw.lead else _first_paragraph(body),
        published_at=published,
        published_at_source=raw.published_source if published else None,
        modified_at=parse_published(raw.modified_raw, raw.country_hint, _order(raw, _modified_source(raw)),
                                    now=options.now),
        publisher=clean_line(raw.publisher) if raw.publisher else None,
        agency=raw.agency,
        authors=tuple(dict.fromkeys(clean_line(a) for a in raw.authors if a.strip())),
        dateline=clean_line(raw.dateline) if raw.dateline else None,
        section=tuple(clean_line(s) for s in raw.section if s.strip()),
        language=language_tag(raw.language),
        url=raw.url or raw.source.url,
        word_count=len(body.split()),
        pipeline_version=PIPELINE_VERSION,
    )
    return article.replace(quality_flags=quality_flags(article, raw.hints, options.short_body_words))


def _with_detected_language(raw: RawDocument, title: str | None, body: str) -> RawDocument:
    """A date printed without a zone by a source that declares neither language nor country is read on the
    clock, and in the day/month order, of the language its text is in ("5 marca 2024, 10:15" in Polish: on
    Warsaw's clock; "10/05/2022" in Polish: 10 May). English, spoken across zones, keeps UTC. The article
    keeps the detected language, so enrich (which detects it for every other article) does not again."""
    if raw.language or raw.country_hint or not raw.published_raw:
        return raw
    language = detect_language(title, body)
    return replace(raw, language=language, country_hint=language_country(language)) if language else raw


def _order(raw: RawDocument, where: DateSource | None) -> DateOrder | None:
    """The day/month order of one of the document's dates (`ingest.dates.order`, docs/architecture.md)."""
    return date_order(raw.country_hint, raw.language, raw.date_order, machine=where in MACHINE_SOURCES)


def _modified_source(raw: RawDocument) -> DateSource | None:
    """The HTML reader takes the last-modified date from JSON-LD or <meta> only; other readers print it."""
    return "meta" if raw.source.format == "html" else raw.published_source


def article_id(raw: RawDocument) -> str:
    """Deterministic, from the content alone: the same document bytes give the same id, so a retry, a
    re-run, a copied or a renamed file can never index the same article twice. The ledger keeps track of
    which files own which ids (a document is deleted only when no file produces it any more)."""
    return hashlib.sha256(f"article\x00{raw.content_sha256}".encode()).hexdigest()[:32]


_BLANKS = re.compile(r"[ \t\n]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def clean_text(text: str) -> str:
    """NFC, no control characters, paragraphs kept (blank line between), spaces folded."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\xa0", " ")
    text = "\n".join(_without_controls(line) for line in text.split("\n"))
    paragraphs = (_BLANKS.sub(" ", p).strip() for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}")


def language_tag(value: str | None) -> str | None:
    """A declared language that looks like one ('en', 'en-GB', 'English'); anything else (a sentence, a
    40,000-character string) is no declaration, and the language is detected instead."""
    value = value.strip() if value else None
    return value if value and _LANGUAGE_TAG.fullmatch(value) else None


_SPELLING = frozenset("\t\u200c\u200d")  # a tab; the zero-width (non-)joiner, part of Persian, Indic and emoji spelling


def _without_controls(line: str) -> str:
    """The line without control, format and unassigned characters, except a tab and the zero-width joiner
    and non-joiner, which words are spelled with ("می‌شود", "क्‍ष"); printable lines, nearly all of them,
    pass at C speed."""
    if line.isprintable():
        return line
    return "".join(ch for ch in line if ch in _SPELLING or unicodedata.category(ch)[0] != "C")


def clean_line(text: str) -> str:
    """One line: NFC, whitespace folded, control characters and lone surrogates (from JSON '\\ud800'
    escapes, which no UTF-8 encoder accepts) removed."""
    line = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return _CONTROLS.sub("", line) if not line.isprintable() else line


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _first_paragraph(body: str) -> str | None:
    return body.split("\n\n", 1)[0] or None
