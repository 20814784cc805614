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

__all__ = ["MACHINE_SOURCES", "DateOrder", "date_order", "day_or_none", "numeric_date", "printed_order"]

# where a publication date is a machine stamp, not text printed for readers (ingest.records.DateSource)
MACHINE_SOURCES: frozenset[DateSource] = frozenset({"jsonld", "meta", "time"})

# countries whose numeric dates put the month first ("10/05/2022" is October 5th)
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "PR", "GU", "AS", "VI", "MH", "PW", "UM"})

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
