"""The publication date of a page, in order of trust: JSON-LD, named <meta>/microdata, the date next to
the headline (<time> element, then printed date line), a labelled date ("Published on …"), generic <meta>
names ("date", "dc.date"), any other <time>, the URL; then (in the reader) a dateline opening the story, a
Unix time stamp on a page element (a post's permalink), and last htmldate's search of the whole text.

A <time> element or a generic meta date elsewhere in the page is often a teaser's, a comment's, today's
date in the header or the last edit: the date printed beside the headline is the page's own.

Declared stamps (JSON-LD, <meta>) lose to the page's printed word in two cases: a "Published: …" line
that disagrees, and a date beside the headline two days or more after every declared stamp (a content
system's record of when the draft was created; an "Updated …" line does not count as that date).

The value is kept as the page printed it ("2020-01-13T09:30:00+02:00"): normalise resolves it and keeps
the offset the page meant. Only the first source that yields a readable date is used, except that a JSON-LD
stamp that is the <meta> one plus the country's offset written as "Z" (the local clock mislabelled as UTC)
gives way to the <meta> one. A machine date '10/05/2022' is kept as printed, with the order that gives a
day the page prints as `date_order` (else normalise applies `ingest.dates.order`). And a machine stamp in
UTC ("…Z", "+00:00") is kept too, with the clock that puts it on the day the page prints (beside the
headline, in its <time> element or its URL) as `published_clock`: normalise shows the same instant in the
zone the page meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from ingest.dates import (
    NUMERIC_DATE,
    DateOrder,
    country_zone,
    day_or_none,
    full_year,
    is_future,
    printed_dates,
    printed_order,
    read_date,
)
from ingest.dates.clock import CLOCK_TIME, hour_minute
from ingest.parse.html import dom
from ingest.parse.html.dom import Element
from ingest.parse.html.fields import country_hint
from ingest.parse.html.metadata import PageMeta, text_value
from ingest.parse.html.textdates import (
    HeadlineDates,
    byline_date,
    headline_dates,
    labelled_date,
    page_walk,
    printed_time,
)
from ingest.records import DateClock, DateSource

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "datepublished", "publishdate", "publish-date", "publish_date", "pubdate", "publication_date",
    "sailthru.date", "parsely-pub-date", "article.published", "article_date_original", "cxenseparse:recs:publishtime",
    "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created",
    "citation_publication_date", "citation_date", "originalpublicationdate",
    "og:pubdate", "pubdatetime", "release_date", "vr:published_time", "bt:pubdate", "date_published",
    "article:published_date", "article:publicationdate", "article:post_date", "article.created", "published-date",
    "publication-date", "datecreated", "date_created", "dateposted", "content_create_date", "displaydate",
    "doc_date", "dc.date.publication", "dcsext.articlefirstpublished", "rnews:datepublished", "rbpubdate",
    "mediator_published_time", "shareaholic:article_published_time", "twt-published-at", "ptime", "pdate",
)
# names that say "a date" without saying which one (often the last edit): below the headline's date
GENERIC_META = ("dc.date", "dcterms.date", "date", "dc:date", "created")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:/|[_-]|\.|$)")
_COMPACT_DATE = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4}|\d{6})?")
_TIME_HINT = re.compile(r"publish|posted|entry-date|dateline|byline|article.?date|post.?date|meta", re.I)


@dataclass(frozen=True)
class PublishedDate:
    """The date string as the page gives it and where it came from; the order of its day and month and the
    clock of its UTC stamp when the day the page prints settles them."""

    value: str | None = None
    where: DateSource | None = None
    order: DateOrder | None = None
    clock: DateClock | None = None


def published_date(
    document: Element, page: PageMeta, url: str | None, headline: str | None = None, *, now: datetime | None = None
) -> PublishedDate:
    """The page's publication date, or an empty PublishedDate. A date after the moment of reading (`now`,
    default the real clock) is no publication date: the next source is asked."""
    items = page_walk(document)
    found = headline_dates(document, headline, items)
    near = replace(found, time=current(found.time, now), text=current(found.text, now),
                   time_above=current(found.time_above, now))
    value, where = _first_published(document, page, url, near, items, now=now)
    if value is None:
        return PublishedDate()
    if where == "text" and (time := printed_time(document, value, items)) is not None:
        value = f"{value}T{time}"  # the day from a printed line, and the time printed beside it
    printed = _printed_days(document, value, near, url)
    clock = printed_clock(document, value) or on_printed_day(value, printed, country_hint(url, page))
    return PublishedDate(value, where, in_printed_order(value, printed), clock)


def _first_published(
    document: Element, page: PageMeta, url: str | None, near: HeadlineDates, items: list[str | Element], *,
    now: datetime | None,
) -> tuple[str | None, DateSource | None]:
    declared: tuple[tuple[str | None, DateSource], ...] = (
        (_valid(text_value(page.article_value("datePublished"))), "jsonld"),
        (_valid(page.first(*PUBLISHED_META)) or _microdata(document, "datepublished"), "meta"),
    )
    stated = [(found, where) for value, where in declared if (found := current(value, now))]
    if len(stated) == 2 and _wall_clock_as_utc(stated[0][0], stated[1][0], country_hint(url, page)):
        stated.reverse()  # JSON-LD wrote the local clock as UTC; the <meta> stamp is the real instant
    labelled = current(labelled_date(document, items), now)
    if labelled and stated and not any(v.startswith(labelled) for v, _ in stated) and \
            _may_overrule(labelled, stated, page):
        return labelled, "text"  # the page's own "Published: …" line beats a machine date that disagrees
    if stated and near.text and all(_days_before(v, near.text) for v, _ in stated) and \
            _may_overrule(near.text, stated, page) and not _prints_modified(document, page, near.text):
        return near.text, "text"  # stamps days older than the printed date: the draft's, not the story's
    if stated:  # JSON-LD first, unless only the <meta> date is the one printed beside the headline
        printed = [(v, w) for v, w in stated if near.text and _ISO_DATE.match(v) and v.startswith(near.text)]
        return printed[0] if len(printed) == 1 and near.text else stated[0]
    candidates: tuple[tuple[str | None, DateSource], ...] = (
        (_valid(near.time), "time"),
        (near.text, "text"),
        (_valid(near.time_above), "time"),
        (labelled, "text"),
        (byline_date(document, items), "text"),
        (_valid(page.first(*GENERIC_META)), "meta"),
        (_time_element(document), "time"),
        (url_date(url), "url"),
    )
    return next(((value, where) for value, where in candidates if current(value, now)), (None, None))


def current(value: str | None, now: datetime | None) -> str | None:
    """A date string unless the day it names is after the moment of reading (`ingest.dates.is_future`)."""
    day = day_of(value) if value else None
    return None if day is not None and is_future(day, now) else value


def day_of(value: str) -> date | None:
    """The calendar day a date string names: its ISO date, else the first full date printed in it."""
    match = _ISO_DATE.search(value)
    if match:
        return day_or_none(int(match[1]), int(match[2]), int(match[3]))
    return read_date(value)


def _may_overrule(printed: str, stated: list[tuple[str, DateSource]], page: PageMeta) -> bool:
    """Whether a printed date may overrule the declared stamps: not when JSON-LD and <meta> both declare
    one calendar day, unless the page declares the printed day as its last edit (a story republished on
    the day it prints, the first stamps left as they were)."""
    days = {day_of(value) for value, _ in stated}
    if len(stated) < 2 or len(days) != 1 or None in days:
        return True
    modified = modified_date(page)
    return modified is not None and day_of(modified) == day_of(printed)


def _prints_modified(document: Element, page: PageMeta, day: str) -> bool:
    """Whether the page prints `day` in a <time> element carrying its declared last-edit stamp (the same
    instant as JSON-LD dateModified or <meta> article:modified_time): that day is the update, not the story's."""
    modified = modified_date(page)
    stamp = _instant(modified) if modified else None
    if stamp is None:
        return False
    for tag in dom.descendants(document, "time", limit=30):
        carried = _instant(str(tag.get("datetime") or ""))
        if carried == stamp and read_date(dom.text(tag, " ", strip=True)) == date.fromisoformat(day):
            return True
    return False


