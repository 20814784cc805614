"""HTML reader: metadata from JSON-LD, <meta> and page elements; story text via trafilatura.

Order of trust for every field: JSON-LD (`NewsArticle` & co., including @graph), OpenGraph/`article:*` and
other common meta names, page elements (<time>, <h1>, bylines), the URL, and last the visible text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from ingest.dates import opening_date
from ingest.enrich.gazetteer import gazetteer
from ingest.errors import EmptyHtml, TooManyTags
from ingest.parse.bylines import byline_opening
from ingest.parse.dateline import read_lead
from ingest.parse.encoding import decode
from ingest.parse.html import fields
from ingest.parse.html.dates import current, epoch_date, modified_date, published_date, text_date
from ingest.parse.html.dom import Element
from ingest.parse.html.maintext import MainTextOptions, main_text
from ingest.parse.html.metadata import read_meta
from ingest.parse.html.safe import as_fromstring, date_finder_tree, parse_page
from ingest.parse.html.textdates import UPDATED_LABEL, labelled_date
from ingest.parse.html.titles import pick_title, site_names
from ingest.records import DateSource, RawDocument, Rejection, SourceInfo

_TAG = re.compile(r"<[A-Za-z]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


@dataclass(frozen=True)
class HtmlOptions:
    main_text: MainTextOptions = field(default_factory=MainTextOptions)
    date_from_text: bool = True  # last resort: dates printed in the page (htmldate's search)
    now: datetime | None = None  # the moment of reading (None: the real clock): later dates are not the page's
    # article pages have a few thousand tags (6,092 at most in the evaluation corpora); reading costs about
    # 75 ms per thousand, so a page of 400,000 empty <div>s (5 MB) would take half a minute for nothing
    max_tags: int = 100_000


def parse_html(
    data: bytes, source: SourceInfo, options: HtmlOptions | None = None
) -> Iterator[RawDocument | Rejection]:
    options = options or HtmlOptions()
    html = decode(data, source.path, declared=declared_charset(data))
    if not html.strip():
        raise EmptyHtml(source.path, "empty HTML document")
    if html.count("<") > options.max_tags and len(_TAG.findall(html)) > options.max_tags:
        raise TooManyTags(source.path, f"an HTML page of more than {options.max_tags:,} tags: not an article page "
                                       "(generated or broken markup)")
    document = read_document(parse_page(html), html, source, options, hashlib.sha256(data).hexdigest())
    yield _without_declared_entities(document, html)


_DTD_SUBSET = re.compile(r"<!DOCTYPE[^>\[]{0,500}\[(?P<subset>.*?)\]\s*>", re.I | re.S)
_ENTITY_DECL = re.compile(r"<!ENTITY\s+(?:%\s+)?(?P<name>[A-Za-z_][\w.-]*)")


def _without_declared_entities(document: RawDocument, html: str) -> RawDocument:
    """Entities a page declares in its own DTD (`<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>`,
    the billion laughs) are never expanded nor loaded by any parser here; their references, left in the
    text as '&x;', are removed."""
    start = html.find("<!", 0, 65536)
    while start != -1 and html[start:start + 9].lower() != "<!doctype":
        start = html.find("<!", start + 2, 65536)
    subset = _DTD_SUBSET.match(html[:65536], start) if start != -1 else None  # the first DOCTYPE only
    names = set(_ENTITY_DECL.findall(subset.group("subset"))) if subset else set()
    if not names:
        return document
    refs = re.compile("|".join(rf"&{re.escape(n)};" for n in sorted(names)))

    def clean(text: str | None) -> str | None:
        return re.sub(r"[ \t]{2,}", " ", refs.sub("", text)).strip() or None if text else text

    return replace(document, title=clean(document.title), body=clean(document.body) or "")


def read_document(
    tree: Element, html: str, source: SourceInfo, options: HtmlOptions, sha256: str
) -> RawDocument:
    """The page's record, from its one parse (`tree`, the whole document; safe.py) and its text."""
    page = read_meta(tree)
    url = fields.canonical_url(page, source.url)
    title = pick_title(tree, page, url)
    publisher = fields.publisher(page)
    byline_tree = as_fromstring(tree, html, owned=False)
    story = main_text(tree, html, page, options.main_text)
    authors = fields.authors(tree, page, publisher, byline_tree, tuple(site_names(page, url)), story=story)
    body = _without_heading(story, title, authors)
    found = published_date(tree, page, url, title, now=options.now)
    published, where = found.value, found.where
    if published is None and options.date_from_text:
        published, where = _date_from_page(tree, html, body, url, options.now)
    dateline, lead_agency = _wire_credit(body)
    return RawDocument(
        source=source,
        content_sha256=sha256,
        body=body,
        title=title,
        published_raw=published,
        published_source=where,
        date_order=found.order,
        published_clock=found.clock,
        modified_raw=modified_date(page),
        publisher=publisher,
        agency=fields.agency(authors, page) or lead_agency,
        authors=authors,
        dateline=dateline,
        section=fields.section(page),
        language=fields.language(page),
        url=url,
        country_hint=fields.country_hint(url, page),
    )


