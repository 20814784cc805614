"""Month names and abbreviations in the languages the readers handle (`ingest/vocab/months.tsv`).

One table behind every month reading: printed dates in any of those languages ("14. Januar 2022",
"1º de ago. 2022"), mentioned dates in English ("February 14", "mid-March") and the calendar words an
entity must not be. See docs/architecture.md, "Dates".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ingest import vocab


@dataclass(frozen=True)
class MonthName:
    name: str  # lower case, as printed ("januar", "févr", "sept")
    month: int  # 1-12
    abbreviation: bool  # "jan", "févr"; False for a full name ("january", "mai")
    languages: tuple[str, ...]  # ISO 639-1 codes of the languages that write it


@cache
def month_names() -> tuple[MonthName, ...]:
    """Every row of months.tsv, in file order."""
    return tuple(
        MonthName(name.casefold(), int(month), kind == "abbreviation", tuple(languages.split()))
        for name, month, kind, languages in vocab.table("months")
    )


@cache
def _numbers() -> dict[str, int]:
    return {m.name: m.month for m in month_names()}


def month_number(word: str) -> int | None:
    """'March', 'Mär.', 'juil' → 3, 3, 7; None when the word is no month name the table knows."""
    return _numbers().get(word.casefold().rstrip("."))


def is_month_name(word: str) -> bool:
    """'March', 'Mär.', 'juil' → True: a month's name or abbreviation in one of the languages read here."""
    return month_number(word) is not None


def names_in(language: str, *, abbreviations: bool = True) -> tuple[str, ...]:
    """The month names (lower case) one language writes, full names first; `abbreviations=False`: only those."""
    rows = [m for m in month_names() if language in m.languages and (abbreviations or not m.abbreviation)]
    return tuple(m.name for m in sorted(rows, key=lambda m: m.abbreviation))
