"""Publication dates: the source's date string → a timezone-aware datetime in the offset the source meant.

The string is read as the source gave it (`RawDocument.published_raw`): a full date printed in any
language of `months.tsv` and a numeric one in the order `order.py` decides are read first ('16. März 2019',
'10/05/2022' from a British source), then dateutil reads the rest (time, offset, abbreviation). Time-zone
abbreviations are read with the source's country in mind (`zones.py`: "IST" is India Standard Time for an
Indian source, Israel's for an Israeli one); a time printed without an offset is put on the country's
clock. See docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from dateutil import parser as dateutil_parser

from ingest.dates.order import NUMERIC_DATE, DateOrder, numeric_match
from ingest.dates.printed import with_iso_dates
from ingest.dates.zones import country_zone, resolve_abbreviation
from ingest.records import DateClock

# how far ahead of the reader's clock a page's date may be and still be now somewhere: the widest offsets
# (UTC+14, a day printed on the far side of the date line) and a clock a little fast
CLOCK_SLACK = timedelta(hours=26)
_ABBREV = re.compile(r"\b([A-Z]{1,5})\b")
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<h>\d{2}):(?P<m>\d{2})")  # a clock given as a UTC offset


def parse_published(
    raw: str | None, country: str | None = None, order: DateOrder | None = None, clock: DateClock | None = None,
    *, now: datetime | None = None,
) -> datetime | None:
    """'Sat, March 16 2019. 10:10 IST' → 2019-03-16T10:10:00+05:30; None when no date can be read.

    `order` is how the source writes numeric dates (`order.date_order`); a numeric date it cannot settle
    gives None. A date printed without an offset gets the country's zone when the country has one, else UTC.
    `clock`: the clock a UTC stamp is meant on, when the source says (`RawDocument.published_clock`).
    A date after the moment of reading (`now`, default the real clock; see `is_future`) is not one a
    source was published on: None.
    """
    if not raw or not raw.strip():
        return None
    text = _numeric_as_iso(with_iso_dates(_clean(raw), order), order)
    if text is None:
        return None
    tzinfos = {
        abbrev: tz for abbrev in set(_ABBREV.findall(text)) if (tz := resolve_abbreviation(abbrev, country))
    }
    value = _parse(text, tzinfos)
    if value is None or not 1900 <= value.year <= 2100:
        return None
    localised = _localise(value, country, _serialised_utc(text), clock)
    return None if is_future(localised, now) else localised


def is_future(value: datetime | date, now: datetime | None = None) -> bool:
    """Whether a date is later than the moment of reading (`now`, an aware datetime; default the real
    clock) by more than time zones explain (CLOCK_SLACK): "Published: 14 March 2099", a page stamped
    2091-01-01. A day alone counts from its start. Tests pass `now` to stay deterministic."""
    latest = (now or datetime.now(UTC)) + CLOCK_SLACK
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)) > latest
    return value > latest.date()


def _numeric_as_iso(text: str, order: DateOrder | None) -> str | None:
    """The first numeric date the printed-date reader left ('10-05-22', '12.03.21': two-digit years, dashes)
    written as ISO in `order` (dots: day first); None when its order cannot be settled, so that dateutil
    never guesses it."""
    match = NUMERIC_DATE.search(text)
    if match is None:
        return text
    day = numeric_match(match, order)
    if day is None:
        return None
    return text[: match.start()] + day.isoformat() + text[match.end():]


def _parse(text: str, tzinfos: dict[str, Any]) -> datetime | None:
    """dateutil's reading, only when the text names a whole date: dateutil fills a missing year, month or
    day from a default ('-1' or '12 hours ago' would become today), so the text is read with two defaults
    that differ in all three and must give the same day both times."""
    readings = []
    for default in _DEFAULTS:
        try:
            with warnings.catch_warnings():  # an abbreviation no table knows leaves the time naive: localised below
                warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
                readings.append(dateutil_parser.parse(text, default=default, tzinfos=tzinfos, fuzzy=True))
        except (ValueError, OverflowError, TypeError):
            return None
    first, second = readings
    return first if first.date() == second.date() else None


_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))


def _localise(value: datetime, country: str | None, utc_stamp: bool, clock: DateClock | None) -> datetime:
    """Give a naive time the country's clock; show a bare UTC stamp ("…Z") on the country's clock.

    A page that serialises its time as UTC ("Z") means a local date: 23:00Z on a German site is the next
    day in Germany. A time printed with an offset (even +00:00) or a named zone keeps what it was given,
    unless `clock` says which one the source meant: UTC, the country's, or an offset ("-08:00").
    """
    zone = country_zone(country)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone or UTC)
    if clock == "utc":
        return value.astimezone(UTC)
    if clock == "country" and zone is not None:
        return value.astimezone(zone)
    if clock is not None and (offset := _OFFSET.fullmatch(clock)):
        minutes = int(offset["h"]) * 60 + int(offset["m"])
        return value.astimezone(timezone(timedelta(minutes=-minutes if offset["sign"] == "-" else minutes)))
    if zone is not None and utc_stamp and _has_time(value):
        return value.astimezone(zone)
    return value


def _has_time(value: datetime) -> bool:
    return (value.hour, value.minute, value.second) != (0, 0, 0)


def _serialised_utc(text: str) -> bool:
    """A machine timestamp in UTC ('2022-11-06T23:00:00.000Z'), not an offset the page chose to print."""
    return bool(re.search(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$", text.strip()))


def _clean(raw: str) -> str:
    """Remove what confuses dateutil: a full stop between date and time, 'hrs' (digits of another script are
    read by `with_iso_dates`, which needs them as printed: Persian digits make "۱۴۰۰/۱۰/۲۱" a Solar Hijri
    date; `_parse` reads what it leaves in ASCII)."""
    text = re.sub(r"(\d{4})\.\s+(\d{1,2}[:.]\d{2})", r"\1 \2", raw.strip())
    text = re.sub(r"\b(\d{1,2})[.:](\d{2})\s*hrs?\b", r"\1:\2", text, flags=re.I)
    return re.sub(r"\s+", " ", text)
