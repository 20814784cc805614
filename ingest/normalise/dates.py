"""Publication dates: a printed date string → a timezone-aware datetime in the offset the source meant.

Timezone abbreviations are ambiguous ("IST" is India, Israel or Irish Standard Time; "CST" is US Central
or China). Each abbreviation lists its readings; the country hint (from the agency, the URL's domain or
the publisher) picks one, otherwise the reading most common in English-language news wins.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    return _localise(value, country, _serialised_utc(text))


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


# the clock of a country, for dates printed without an offset (one zone per country: its capital's; for the
# US, Canada, Brazil and Australia that is where most of their national press sits as well)
COUNTRY_ZONES: dict[str, str] = {
    "IN": "Asia/Kolkata", "PK": "Asia/Karachi", "NP": "Asia/Kathmandu", "BD": "Asia/Dhaka", "LK": "Asia/Colombo",
    "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong", "TW": "Asia/Taipei",
    "SG": "Asia/Singapore", "MY": "Asia/Kuala_Lumpur", "PH": "Asia/Manila", "ID": "Asia/Jakarta",
    "TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh", "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "IL": "Asia/Jerusalem",
    "IR": "Asia/Tehran", "TR": "Europe/Istanbul", "GB": "Europe/London", "IE": "Europe/Dublin",
    "DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich", "FR": "Europe/Paris",
    "IT": "Europe/Rome", "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "NL": "Europe/Amsterdam",
    "BE": "Europe/Brussels", "LU": "Europe/Luxembourg", "DK": "Europe/Copenhagen", "SE": "Europe/Stockholm",
    "NO": "Europe/Oslo", "FI": "Europe/Helsinki", "PL": "Europe/Warsaw", "CZ": "Europe/Prague",
    "HU": "Europe/Budapest", "GR": "Europe/Athens", "RO": "Europe/Bucharest", "UA": "Europe/Kyiv",
    "RU": "Europe/Moscow", "EG": "Africa/Cairo", "ZA": "Africa/Johannesburg", "NG": "Africa/Lagos",
    "KE": "Africa/Nairobi", "NZ": "Pacific/Auckland", "AR": "America/Argentina/Buenos_Aires",
    "CO": "America/Bogota", "CL": "America/Santiago", "PE": "America/Lima", "VE": "America/Caracas",
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City", "BR": "America/Sao_Paulo",
    "AU": "Australia/Sydney",
}


def country_zone(country: str | None) -> tzinfo | None:
    """The clock of a country (ISO alpha-2) with its daylight saving time, or None when not known."""
    name = COUNTRY_ZONES.get(country or "")
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return None
