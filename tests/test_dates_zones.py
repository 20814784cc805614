"""Time-zone abbreviations: one list (ingest/vocab/zones.tsv) for normalise's reading and enrich's junk filter;
month names: one table (ingest/vocab/months.tsv) for printed dates, mentioned dates and calendar words."""

from __future__ import annotations

from datetime import timedelta

from ingest.dates import (
    is_month_name,
    is_zone_abbreviation,
    language_country,
    month_number,
    parse_published,
    resolve_abbreviation,
)
from ingest.dates.months import month_names, names_in, without_accents
from ingest.enrich.entities import CALENDAR_WORDS
from ingest.enrich.junk import is_junk


def offset(abbrev: str, country: str | None = None) -> timedelta | None:
    zone = resolve_abbreviation(abbrev, country)
    return zone.utcoffset(None) if zone is not None else None


def test_readings_follow_the_country() -> None:
    assert offset("IST", "IN") == timedelta(hours=5, minutes=30) and offset("IST", "IE") == timedelta(hours=1)
    assert offset("CST") == timedelta(hours=-6) and offset("CST", "CN") == timedelta(hours=8)
    assert offset("IRST") == timedelta(hours=3, minutes=30) and offset("NST") == timedelta(hours=-3, minutes=-30)
    assert offset("XYZ") is None


def test_one_list_for_reading_and_for_the_junk_filter() -> None:
    for abbrev in ("ET", "MESZ", "ACDT", "UZT", "IST"):
        assert is_zone_abbreviation(abbrev) and is_junk(abbrev, abbrev)
    assert not is_zone_abbreviation("NATO")
    acdt = parse_published("12 March 2021 09:30 ACDT")
    assert acdt is not None and acdt.isoformat() == "2021-03-12T09:30:00+10:30"


def test_one_month_table() -> None:
    assert month_number("Mär.") == 3 and month_number("juil") == 7 and month_number("Sept") == 9
    assert is_month_name("dezembro") and not is_month_name("monday")
    english = set(names_in("en"))
    assert len(english) == 24 and english <= CALENDAR_WORDS  # names and abbreviations of enrich's calendar words
    assert names_in("en", abbreviations=False)[0] == "january"


def test_no_spelling_names_two_months() -> None:
    """Folding the accents away must not merge two months either ("listopad": November in Polish and Czech,
    October in Croatian, which is why Croatian's names are not in the table)."""
    months: dict[str, set[int]] = {}
    for m in month_names():
        for spelling in (m.name, without_accents(m.name)):
            months.setdefault(spelling, set()).add(m.month)
    assert {spelling: found for spelling, found in months.items() if len(found) > 1} == {}
    assert month_number("PAŹDZIERNIKA") == month_number("pazdziernika") == 10


def test_the_country_a_language_tag_stands_for() -> None:
    assert [language_country(t) for t in ("pl", "de_AT", "en-IN", "en", "ru", "es", None, "not a tag")] == [
        "PL", "AT", "IN", None, None, None, None, None]