def _date_from_page(
    tree: Element, html: str, body: str, url: str | None, now: datetime | None
) -> tuple[str | None, DateSource | None]:
    """Last resorts when no element declares the date: a dateline opening the story, a Unix time stamp
    on a page element, the date the page prints as its last edit ("Letzte Änderung: 14.01.2022": the page's
    own word about itself, where a date in its prose is any day the story mentions), htmldate's search of
    the whole text (none of them after the moment of reading)."""
    if (value := current(opening_date(body), now)) is not None:
        return value, "text"
    if (value := current(epoch_date(tree), now)) is not None:
        return value, "time"
    if (value := current(labelled_date(tree, labels=UPDATED_LABEL), now)) is not None:
        return value, "text"
    if (value := current(text_date(html, url, date_finder_tree(tree, html)), now)) is not None:
        return value, "text"
    return None, None


def _wire_credit(body: str) -> tuple[str | None, str | None]:
    """The dateline and the agency of a wire lead opening the story ("SAN FRANCISCO (AP) — …", "(ANSA) - ROMA,
    28 LUG - …", "Bruselas, 7 oct (EFE).- …"; ingest/parse/dateline.py). A lead without an agency ("KOBE – …",
    "NEW DELHI: …") counts when its town is a known place: on a web page, capitals before a dash are as often
    a kicker ("MIGRATION – …"). The story keeps its lead as the page prints it."""
    lead = read_lead(body.split("\n\n", 1)[0]) if body else None
    if lead is None or (lead.agency is None and gazetteer().place(lead.dateline.split(",")[0]) is None):
        return None, None
    return lead.dateline, lead.agency


def _without_heading(body: str, title: str | None, authors: tuple[str, ...]) -> str:
    """Drop leading paragraphs that are not the story: the headline repeated, the byline ("By Jane Doe and
    Sam Roe"), the author's bio box ("Jane Doe is our transport correspondent."), a picture credit ("Jane
    Roe/REUTERS", also glued to the first word: "…/REUTERSThe minister"), a kicker (a label of a few words
    over the story: "Market Insider"); a dateline run into the first word gets its space back ("(CNN)President"
    → "(CNN) President")."""
    paragraphs = body.split("\n\n")
    kicker = True  # one label at most: a run of short lines is a list, a verse, a page of links
    while paragraphs:
        first = paragraphs[0].strip()
        if kicker and len(paragraphs) > 1 and _kicker(first, paragraphs[1], title):
            paragraphs.pop(0)
            kicker = False
        elif (title and first == title.strip()) or (authors and _is_byline(first, authors[0])) or \
                _CREDIT_LINE.fullmatch(first) or (len(paragraphs) > 1 and _author_bio(first, authors)):
            paragraphs.pop(0)
        elif glued := _GLUED_CREDIT.match(first):
            paragraphs[0] = first[glued.end():]
        else:
            break
    if paragraphs and (dateline := _GLUED_DATELINE.match(paragraphs[0])):  # "(CNN)President …": two elements
        paragraphs[0] = f"{dateline[0]} {paragraphs[0][dateline.end():]}"
    return "\n\n".join(paragraphs)