def _wall_clock_as_utc(first: str | None, second: str | None, country: str | None) -> bool:
    """Whether `first` is a local wall-clock time mislabelled as UTC: a "…Z" stamp exactly the country's
    UTC offset ahead of `second` ('2020-04-25T07:25:06Z' beside '2020-04-24T21:25:06+00:00' on an
    Australian page, +10:00). A common CMS bug; the other stamp then says when the story went out."""
    zone = country_zone(country)
    if not first or not second or zone is None or not first.endswith("Z"):
        return False
    a, b = _instant(first), _instant(second)
    if a is None or b is None or a == b:
        return False
    offset = b.astimezone(zone).utcoffset()
    return offset is not None and a - b == offset


def _instant(value: str) -> datetime | None:
    """An ISO stamp with a time and an offset → the aware datetime, else None."""
    try:
        stamp = datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None and stamp.time() != datetime.min.time() else None


def _days_before(value: str, day: str) -> bool:
    """Whether an ISO stamp is two days or more before `day` (on any clock: no time zone explains it)."""
    match = _ISO_DATE.match(value)
    declared = day_or_none(int(match[1]), int(match[2]), int(match[3])) if match else None
    return declared is not None and (date.fromisoformat(day) - declared).days >= 2


def in_printed_order(value: str, printed: set[date]) -> DateOrder | None:
    """'10/05/2022 05:22 pm' → 'dmy' when the page prints 10 May beside its headline: the order that reads
    a machine date as the printed day (`ingest.dates.printed_order`); None when the page prints neither."""
    match = NUMERIC_DATE.match(value)
    if match is None:
        return None
    return printed_order(int(match["first"]), int(match["second"]), full_year(int(match["year"])), printed)


