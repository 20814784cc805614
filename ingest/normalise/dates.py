"""Publication dates: a printed date string → a timezone-aware datetime in the offset the source meant.

Timezone abbreviations are read with the source's country in mind (`ingest.timezones`: "IST" is India
Standard Time for an Indian source, Israel's for an Israeli one); a time printed without an offset is put
on the country's clock.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from typing import Any

from dateutil import parser as dateparser

from ingest.timezones import country_zone, resolve_abbreviation

_ABBREV = re.compile(r"\b([A-Z]{1,5})\b")


def parse_published(raw: str | None, country: str | None = None) -> datetime | None:
    """'Sat, March 16 2019. 10:10 IST' → 2019-03-16T10:10:00+05:30; None when no date can be read.

    A date printed without an offset gets the country's zone when the country has only one, else UTC.
    """
    if not raw or not raw.strip():
        return None
    text = _clean(raw)
    tzinfos = {
        abbrev: tz for abbrev in set(_ABBREV.findall(text)) if (tz := resolve_abbreviation(abbrev, country))
    }
    value = _parse(text, tzinfos)
    if value is None or not 1900 <= value.year <= 2100:
        return None
    return _localise(value, country, _serialised_utc(text))


def _parse(text: str, tzinfos: dict[str, Any]) -> datetime | None:
    """dateutil's reading, only when the text names a whole date: dateutil fills a missing year, month or
    day from a default ('-1' or '12 hours ago' would become today), so the text is read with two defaults
    that differ in all three and must give the same day both times."""
    readings = []
    for default in _DEFAULTS:
        try:
            with warnings.catch_warnings():  # an abbreviation no table knows leaves the time naive: localised below
                warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
                readings.append(dateparser.parse(text, default=default, tzinfos=tzinfos, fuzzy=True,
                                                 dayfirst=_day_first(text)))
        except (ValueError, OverflowError, TypeError):
            return None
    first, second = readings
    return first if first.date() == second.date() else None


_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))


def _day_first(text: str) -> bool:
    """'12.03.2021' is 12 March wherever it is printed (dots are never month first)."""
    return bool(_DOTTED_DATE.search(text))


_DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b")


def _localise(value: datetime, country: str | None, utc_stamp: bool) -> datetime:
    """Give a naive time the country's clock; show a bare UTC stamp ("…Z") on the country's clock.

    A page that serialises its time as UTC ("Z") means a local date: 23:00Z on a German site is the next
    day in Germany. A time printed with an offset (even +00:00) or a named zone keeps what it was given.
    """
    zone = country_zone(country)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone or UTC)
    if zone is not None and utc_stamp and _has_time(value):
        return value.astimezone(zone)
    return value


def _has_time(value: datetime) -> bool:
    return (value.hour, value.minute, value.second) != (0, 0, 0)


def _serialised_utc(text: str) -> bool:
    """A machine timestamp in UTC ('2022-11-06T23:00:00.000Z'), not an offset the page chose to print."""
    return bool(re.search(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$", text.strip()))


def _clean(raw: str) -> str:
    """Remove what confuses dateutil: a full stop between date and time, 'hrs', 'at'."""
    text = re.sub(r"(\d{4})\.\s+(\d{1,2}[:.]\d{2})", r"\1 \2", raw.strip())
    text = re.sub(r"\b(\d{1,2})[.:](\d{2})\s*hrs?\b", r"\1:\2", text, flags=re.I)
    return re.sub(r"\s+", " ", text)