# a dateline in parentheses printed in an element of its own, run into the story's first word by the text
# extraction: "Hong Kong (CNN Business)A muddled view …", "(CNN)President Donald Trump …"
_GLUED_DATELINE = re.compile(r"[^()\n]{0,40}\([^()\n]{1,40}\)(?=[A-ZÀ-Þ](?:[a-zß-ÿ]|\s))")


# a picture credit: who took or drew it, a slash, whose it is — an agency in capitals or a picture desk
# ("Jane Roe/REUTERS", "Photo: J. Roe / AFP via Getty Images"); after a label the slash may be missing
_CREDIT_NAMES = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|da|del)){0,4}"
_CREDIT_LINE = re.compile(
    rf"(?:(?:photo|picture|image|illustration|graphic|foto|bild|grafik|titelbild)s?\s*(?:credit)?\s*:\s*)?"
    rf"{_CREDIT_NAMES}\s?/\s?(?:[A-Z]{{2,}}|{_CREDIT_NAMES})(?:\s+via\s+{_CREDIT_NAMES})?\.?"
    rf"|(?i:(?:photo|picture|image|illustration|graphic|foto|bild|grafik|titelbild)s?\s*(?:credit)?\s*:)"
    rf"\s*[^.!?]{{2,60}}"
)
_GLUED_CREDIT = re.compile(rf"{_CREDIT_NAMES}\s?/\s?[A-Z]{{2,}}(?=[A-Z][a-z])")  # "Jane Roe/REUTERSThe …"


def _kicker(paragraph: str, following: str, title: str | None) -> bool:
    """A label over the story ("Market Insider", "Seite drucken"): three words at most of a script written
    with spaces, no sentence, clause or number (a date line is the page's date, "BAAR, SWITZERLAND" its
    dateline), not cut off (a dash, the next paragraph going on in lower case), not the headline's own."""
    words = paragraph.split()
    return (0 < len(words) <= 3 and len(paragraph) <= 30 and not _NOT_A_LABEL.search(paragraph)
            and not following[:1].islower() and not (title and paragraph.casefold() in title.casefold()))


_NOT_A_LABEL = re.compile(r"[.!?,;:\d\"“”„«»'’–—-]\s*$|[,;\d\"“”„«»]|[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


# two words in lower case in a row: a sentence ("Di Mario Rossi si parla molto", "By Jane Doe's count"), where
# the names of a byline stand ("Jane Doe and Sam Roe"); a role, an agency or a date may follow them after a
# separator ("…, staff writer | Reuters")
_PROSE = re.compile(r"(?<!\w)[^\W\d_A-ZÀ-ÖØ-Þ]\w*\s+[^\W\d_A-ZÀ-ÖØ-Þ]")
_AFTER_NAMES = re.compile(r"[,;|•·–—]")


_MAX_BIO = 300  # characters: a bio box is a line or two about the writer


def _author_bio(paragraph: str, authors: tuple[str, ...]) -> bool:
    """A short paragraph opening with an author's full name and going on about them: the box about the
    writer printed over the story. A story does not open on its own writer's name."""
    return len(paragraph) <= _MAX_BIO and any(
        len(author.split()) >= 2 and paragraph.startswith(author) and paragraph[len(author):len(author) + 1].isspace()
        for author in authors)


def _is_byline(paragraph: str, first_author: str) -> bool:
    """A short paragraph that is the byline of `first_author`: the words that open a byline (ingest/parse/bylines.py),
    the author among what follows them, and no sentence where the names stand. Some of the words open sentences
    too ("Di recente …", "Door de storm …")."""
    opening = byline_opening().match(paragraph)
    if not opening or len(paragraph) >= 120 or first_author not in paragraph[opening.end():]:
        return False
    names = _AFTER_NAMES.split(paragraph[opening.end():], maxsplit=1)[0]
    return not _PROSE.search(names)


def declared_charset(data: bytes) -> str | None:
    """The charset a page names in <meta charset> or <meta http-equiv content-type>."""
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None

