"""Month names and abbreviations in the languages the readers handle (`ingest/vocab/months.tsv`).

One table behind every month reading: printed dates in any of those languages ("14. Januar 2022",
"1º de ago. 2022", "5 stycznia 2020", "5 января 2020"), mentioned dates in English ("February 14",
"mid-March") and the calendar words an entity must not be. See docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TypeAlias

from ingest import vocab

GREGORIAN = "gregorian"
JALALI = "jalali"  # the Solar Hijri months (months.tsv's calendar column; calendars.py)


@dataclass(frozen=True)
class MonthName:
    name: str  # lower case, as printed ("januar", "févr", "sept")
    month: int  # 1-12
    abbreviation: bool  # "jan", "févr"; False for a full name ("january", "mai")
    languages: tuple[str, ...]  # ISO 639-1 codes of the languages that write it
    calendar: str = GREGORIAN  # JALALI: a Solar Hijri month


@cache
def month_names() -> tuple[MonthName, ...]:
    """Every row of months.tsv, in file order."""
    return tuple(
        MonthName(_folded(name), int(month), kind == "abbreviation", tuple(languages.split()),
                  calendar[0] if calendar and calendar[0] else GREGORIAN)
        for name, month, kind, languages, *calendar in vocab.table("months")
    )


@cache
def _numbers(calendar: str = GREGORIAN) -> dict[str, int]:
    """Every name of a calendar's months as the table spells it, and without its accents ("ΙΑΝΟΥΑΡΙΟΥ" in
    capitals drops them, "pazdziernika" is typed without them): no two months share a spelling either way
    (tests)."""
    names = [m for m in month_names() if m.calendar == calendar]
    return {without_accents(m.name): m.month for m in names} | {m.name: m.month for m in names}


def _folded(word: str) -> str:
    """Case folded and composed again: folding spells 'ΐ' as three code points, which a pattern would miss."""
    return unicodedata.normalize("NFC", word.casefold())


def without_accents(word: str) -> str:
    """'Ιανουαρίου', 'März', 'września', 'Kasım' → 'ιανουαριου', 'marz', 'wrzesnia', 'kasim': case folded,
    combining marks dropped, Turkish dotless ı as i (its capital I folds to i: "KASIM")."""
    decomposed = unicodedata.normalize("NFD", word.casefold().replace("ı", "i"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def spellings(calendar: str = GREGORIAN) -> tuple[str, ...]:
    """Every spelling `month_number` reads (lower case), longest first; with a nukta letter also as pages
    type it, one character ("फ़रवरी" as U+095E), which composing never gives back (`_PRECOMPOSED`)."""
    names = set(_numbers(calendar))
    return tuple(sorted(names | {_precomposed(name) for name in names}, key=len, reverse=True))


# letters with a nukta that Unicode keeps out of composition: Devanagari क़…य़, Bengali ড় ঢ় য়, Gurmukhi
_PRECOMPOSED = {unicodedata.normalize("NFD", chr(c)): chr(c)
                for c in (*range(0x0958, 0x0960), 0x09DC, 0x09DD, 0x09DF, 0x0A33, 0x0A36, *range(0x0A59, 0x0A5F))
                if unicodedata.normalize("NFD", chr(c)) != chr(c)}


def _precomposed(name: str) -> str:
    for decomposed, letter in _PRECOMPOSED.items():
        name = name.replace(decomposed, letter)
    return name


_Trie: TypeAlias = dict[str, "_Trie"]  # one branch per next letter; "" marks the end of a name


@cache
def month_pattern(calendar: str = GREGORIAN) -> str:
    """A regular expression (no groups) for every spelling of a calendar's months, longest first at each
    branch point: written as a trie ("ma(?:y|rch|…)"), so a pattern that holds it costs one try per letter,
    not one per name (some 900)."""
    trie: _Trie = {}
    for name in spellings(calendar):
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return _as_pattern(trie)


def _as_pattern(node: _Trie) -> str:
    branches = sorted(((re.escape(char) + _as_pattern(rest)) if char else "" for char, rest in node.items()),
                      key=len, reverse=True)  # the longer branch first: "märz" before "mär"
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def month_number(word: str, calendar: str = GREGORIAN) -> int | None:
    """'March', 'Mär.', 'juil', 'stycznia', 'ΜΑΪΟΥ' → 3, 3, 7, 1, 5; None when the word is no month name the
    table knows (in `calendar`: 'شهریور' is month 6 of "jalali", no Gregorian month)."""
    key, numbers = _folded(word).rstrip("."), _numbers(calendar)
    return numbers.get(key) or numbers.get(without_accents(key))


def is_month_name(word: str) -> bool:
    """'March', 'Mär.', 'juil' → True: a Gregorian month's name or abbreviation in one of the languages read
    here."""
    return month_number(word) is not None


@cache
def full_month_names() -> frozenset[str]:
    """Every language's full month names as printed, case folded ("august", "juni", "março"): no abbreviation
    ("jan") and no accent dropped, so "Marco" is no month."""
    return frozenset(m.name for m in month_names() if not m.abbreviation)


def names_in(language: str, *, abbreviations: bool = True, calendar: str = GREGORIAN) -> tuple[str, ...]:
    """The month names (lower case) one language writes for a calendar, full names first;
    `abbreviations=False`: only those."""
    rows = [m for m in month_names()
            if language in m.languages and m.calendar == calendar and (abbreviations or not m.abbreviation)]
    return tuple(m.name for m in sorted(rows, key=lambda m: m.abbreviation))
