"""Time zones as news sources print them: abbreviations (`ingest/vocab/zones.tsv`) and a country's clock.

"IST" is India, Israel or Irish Standard Time, "CST" US Central or China: each abbreviation lists its
readings and the source's country picks one. US "ET"/"PT" name a clock, not an offset: daylight saving
follows the date ("9:30 a.m. ET" in July is -04:00). See docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest import vocab


@dataclass(frozen=True)
class Reading:
    """One meaning of an abbreviation: a UTC offset in minutes, where it applies (no countries: anywhere)."""

    minutes: int
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Abbreviation:
    """A printed zone abbreviation: fixed offsets (most common first), or a clock with daylight saving."""

    readings: tuple[Reading, ...] = ()
    clock: str | None = None  # an IANA zone ("America/New_York")


_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")


@cache
def abbreviations() -> dict[str, Abbreviation]:
    """Every time-zone abbreviation shipped in `zones.tsv`, upper case → its readings."""
    return {row[0].upper(): _abbreviation(row[1]) for row in vocab.table("zones")}


def _abbreviation(cell: str) -> Abbreviation:
    if _OFFSET.match(cell) is None:
        return Abbreviation(clock=cell)
    readings = []
    for part in cell.split(";"):
        offset, *countries = part.split()
        match = _OFFSET.fullmatch(offset)
        if match is None:
            raise ValueError(f"ingest/vocab/zones.tsv: {offset!r} is not a UTC offset (+HH:MM)")
        minutes = int(match[2]) * 60 + int(match[3])
        readings.append(Reading(-minutes if match[1] == "-" else minutes, tuple(countries)))
    return Abbreviation(tuple(readings))


def is_zone_abbreviation(word: str) -> bool:
    """'IST', 'cest', 'ET' → True: a time-zone abbreviation a source may print."""
    return word.upper() in abbreviations()


def resolve_abbreviation(abbrev: str, country: str | None = None) -> tzinfo | None:
    """The offset an abbreviation means, given the source's country when known (a US clock for "ET")."""
    found = abbreviations().get(abbrev.upper())
    if found is None:
        return None
    if found.clock is not None:
        return ZoneInfo(found.clock)
    chosen = next((r for r in found.readings if country and country in r.countries), found.readings[0])
    return timezone(timedelta(minutes=chosen.minutes))


# the clock of a country, for dates printed without an offset (one zone per country: its capital's; for the
# US, Canada, Brazil and Australia that is where most of their national press sits as well)
COUNTRY_ZONES: dict[str, str] = {
    "IN": "Asia/Kolkata", "PK": "Asia/Karachi", "NP": "Asia/Kathmandu", "BD": "Asia/Dhaka", "LK": "Asia/Colombo",
    "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong", "TW": "Asia/Taipei",
    "SG": "Asia/Singapore", "MY": "Asia/Kuala_Lumpur", "PH": "Asia/Manila", "ID": "Asia/Jakarta",
    "TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh", "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "IL": "Asia/Jerusalem",
    "IR": "Asia/Tehran", "AF": "Asia/Kabul", "TR": "Europe/Istanbul", "GB": "Europe/London", "IE": "Europe/Dublin",
    "DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich", "FR": "Europe/Paris",
    "IT": "Europe/Rome", "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "NL": "Europe/Amsterdam",
    "BE": "Europe/Brussels", "LU": "Europe/Luxembourg", "DK": "Europe/Copenhagen", "SE": "Europe/Stockholm",
    "NO": "Europe/Oslo", "FI": "Europe/Helsinki", "LT": "Europe/Vilnius", "LV": "Europe/Riga",
    "PL": "Europe/Warsaw", "CZ": "Europe/Prague",
    "HU": "Europe/Budapest", "GR": "Europe/Athens", "RO": "Europe/Bucharest", "UA": "Europe/Kyiv",
    "RU": "Europe/Moscow", "EG": "Africa/Cairo", "ZA": "Africa/Johannesburg", "NG": "Africa/Lagos",
    "KE": "Africa/Nairobi", "NZ": "Pacific/Auckland", "AR": "America/Argentina/Buenos_Aires",
    "CO": "America/Bogota", "CL": "America/Santiago", "PE": "America/Lima", "VE": "America/Caracas",
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City", "BR": "America/Sao_Paulo",
    "AU": "Australia/Sydney",
}


# languages whose readers (nearly) all live on one UTC offset: a date such a source prints without an offset is
# on that clock ('de' → DE: Germany, Austria and Switzerland share their offset; 'fa' → IR: Persian news is
# Iran's, Afghanistan's pages tag themselves "fa-AF" or "prs")
_ONE_CLOCK_LANGUAGES = {"de": "DE", "it": "IT", "nl": "NL", "pl": "PL", "cs": "CZ", "ja": "JP", "ko": "KR",
                        "da": "DK", "sv": "SE", "fi": "FI", "el": "GR", "hu": "HU", "tr": "TR", "uk": "UA",
                        "th": "TH", "fa": "IR", "lt": "LT", "lv": "LV"}


def language_country(language: str | None) -> str | None:
    """The country whose clock a language tag stands for: its region ('en-IN', 'de_AT'), else the country of
    a language spoken on one clock ('pl' → PL); None for a language spoken across zones ('en', 'ru', 'es')."""
    match = re.fullmatch(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}))?", (language or "").strip())
    if match is None:
        return None
    return match[2].upper() if match[2] else _ONE_CLOCK_LANGUAGES.get(match[1].lower())


def country_zone(country: str | None) -> tzinfo | None:
    """The clock of a country (ISO alpha-2) with its daylight saving time, or None when not known."""
    name = COUNTRY_ZONES.get(country or "")
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return None
