"""Mentioned dates in the languages besides English that `months.tsv` spells (de, fr, es, it, nl, pt).

    rules("de")   → the patterns `mentions.find_dates` runs on a German article, with their handlers

Recognised, in the article's language (month names from `months.tsv`, weekday names from `weekdays.tsv`,
"today"/"yesterday" from dateparser's language data; the words that make a bare year or month a date
from `ingest/vocab/date_prepositions.tsv`):
    am 3. März 2024, le 1er mai 2023, el 5 de junio de 2022, 12 maggio 2023     day
    3. März, le 12 mai (no year)          day: the closest such day to publication
    März 2024, junio de 2022             month
    im März, en mai, a maggio            month (after a preposition of the language only)
    seit 2019, en 2020, nel 2021         year (after a preposition of the language only)
    Montag, lundi, lunes                 day: the latest such weekday on or before publication
    heute, gestern, hier, ayer           day
Dates in numbers (2024-03-03, 03.03.2024, 2024年3月3日) are read for every language by `mentions.py`. What a language
leaves unsaid ("tomorrow": "morgen", "mañana" are also "morning") is not read.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from ingest import vocab
from ingest.dates.mentions import (
    _DAY,
    _YEAR,
    Handler,
    _bare_month,
    _full_date,
    _month_day,
    _month_year,
    _one_day,
    _year,
)
from ingest.dates.months import names_in
from ingest.dates.weekdays import weekday_names_in, weekday_number
from ingest.records import Granularity

LANGUAGES = ("de", "fr", "es", "it", "nl", "pt")
# a day number as these languages print it: "3." (de), "1er" (fr), "1º" / "1°" (es, it, pt)
_LDAY = rf"(?P<d>{_DAY.replace('(?:st|nd|rd|th)?', '')})(?:\.|er|º|°|ª)?"


def _alternatives(words: list[str]) -> str:
    """Longest first, so that 'sept' is tried before 'sep'."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _prepositions(language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    for code, years, months in vocab.table("date_prepositions"):
        if code == language:
            return tuple(years.split(";")), tuple(months.split(";"))
    return (), ()


_JOINED = ("-", "'", "’")  # "mi-mai", "jusqu'en": no space after these


def _before(words: tuple[str, ...]) -> str:
    """'seit' → 'seit\\s+'; 'mi-' or "jusqu'" → no space needed after."""
    longest_first = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w) + ("" if w.endswith(_JOINED) else r"\s+") for w in longest_first)


@cache
def relative_days(language: str) -> dict[str, int]:
    """'heute' → 0, 'gestern' → -1: dateparser's words for today and yesterday in the language."""
    from importlib import import_module

    info = import_module(f"dateparser.data.date_translation_data.{language}").info
    relative = info.get("relative-type", {})
    return {str(w).casefold(): shift for key, shift in (("0 day ago", 0), ("1 day ago", -1))
            for w in relative.get(key, ())}


def _weekday(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    if today is None:
        return None
    back = (today.weekday() - (weekday_number(m["wd"]) or 0)) % 7
    return _one_day(today - timedelta(days=back))


def _relative_day(m: re.Match[str], today: date | None, language: str) -> tuple[date, date, Granularity] | None:
    if today is None:
        return None
    return _one_day(today + timedelta(days=relative_days(language)[m["w"].casefold()]))


@cache
def rules(language: str) -> tuple[tuple[re.Pattern[str], Handler], ...]:
    """The date patterns of one language, most specific first (an earlier match wins an overlap)."""
    if language not in LANGUAGES:
        return ()
    full = _alternatives(list(names_in(language, abbreviations=False)))
    mon = rf"(?:{_alternatives(list(names_in(language)))})\.?"
    of = r"(?:\s+(?:de|del|do)\s+|,?\s+)"  # "5 de junio de 2022", "junho de 2022", "3. März 2024"
    years, months = _prepositions(language)
    weekday_names = _alternatives(list(weekday_names_in(language)))
    relative = _alternatives(list(relative_days(language)))
    flags = re.IGNORECASE
    found: list[tuple[re.Pattern[str], Handler]] = [
        (re.compile(rf"\b(?P<x>{_LDAY}\s+(?:de\s+)?(?P<mon>{mon}){of}(?P<y>{_YEAR}))\b", flags), _full_date),
        (re.compile(rf"\b(?P<x>(?P<mon>{full}){of}(?P<y>{_YEAR}))\b", flags), _month_year),
        (re.compile(rf"\b(?P<x>{_LDAY}\s+(?:de\s+)?(?P<mon>{full}))\b(?![.,]?\s*\d)", flags), _month_day),
    ]
    if months:
        found.append((re.compile(rf"(?<!\w)(?:{_before(months)})(?P<x>(?P<mon>{full}))\b(?!\s+\d)", flags),
                      _bare_month))
    if years:
        found.append((re.compile(rf"(?<!\w)(?:{_before(years)})(?P<x>(?P<y>{_YEAR}))\b(?![-/.]\d|\s*%)", flags),
                      _year))
    if weekday_names:  # as the language writes them: "Montag" in German, "lundi" in French
        found.append((re.compile(rf"\b(?P<x>(?P<wd>{weekday_names}))\b"), _weekday))
    if relative:
        found.append((re.compile(rf"(?<!\w)(?P<x>(?P<w>{relative}))(?!\w)", flags),
                      lambda m, today: _relative_day(m, today, language)))
    return tuple(found)