def on_printed_day(value: str, printed: set[date], country: str | None) -> DateClock | None:
    """The clock that keeps a UTC stamp on the day the page prints: UTC itself when the printed day is the
    UTC one, the country's when that is the printed day, else None (normalise's default)."""
    instant = _utc_instant(value)
    zone = country_zone(country)
    if instant is None or zone is None or not printed:
        return None
    local = instant.astimezone(zone)
    if instant.date() in printed and local.date() not in printed:
        return "utc"
    if local.date() in printed and instant.date() not in printed:
        return "country"
    return None


def printed_clock(document: Element, value: str) -> DateClock | None:
    """The UTC offset ("-08:00") on which the page prints the time of day of its stamp, when that is not the
    stamp's own: '<time datetime="2019-11-19T07:03:25+00:00">November 18, 2019 11:03 PM</time>' is a page on
    UTC-8. Read from the text of the <time> elements that carry this very stamp; a day printed there must be
    the day on that clock, and the offset a real one (UTC-12 … UTC+14, whole quarter hours)."""
    instant = _instant(value)
    if instant is None:
        return None
    for tag in [t for t in document.iter("time") if t.get("datetime") == value][:3]:
        text = dom.text(tag, " ", strip=True)
        if (offset := _offset_printed(instant, text)) is not None:
            return offset
    return None


def _offset_printed(instant: datetime, text: str) -> DateClock | None:
    clock = CLOCK_TIME.search(text)
    time = hour_minute(clock) if clock else None
    if time is None:
        return None
    hour, minute = time
    utc = instant.astimezone(UTC)
    minutes = (hour * 60 + minute - utc.hour * 60 - utc.minute) % 1440
    minutes = minutes - 1440 if minutes > 14 * 60 else minutes
    if minutes % 15 or minutes < -12 * 60:
        return None
    local = utc + timedelta(minutes=minutes)
    day = read_date(text)
    if (day is not None and day != local.date()) or instant.utcoffset() == timedelta(minutes=minutes):
        return None
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _utc_instant(value: str) -> datetime | None:
    """'2020-05-02T02:54:29.000Z' or '…+00:00' with a time of day → the aware datetime, else None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)", value):
        return None
    try:
        stamp = datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        return None
    return stamp.astimezone(UTC) if stamp.time() != datetime.min.time() else None


def _printed_days(document: Element, value: str, near: HeadlineDates, url: str | None) -> set[date]:
    """The days a page prints for its publication: the date line beside the headline, the text of the
    <time> element that carries this stamp, and the date in its URL."""
    texts = [near.text, url_date(url)]
    carrying = [t for t in document.iter("time") if t.get("datetime") == value][:3]
    texts += [dom.text(t, " ", strip=True) for t in carrying]
    return {day for text in texts if text and (day := read_date(text)) is not None}


def modified_date(page: PageMeta) -> str | None:
    return _valid(text_value(page.article_value("dateModified"))) or _valid(page.first(*MODIFIED_META))


def url_date(url: str | None) -> str | None:
    """'/2020/01/13/' or '/20200113' in a URL → '2020-01-13'."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    return _valid("-".join(match.groups()))


