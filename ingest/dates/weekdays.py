"""Weekday names in the languages the readers handle (`ingest/vocab/weekdays.tsv`).

One table behind every weekday reading: a printed date line ("Sunday, 14 March 2021 10:00"), mentioned
weekdays in English and the other languages of `localised.py` ("Friday", "Montag", "lundi"). See
docs/architecture.md, "Dates".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ingest import vocab


@dataclass(frozen=True)
class WeekdayName:
    name: str  # as the language writes it inside a sentence ("Monday", "Montag", "lundi", "Mon")
    weekday: int  # 0 Monday … 6 Sunday, as `date.weekday()` counts
    abbreviation: bool  # "Mon"; False for a full name
    languages: tuple[str, ...]  # ISO 639-1 codes of the languages that write it


@cache
def weekday_names() -> tuple[WeekdayName, ...]:
    """Every row of weekdays.tsv, in file order (the file counts ISO weekdays, 1 Monday … 7 Sunday)."""
    return tuple(
        WeekdayName(name, int(iso) - 1, kind == "abbreviation", tuple(languages.split()))
        for name, iso, kind, languages in vocab.table("weekdays")
    )


@cache
def _numbers() -> dict[str, int]:
    return {w.name.casefold(): w.weekday for w in weekday_names()}


def weekday_number(word: str) -> int | None:
    """'Monday', 'montag', 'Mon.' → 0; None when the word is no weekday name the table knows."""
    return _numbers().get(word.casefold().rstrip("."))


def is_weekday_name(word: str) -> bool:
    """'Friday', 'Fri.', 'Freitag', 'vendredi' → True: a weekday's name or abbreviation in a language read here."""
    return weekday_number(word) is not None


@cache
def full_weekday_names() -> frozenset[str]:
    """Every language's full weekday names, case folded ("montag", "lundi"): no abbreviation ("mon")."""
    return frozenset(w.name.casefold() for w in weekday_names() if not w.abbreviation)


def weekday_names_in(language: str, *, abbreviations: bool = False) -> tuple[str, ...]:
    """The weekday names one language writes, Monday first, as it writes them ("Montag", "lundi")."""
    return tuple(w.name for w in weekday_names()
                 if language in w.languages and (abbreviations or not w.abbreviation))
