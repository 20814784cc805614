"""Dates mentioned in the text → ranges [gte, lt) with a granularity, resolved against publication.

Recognised (English; month names capitalised or all caps):
    2019-03-15, 16/03/2019, 16.03.2019 day (numeric: in the source's order, `order.py`; dots day first;
                                       a value settles itself, "3/16/2019"; undecided "10/05/2019" is
                                       not read)
    March 3-5, 3-5 March 2019          day range: [first day, day after the last), granularity day
    early/mid-/late March (2019)       a third of the month: days 1-10, 11-20, 21-end; granularity week
                                       (the closest the schema has to a ten-day window)
    February 14, 2019 / 14 February 2019 / Feb. 14   day (year-less: the closest such day to publication)
    January 2018                       month
    in February, last March            month (after a preposition or last/next/this only: "May" alone
                                       is too often a verb)
    Friday, last Friday, next Friday   day: the latest such weekday on or before publication
                                       ("next"/"coming": the first one after it)
    today, yesterday, tomorrow, tonight  day
    last/this/next week|month|year|quarter, a year ago, three weeks ago    week|month|year|quarter
    first quarter of 2019, Q3 2018, Q3 quarter (without a year: the publication year)
    in 2018, since 1990                year (a bare number is a year only after a preposition)
    the 1990s, the '90s                decade (a two-digit decade: the latest one not after publication)
    the 19th century                   century
Everything needing the publication date is skipped when it is unknown.
Dropped on purpose: vague time words ("now", "recently", "time and again", "the day", "earlier"),
durations without an anchor ("three years", "40 days"), times of day, bare numbers and anything an NER
model tagged DATE that none of the patterns above resolves (so "Jaish-e-Mohammed" or "We" never appear).
Month names come from `months.tsv` (its English rows). The languages read in full get their own words
(`localised.py`) and the numeric rules; any other language the numeric rules and the full dates pages print
in it (`printed.py`: "15 marca 2024", "5 января 2020", "2024. március 15.", "5 มกราคม 2564", "۱۵ شهریور ۱۴۰۰"),
other calendars' dates read as Gregorian ones. See docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, partial

from ingest.dates.digits import ascii_digits
from ingest.dates.months import month_number, names_in
from ingest.dates.order import NUMERIC_DATE, DateOrder, numeric_match
from ingest.dates.printed import PERSIAN_DATE, PRINTED_DATE, read_match
from ingest.dates.weekdays import weekday_names_in, weekday_number
from ingest.records import DateMention, Granularity, TextField

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _cap(*words: str) -> str:
    """'May' → 'May|MAY' (capitalised or all caps, never lower case)."""
    return "|".join(f"{w}|{w.upper()}" for w in words)


_MONFULL = _cap(*(name.capitalize() for name in names_in("en", abbreviations=False)))
# abbreviations (with an optional full stop) after the full names, longest first: "Sept" before "Sep"
_SHORT = sorted((n.capitalize() for n in names_in("en") if n not in names_in("en", abbreviations=False)), key=len,
                reverse=True)
_MON = rf"(?:{_MONFULL}|{_cap(*_SHORT)})\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_WD = _cap(*weekday_names_in("en"))
_REL = r"(?:[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming|LAST|NEXT|THIS)"
_PREP = (
    r"(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?|[Oo]f|[Tt]hrough"
    r"|[Bb]efore|[Aa]fter|IN)"
)


@dataclass(frozen=True)
class Found:
    text: str
    start: int
    end: int
    gte: date
    lt: date
    granularity: Granularity


Handler = Callable[[re.Match[str], date | None], tuple[date, date, Granularity] | None]


def find_dates(
    text: str, field: TextField, published: datetime | None, order: DateOrder | None = None,
    language: str | None = None,
) -> list[DateMention]:
    """Every resolvable date expression in `text`, left to right, never overlapping; numeric dates in the
    source's `order` (`order.date_order`). `language` (ISO 639-1) picks the words read: English (and an
    undetected language) as above, another language of `localised.py` its own, any other only numbers."""
    today = published.date() if published is not None else None
    hits: list[Found] = []
    digits = ascii_digits(text)  # positions stay the text's
    for pattern, handler in _rules_for(order, language):
        for match in pattern.finditer(digits):
            start, end = match.span("x")
            if any(h.start < end and start < h.end for h in hits):
                continue
            resolved = _safe(handler, match, today)
            if resolved is not None:
                hits.append(Found(text[start:end], start, end, *resolved))
    hits.sort(key=lambda h: h.start)
    return [
        DateMention(h.text, h.gte.isoformat(), h.lt.isoformat(), h.granularity, field, h.start, h.end) for h in hits
    ]


def _safe(handler: Handler, match: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    try:
        return handler(match, today)
    except (ValueError, OverflowError):  # 31 February, year 0: not a date
        return None


def _month(name: str) -> int:
    number = month_number(name)
    if number is None:  # the patterns only match names of the table
        raise ValueError(f"not a month name: {name!r}")
    return number


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _one_day(day: date) -> tuple[date, date, Granularity]:
    return day, day + timedelta(days=1), "day"


def _month_range(year: int, month: int) -> tuple[date, date, Granularity]:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), nxt, "month"


def _year_range(year: int) -> tuple[date, date, Granularity]:
    return date(year, 1, 1), date(year + 1, 1, 1), "year"


def _quarter_range(year: int, quarter: int) -> tuple[date, date, Granularity]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end, "quarter"


def _closest_year(today: date, month: int, day: int = 1) -> int:
    """The year putting month/day closest to publication ("February 14" in March 2019 → 2019)."""
    options = [today.year - 1, today.year, today.year + 1]
    return min(options, key=lambda y: abs((date(y, month, min(day, 28)) - today).days))


def _iso(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    return _one_day(date(int(m["y"]), int(m["m"]), int(m["d"])))


def _full_date(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    return _one_day(date(int(m["y"]), _month(m["mon"]), _day(m["d"])))


def _month_day(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    if today is None:
        return None
    month, day = _month(m["mon"]), _day(m["d"])
    return _one_day(date(_closest_year(today, month, day), month, day))


def _month_year(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    return _month_range(int(m["y"]), _month(m["mon"]))


def _bare_month(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    if today is None:
        return None
    month, rel = _month(m["mon"]), (m.groupdict().get("rel") or "").lower()
    if rel == "last":
        year = today.year if month < today.month else today.year - 1
    elif rel == "next":
        year = today.year if month > today.month else today.year + 1
    elif rel == "this":
        year = today.year
    else:
        year = _closest_year(today, month)
    return _month_range(year, month)


def _weekday(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    if today is None:
        return None
    target = weekday_number(m["wd"]) or 0
    rel = (m["rel"] or "").lower()
    if rel in ("next", "coming"):
        return _one_day(today + timedelta(days=(target - today.weekday() - 1) % 7 + 1))
    back = (today.weekday() - target) % 7
    if rel in ("last", "past") and back == 0:
        back = 7
    return _one_day(today - timedelta(days=back))


def _relative_day(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    if today is None:
        return None
    shift = {"yesterday": -1, "tomorrow": 1}.get(m["w"].lower(), 0)
    return _one_day(today + timedelta(days=shift))


def _shift(today: date, unit: str, n: int) -> tuple[date, date, Granularity]:
    if unit == "year":
        return _year_range(today.year + n)
    if unit == "month":
        index = today.year * 12 + today.month - 1 + n
        return _month_range(index // 12, index % 12 + 1)
    if unit == "quarter":
        index = today.year * 4 + (today.month - 1) // 3 + n
        return _quarter_range(index // 4, index % 4 + 1)
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=n)
        return monday, monday + timedelta(days=7), "week"
    return _one_day(today + timedelta(days=n))


def _relative_unit(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    if today is None:
        return None
    n = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(m["rel"].lower(), 0)
    return _shift(today, m["unit"].lower(), n)


def _ago(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    if today is None:
        return None
    count = m["n"].lower()
    n = int(count) if count.isdigit() else _NUMBERS[count]
    return _shift(today, m["unit"].lower(), -n)


def _quarter(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    quarter = int(m["q"][1]) if m["q"][0] in "Qq" else _ORDINALS[m["q"].lower()]
    if m.groupdict().get("y"):
        return _quarter_range(int(m["y"]), quarter)
    return _quarter_range(today.year, quarter) if today is not None else None


def _numeric(m: re.Match[str], today: date | None, order: DateOrder | None) -> tuple[date, date, Granularity] | None:
    """'16/03/2019', '3/16/2019', '05.03.2019' (dots: day first); an order nothing settles: not read. In running
    text only slashes and dots with a four-digit year from 1900 are dates ('10-05-22' is a score or a code)."""
    if m["sep"] == "-" or not re.fullmatch(r"(?:19|20)\d\d", m["year"]):
        return None
    day = numeric_match(m, order)
    return _one_day(day) if day is not None else None


def _no_order(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    """The numeric rule's place in _RULES; `_rules` puts `_numeric` in the source's order there."""
    return _numeric(m, today, None)


def _range_year(m: re.Match[str], today: date | None, month: int, day: int) -> int | None:
    if m["y"]:
        return int(m["y"])
    return _closest_year(today, month, day) if today is not None else None


def _day_range(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    month, first, last = _month(m["mon"]), _day(m["d1"]), _day(m["d2"])
    year = _range_year(m, today, month, first)
    if year is None or last <= first:
        return None
    return date(year, month, first), date(year, month, last) + timedelta(days=1), "day"


def _part_of_month(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    month = _month(m["mon"])
    year = _range_year(m, today, month, 15)
    if year is None:
        return None
    start_day = {"early": 1, "mid": 11, "late": 21}[m["part"].lower().rstrip("-")]
    _, month_end, _ = _month_range(year, month)
    end = month_end if start_day == 21 else date(year, month, start_day + 10)
    return date(year, month, start_day), end, "week"


def _short_decade(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    if today is None:
        return None
    start = today.year // 100 * 100 + int(m["y"])
    if start > today.year:
        start -= 100
    return date(start, 1, 1), date(start + 10, 1, 1), "decade"


def _year(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    return _year_range(int(m["y"]))


def _decade(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    start = int(m["y"])
    return date(start, 1, 1), date(start + 10, 1, 1), "decade"


def _century(m: re.Match[str], today: date | None) -> tuple[date, date, Granularity] | None:
    n = int(m["c"])
    return date(max(1, (n - 1) * 100), 1, 1), date(n * 100, 1, 1), "century"


_PART = r"(?P<part>[Ee]arly|[Mm]id-?|[Ll]ate|EARLY|MID-?|LATE)"
_NUMERIC_RULES = 3  # the first rules read numbers only (ISO, numeric, CJK dates): every language gets them
_RULES: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"\b(?P<x>(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d))\b"), _iso),
    (re.compile(rf"(?P<x>{NUMERIC_DATE.pattern})"), _no_order),
    # year, month and day each with its sign: "2024年3月15日" (Chinese, Japanese), "2024년 3월 15일" (Korean)
    (re.compile(r"(?<!\d)(?P<x>(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일])"), _iso),
    (
        re.compile(rf"\b(?P<x>(?P<mon>{_MON})\s+(?P<d1>{_DAY})\s*[-–]\s*(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?)\b"),
        _day_range,
    ),
    (
        re.compile(rf"\b(?P<x>(?P<d1>{_DAY})\s*[-–]\s*(?P<d2>{_DAY})\s+(?P<mon>{_MONFULL})(?:,?\s+(?P<y>{_YEAR}))?)\b"),
        _day_range,
    ),
    (
        re.compile(rf"\b(?P<x>{_PART}\s*(?P<mon>{_MONFULL})(?:,?\s+(?P<y>{_YEAR}))?)\b(?!\s+\d{{1,2}}\b)"),
        _part_of_month,
    ),
    (re.compile(rf"\b(?P<x>(?P<mon>{_MON})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR}))\b"), _full_date),
    (re.compile(rf"\b(?P<x>(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON}),?\s+(?P<y>{_YEAR}))\b"), _full_date),
    (re.compile(rf"\b(?P<x>(?P<mon>{_MONFULL}),?\s+(?P<y>{_YEAR}))\b"), _month_year),
    (re.compile(rf"\b(?P<x>(?P<mon>{_MON})\s+(?P<d>{_DAY}))\b(?![:.\-–]?\d)"), _month_day),
    (re.compile(rf"\b(?P<x>(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONFULL}))\b"), _month_day),
    (re.compile(rf"\b(?P<x>(?:(?P<q>Q[1-4])(?:\s+(?P<y>{_YEAR}))?))\b"), _quarter),
    (
        re.compile(
            rf"\b(?:the\s+)?(?P<x>(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter"
            rf"(?:\s+of)?(?:\s+(?P<y>{_YEAR}))?)\b",
            re.IGNORECASE,
        ),
        _quarter,
    ),
    (re.compile(rf"\b(?P<x>(?P<rel>{_REL})\s+(?P<mon>{_MONFULL}))\b(?!\s+\d)"), _bare_month),
    (re.compile(rf"\b{_PREP}\s+(?P<x>(?P<mon>{_MONFULL}))\b(?!\s+\d)"), _bare_month),
    (re.compile(rf"\b(?P<x>(?:(?P<rel>{_REL})\s+)?(?P<wd>{_WD}))\b"), _weekday),
    (re.compile(r"\b(?P<x>(?P<w>today|yesterday|tomorrow|tonight))\b", re.IGNORECASE), _relative_day),
    (
        re.compile(
            r"\b(?P<x>(?P<rel>last|next|this|past|coming)\s+(?P<unit>week|month|year|quarter))\b", re.IGNORECASE
        ),
        _relative_unit,
    ),
    (
        re.compile(
            r"\b(?P<x>(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
            r"twelve)\s+(?P<unit>day|week|month|year)s?\s+ago)\b",
            re.IGNORECASE,
        ),
        _ago,
    ),
    (re.compile(r"\b(?P<x>(?P<y>1[5-9]\d0|20\d0)s)\b"), _decade),
    (re.compile(r"\b[Tt]he\s+(?P<x>['’]?(?P<y>[1-9]0)s)\b"), _short_decade),
    (re.compile(r"\b(?P<x>(?P<c>1\d|20|21|[1-9])(?:st|nd|rd|th)[\s-]+century)\b", re.IGNORECASE), _century),
    (re.compile(rf"\b{_PREP}\s+(?P<x>(?P<y>{_YEAR}))\b(?![-/.]\d|\s*%)"), _year),
]


@cache
def _rules_for(order: DateOrder | None, language: str | None) -> list[tuple[re.Pattern[str], Handler]]:
    """English's rules, or the numeric ones and those of the article's language."""
    if language is None or language == "en":
        return _rules(order)
    from ingest.dates.localised import LANGUAGES, rules  # it builds on this module's handlers

    numeric = _rules(order)[:_NUMERIC_RULES]
    if language in LANGUAGES:
        return [*numeric, *rules(language)]
    dates = PERSIAN_DATE if language == "fa" else PRINTED_DATE  # Persian: "1400/6/15" is a Solar Hijri date
    printed = re.compile(rf"(?P<x>{dates.pattern})", dates.flags)  # any language of months.tsv, any calendar
    return [*numeric, (printed, partial(_printed, order=order))]


def _printed(m: re.Match[str], today: date | None, order: DateOrder | None) -> tuple[date, date, Granularity] | None:
    found = read_match(m, order)
    return _one_day(found) if found is not None else None


@cache
def _rules(order: DateOrder | None) -> list[tuple[re.Pattern[str], Handler]]:
    """The rules with numeric dates read in `order`."""
    return [(pattern, partial(_numeric, order=order) if rule is _no_order else rule) for pattern, rule in _RULES]
