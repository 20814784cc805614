"""Dates of other calendars as Gregorian dates: Thai Buddhist-era years, Persian (Solar Hijri, "Jalali")
dates and Japanese era years. `printed.py` reads how pages print them ("5 มกราคม 2564", "۱۵ شهریور ۱۴۰۰",
"令和3年3月5日"); this module only does the arithmetic. See docs/architecture.md, "Dates".
"""

from __future__ import annotations

from datetime import date, timedelta

from ingest.dates.order import day_or_none

BUDDHIST_ERA = 543  # the Thai Buddhist era (B.E., พ.ศ.) counts from 543 BC: 2564 B.E. is 2021


def buddhist_year(year: int) -> int:
    """2564 (Buddhist era) → 2021; a two-digit year is the era's short form (64 → 2564 → 2021)."""
    return (2500 + year if year < 100 else year) - BUDDHIST_ERA


# Solar Hijri: the year starts on the day of the March equinox (Nowruz); months 1-6 have 31 days, 7-11
# 30, the last 29 or 30 (30 in a leap year). The leap years follow the 33-year cycle, eight leap years in
# each (years whose (25·y + 11) mod 33 is below 8: 1399, 1403, 1408, …), the arithmetic form of the
# calendar; the observed equinox can differ from it by a day in a rare year, far from the years news prints.
# Counted from the day Iran adopted the calendar by law: 1 Farvardin 1304 was 21 March 1925.
_JALALI_EPOCH_YEAR = 1304
_JALALI_EPOCH = date(1925, 3, 21)


def jalali_leap(year: int) -> bool:
    """1399, 1403 → True: Esfand has 30 days that year."""
    return (25 * year + 11) % 33 < 8


def _leap_years_before(year: int) -> int:
    """How many years of the cycle before `year` are leap years (from year 1 of the era)."""
    return (8 * year + 21) // 33


def jalali_date(year: int, month: int, day: int) -> date | None:
    """'15 Shahrivar 1400' (1400, 6, 15) → 2021-09-06; None when there is no such day (31 Mehr, 30 Esfand
    of a common year, month 13)."""
    length = 31 if month <= 6 else 30 if month <= 11 or jalali_leap(year) else 29
    if not (1 <= month <= 12 and 1 <= day <= length):
        return None
    days = 365 * (year - _JALALI_EPOCH_YEAR) + _leap_years_before(year) - _leap_years_before(_JALALI_EPOCH_YEAR)
    days += 31 * min(month - 1, 6) + 30 * max(month - 7, 0) + day - 1
    return _JALALI_EPOCH + timedelta(days=days)


# Japanese eras (gengō): year N of an era is the year before its first plus N ("元年", year 1, is the first)
JAPANESE_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}  # Reiwa 2019-, Heisei 1989-2019, Shōwa 1926-1989


def japanese_date(era: str, year: int, month: int, day: int) -> date | None:
    """'令和3年3月5日' ("令和", 3, 3, 5) → 2021-03-05; None for an era not listed or no such day."""
    first = JAPANESE_ERAS.get(era)
    return day_or_none(first + year, month, day) if first is not None and year >= 1 else None
