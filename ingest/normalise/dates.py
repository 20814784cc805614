"""Publication dates: a printed date string → a timezone-aware datetime in the offset the source meant.

Timezone abbreviations are ambiguous ("IST" is India, Israel or Irish Standard Time; "CST" is US Central
or China). Each abbreviation lists its readings; the country hint (from the agency, the URL's domain or
the publisher) picks one, otherwise the reading most common in English-language news wins.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

from dateutil import parser as dateparser

# abbreviation → [(UTC offset in minutes, countries where this reading applies)], most common first
TZ_ABBREVIATIONS: dict[str, list[tuple[int, tuple[str, ...]]]] = {
    "UTC": [(0, ())],
    "GMT": [(0, ())],
    "Z": [(0, ())],
    "IST": [(330, ("IN",)), (120, ("IL",)), (60, ("IE",))],
    "IDT": [(180, ("IL",))],
    "PKT": [(300, ("PK",))],
    "NPT": [(345, ("NP",))],
    "BST": [(60, ("GB",)), (360, ("BD",))],
    "WET": [(0, ("PT",))],
    "WEST": [(60, ("PT",))],
    "CET": [(60, ())],
    "CEST": [(120, ())],
    "MEZ": [(60, ("DE", "AT", "CH"))],
    "MESZ": [(120, ("DE", "AT", "CH"))],
    "EET": [(120, ())],
    "EEST": [(180, ())],
    "MSK": [(180, ("RU",))],
    "EST": [(-300, ("US", "CA")), (600, ("AU",))],
    "EDT": [(-240, ("US", "CA"))],
    "CST": [(-360, ("US", "CA")), (480, ("CN", "TW")), (570, ("AU",))],
    "CDT": [(-300, ("US", "CA"))],
    "MST": [(-420, ("US", "CA"))],
    "MDT": [(-360, ("US", "CA"))],
    "PST": [(-480, ("US", "CA")), (480, ("PH",))],
    "PDT": [(-420, ("US", "CA"))],
    "AKST": [(-540, ("US",))],
    "HST": [(-600, ("US",))],
    "AST": [(-240, ("CA", "PR")), (180, ("SA", "KW", "IQ"))],
    "SGT": [(480, ("SG",))],
    "HKT": [(480, ("HK",))],
    "JST": [(540, ("JP",))],
    "KST": [(540, ("KR",))],
    "AEST": [(600, ("AU",))],
    "AEDT": [(660, ("AU",))],
    "ACST": [(570, ("AU",))],
    "AWST": [(480, ("AU",))],
    "NZST": [(720, ("NZ",))],
    "NZDT": [(780, ("NZ",))],
    "SAST": [(120, ("ZA",))],
    "WAT": [(60, ("NG",))],
    "EAT": [(180, ("KE", "TZ", "UG", "ET"))],
    "GST": [(240, ("AE", "OM"))],
}

_ABBREV = re.compile(r"\b([A-Z]{1,5})\b")


def resolve_abbreviation(abbrev: str, country: str | None = None) -> tzinfo | None:
    """The fixed offset an abbreviation means, given the source's country when known."""
    readings = TZ_ABBREVIATIONS.get(abbrev.upper())
    if not readings:
        return None
    chosen = next((r for r in readings if country and country in r[1]), readings[0])
    return timezone(timedelta(minutes=chosen[0]))


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
    try:
        value = dateparser.parse(text, tzinfos=tzinfos, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if not 1900 <= value.year <= 2100:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=_country_zone(country) or timezone.utc)
    return value


def _clean(raw: str) -> str:
    """Remove what confuses dateutil: a full stop between date and time, 'hrs', 'at'."""
    text = re.sub(r"(\d{4})\.\s+(\d{1,2}[:.]\d{2})", r"\1 \2", raw.strip())
    text = re.sub(r"\b(\d{1,2})[.:](\d{2})\s*hrs?\b", r"\1:\2", text, flags=re.I)
    return re.sub(r"\s+", " ", text)


# countries with one clock, for dates printed without an offset
_SINGLE_ZONE: dict[str, int] = {"IN": 330, "PK": 300, "NP": 345, "JP": 540, "KR": 540, "CN": 480, "SG": 480}


def _country_zone(country: str | None) -> tzinfo | None:
    if country in _SINGLE_ZONE:
        return timezone(timedelta(minutes=_SINGLE_ZONE[country]))
    return None