def _microdata(document: Element, prop: str) -> str | None:
    itemprop = re.compile(rf"^{prop}$", re.I)
    tags = [t for t in document.xpath("descendant-or-self::*[@itemprop]") if itemprop.search(t.get("itemprop"))]
    for tag in tags[:3]:
        value = tag.get("content") or tag.get("datetime") or dom.text(tag, " ", strip=True)
        if (found := _valid(str(value))) is not None:
            return found
    return None


def _time_element(document: Element) -> str | None:
    """A <time datetime> marked as the publication time, else the first one in the article header."""
    times = dom.descendants(document, "time", limit=30)
    marked = [t for t in times if t.get("pubdate") is not None or dom.names_itself(t, _TIME_HINT)]
    for tag in marked or times[:1]:
        value = _valid(str(tag.get("datetime") or "")) or _valid(dom.text(tag, " ", strip=True))
        if value:
            return value
    return None


def _valid(value: str | None) -> str | None:
    """A date string that contains a plausible calendar date (1990 … 2100), else None."""
    if not value or not value.strip():
        return None
    value = value.strip()
    match = _ISO_DATE.search(value)
    if match:
        try:
            found = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        return value if 1990 <= found.year <= 2100 else None
    if re.search(r"\b(?:19|20)\d{2}\b", value) and len(value) <= 80:
        return value
    if (match := _COMPACT_DATE.fullmatch(value)) and day_or_none(*map(int, match.groups())):
        return value  # "20210312", "20210312053000" (<meta name="pdate">, "ptime")
    return None


_EPOCH_ATTRS = ("data-time", "data-time-ms", "data-utime", "data-timestamp")
_EPOCH = re.compile(r"1\d{9}(?:\d{3})?")  # 2001-09-09 … 2033-05-18, in seconds or milliseconds


_EPOCH_XPATH = "descendant-or-self::*[" + " or ".join(f"@{name}" for name in _EPOCH_ATTRS) + "]"


def epoch_date(document: Element) -> str | None:
    """The first Unix time stamp a page element carries ('<span data-time="1594448702">' in a post's
    permalink, Facebook's data-utime), in UTC: social posts and forums print their times this way."""
    tags = document.xpath(_EPOCH_XPATH)
    tag = next((t for t in tags if any(_EPOCH.fullmatch(str(t.get(name) or "")) for name in _EPOCH_ATTRS)), None)
    if tag is None:
        return None
    stamp = next(int(v) for name in _EPOCH_ATTRS if _EPOCH.fullmatch(v := str(tag.get(name) or "")))
    seconds = stamp / 1000 if stamp > 10**11 else stamp
    return _valid(datetime.fromtimestamp(seconds, UTC).isoformat())


def text_date(html: str, url: str | None, tree: Element | None = None) -> str | None:
    """A date printed in the page's text, found by htmldate's extensive search (publication, not update).

    htmldate falls back to a bare year when it finds nothing better and reports it as 1 January, and to
    the month of a date it cannot read ('2021-02-30') as its 1st: a 1st that the page never prints as a full
    date is dropped (no date beats a wrong one)."""
    from htmldate import find_date

    try:  # `tree`: the page's tree as htmldate reads it (else it parses `html` itself)
        found = find_date(html if tree is None else tree, url=url, original_date=True, extensive_search=True)
    except (ValueError, TypeError, RecursionError):
        return None
    value = _valid(found) if isinstance(found, str) else None
    if value is not None and value[8:10] == "01" and not _prints(html, value[:10]):
        return None
    return value


def _prints(html: str, iso_day: str) -> bool:
    """Whether the page prints this day as a full date anywhere ('1. Januar 2016', '2016-01-01')."""
    wanted = date.fromisoformat(iso_day)
    return any(found == wanted for found in printed_dates(html))
