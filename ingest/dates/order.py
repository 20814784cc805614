"""The day/month order of numeric dates ("10/05/2022"): one policy for every reader, normalise and enrich.

A value settles itself when one part cannot be a month ("25/05/2022", "5/25/2022"); dots are day first
wherever they are printed ("10.05.2022"); ISO is year-month-day. Otherwise, in order of trust:
  1. evidence the page itself gives (the day it prints beside the headline, for a machine date);
  2. a machine stamp (a page's JSON-LD, <meta> or <time datetime>, not text written for readers) is month
     first: slashes in a stamp are the invariant (US) format of the software that wrote it, wherever the
     page is from ('<meta name="date" content="11/01/2023 12:43:42">' on a Swiss page printing
     "Erstellt am: 01.11.2023");
  3. the source's country: month first in the US and the places that write dates as it does, day first
     everywhere else ("GB", "DE", "IN", …);
  4. the source's language: a region in the tag is a country ("en-US", "en_GB"); a language other than
     English is day first (every country writing it puts the day first); English alone says nothing.
Left undecided (None), an ambiguous date is not read: no date beats a wrong one.
See docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re
from datetime import date

from ingest.records import DateOrder, DateSource

__all__ = [
    "MACHINE_SOURCES", "NUMERIC_DATE", "DateOrder", "date_order", "day_or_none", "full_year", "numeric_date",
    "numeric_match",
    "printed_order",
]

# where a publication date is a machine stamp, not text printed for readers (ingest.records.DateSource)
MACHINE_SOURCES: frozenset[DateSource] = frozenset({"jsonld", "meta", "time"})

# countries whose numeric dates put the month first ("10/05/2022" is October 5th)
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "PR", "GU", "AS", "VI", "MH", "PW", "UM"})

# THE numeric date, for every reader: two numbers and a year, one separator between them ('10/05/2022',
# '12.03.21', '10-05-22'), not part of a longer number, time, version or ISO date ('1.2.3.4', '2022-10-05')
NUMERIC_DATE = re.compile(
    r"(?<![\d.:/-])(?P<first>\d{1,2})(?P<sep>[/.-])(?P<second>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})(?![\d/-]|\.\d)"
)

_TAG = re.compile(r"([a-z]{2,3})(?:[-_]([a-z]{2}))?")


def date_order(
    country: str | None = None,
    language: str | None = None,
    evidence: DateOrder | None = None,
    *,
    machine: bool = False,
) -> DateOrder | None:
    """How the source writes numeric dates: 'mdy' (US), 'dmy' (most of the world) or None (not known);
    `machine`: the value is a machine stamp, not printed text."""
    if evidence is not None:
        return evidence
    if machine:
        return "mdy"
    if country:
        return "mdy" if country.upper() in MONTH_FIRST_COUNTRIES else "dmy"
    match = _TAG.fullmatch((language or "").strip().lower())
    if match is None:
        return None
    if match[2]:
        return date_order(match[2])
    return None if match[1] == "en" else "dmy"


def numeric_date(first: int, second: int, year: int, order: DateOrder | None) -> date | None:
    """The day two numbers and a year spell ('10/05/2022': first=10, second=5). A part above 12 settles the
    order; else `order` does; equal parts need none; undecided → None. Not a calendar day → None."""
    if first > 12 or (order == "dmy" and second <= 12) or first == second:
        return day_or_none(year, second, first)
    if second > 12 or order == "mdy":
        return day_or_none(year, first, second)
    return None


def numeric_match(match: re.Match[str], order: DateOrder | None) -> date | None:
    """The day a match of NUMERIC_DATE spells: dots are day first, else `order` decides (`numeric_date`); a
    two-digit year as `full_year` reads it."""
    first, second, year = int(match["first"]), int(match["second"]), full_year(int(match["year"]))
    return numeric_date(first, second, year, "dmy" if match["sep"] == "." else order)


def full_year(year: int) -> int:
    """A two-digit year on POSIX strptime's pivot (69 → 1969, 68 → 2068); four digits as they are."""
    return year if year >= 100 else year + (2000 if year < 69 else 1900)


def printed_order(first: int, second: int, year: int, printed: set[date]) -> DateOrder | None:
    """The order that makes a machine date ('10/05/2022') one of the days the page prints, when exactly one
    reading does: in-page evidence for `date_order`."""
    readings: list[tuple[DateOrder, date | None]] = [
        ("dmy", day_or_none(year, second, first)),
        ("mdy", day_or_none(year, first, second)),
    ]
    chosen = {order for order, day in readings if day is not None and day in printed}
    return chosen.pop() if len(chosen) == 1 else None


def day_or_none(year: int, month: int, day: int) -> date | None:
    """The calendar day, or None when there is none (31 February, month 13)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None
