"""Full dates as pages print them, in the languages of `months.tsv`: "14.01.2022", "14. Januar 2022",
"2022-01-14", "January 14, 2022", "1º de ago. 2022", "12 dic 21", "5 января 2020", "2022年1月14日",
"2022년 1월 14일", "2022/01/14", "2022. január 14.", "ngày 14 tháng 1 năm 2022" and, in the order `order.py`
decides, "10/05/2022" or "10-05-2022"; digits in any script ("٥ يناير ٢٠٢٠", "２０２１年３月５日"). A time alone, a
month and year or a bare number are not full dates.

Used by the readers (the date beside a headline, a dateline opening a story, the days a page prints) and
by normalise (which reads a printed date in any of these languages before dateutil reads the rest).
See docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ingest.dates.digits import ascii_digits
from ingest.dates.months import month_number, month_pattern
from ingest.dates.order import DateOrder, day_or_none, full_year, numeric_date

_MONTH = month_pattern()
# a four-digit year, or two digits closing a date line ("14 Gennaio 20 )"): not a time, count or longer number
_YEAR = r"(?:19|20)\d{2}\b|\d{2}(?=\s*(?:$|[)\]|,;–-]))"
# a day number is never the minutes of a clock time ("09:31 August 20, 2019" is not 31 August 2020)
PRINTED_DATE = re.compile(
    rf"(?<![:.])\b(?P<d1>\d{{1,2}})\.\s?(?P<m1>\d{{1,2}})\.\s?(?P<y1>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<y2>(?:19|20)\d{{2}})-(?P<m2>\d{{2}})-(?P<d2>\d{{2}})\b"
    # "5 May 2020", "the 5th of May 2020", "14. Januar 2022", "1º de ago. 2022", "1° gennaio 2022", "1ᵉʳ mai
    # 2022", "5 d'abril del 2020", "5 января 2020 г."
    rf"|(?<![:.])\b(?P<d3>\d{{1,2}})(?:\.|er|ᵉʳ|st|nd|rd|th|\.?º|°)?\s+(?:of\s+|de\s+|d['’]\s?)?(?P<m3>{_MONTH})"
    rf"\.?,?\s+(?:del?\s+)?(?P<y3>{_YEAR})"
    rf"|\b(?P<m4>{_MONTH})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{{2}})\b"
    # "10/05/2022", "10-05-2022": day and month in the order order.py decides
    rf"|(?<![:.])\b(?P<a5>\d{{1,2}})(?P<s5>[/-])(?P<b5>\d{{1,2}})(?P=s5)(?P<y5>(?:19|20)\d{{2}})\b(?!-\d)"
    # Chinese, Japanese ("2021年3月5日") and Korean ("2021년 3월 5일"): year, month and day, each with its sign
    rf"|(?<!\d)(?P<y6>(?:19|20)\d{{2}})\s*[年년]\s*(?P<m6>\d{{1,2}})\s*[月월]\s*(?P<d6>\d{{1,2}})\s*[日일]"
    # year first, as East Asian and Hungarian pages print it: "2021/03/05", "2021.03.05", "2021. 3. 5." (not
    # a range's first day, "2020/7/11-12"), and "2021. március 5." (a month name after a year only in lower
    # case: "in 2019. May 5 …" is no date)
    rf"|(?<![\d.:/-])(?P<y7>(?:19|20)\d{{2}})(?P<s7>/|\.\s?)(?P<m7>\d{{1,2}})(?P=s7)(?P<d7>\d{{1,2}})(?![\d/]|[.-]\d)"
    rf"|(?<![\d.:/-])(?P<y8>(?:19|20)\d{{2}})\.\s+(?-i:(?P<m8>{_MONTH}))\.?\s+(?P<d8>\d{{1,2}})\b(?![:.]\d)"
    # Vietnamese: "ngày 5 tháng 3 năm 2021", "5 tháng 3, 2021"
    rf"|(?<![:.])\b(?P<d9>\d{{1,2}})\s+tháng\s+(?P<m9>\d{{1,2}})\s*(?:,|năm)\s*(?P<y9>(?:19|20)\d{{2}})\b",
    re.I,
)
_YEAR_GROUPS = "12346789"  # the branches with year, month and day; y5 (day and month in either order) aside
_OPENING = 60  # characters at the start of a story where a dateline's date sits
# "Karlsruhe, (", "Karlsruhe (", "(": a place, a parenthesis, or both before the date
_PLACE = re.compile(r"\s*(?:[A-ZÄÖÜ][\w.'-]*(?:[ /-][A-ZÄÖÜ][\w.'-]*){0,3}\s*[,(]\s*)?\(?\s*")


def read_match(match: re.Match[str], order: DateOrder | None = None) -> date | None:
    """The date a match of PRINTED_DATE spells; a slashed one in the order `order.numeric_date` decides."""
    groups = match.groupdict()
    if groups["y5"]:
        return numeric_date(int(groups["a5"]), int(groups["b5"]), int(groups["y5"]), order)
    for i in _YEAR_GROUPS:
        if groups[f"y{i}"]:
            name = groups[f"m{i}"]
            number = int(name) if name.isdigit() else month_number(name) or 0
            return day_or_none(full_year(int(groups[f"y{i}"])), number, int(groups[f"d{i}"]))
    return None


def date_matches(text: str) -> Iterator[re.Match[str]]:
    """Every match of PRINTED_DATE in a text, its digits read in any script ("٥ يناير ٢٠٢٠"): positions are
    the text's own (`digits.ascii_digits`), groups are in ASCII."""
    return PRINTED_DATE.finditer(ascii_digits(text))


def read_date(text: str, order: DateOrder | None = None) -> date | None:
    """The first full date printed in a text ("28 October 2020", "2020-10-28T22:22:49Z"), or None."""
    match = PRINTED_DATE.search(ascii_digits(text))
    return read_match(match, order) if match else None


def printed_dates(text: str, order: DateOrder | None = None) -> Iterator[date]:
    """Every full date printed in a text, in order."""
    for match in date_matches(text):
        if (found := read_match(match, order)) is not None:
            yield found


def with_iso_dates(text: str, order: DateOrder | None = None) -> str:
    """'16. März 2019, 10:15 Uhr' → '2019-03-16, 10:15 Uhr': full dates in any language read here, written
    as ISO so that a generic parser reads them too; a slashed date of undecided order stays as printed."""

    def iso(match: re.Match[str]) -> str:
        found = read_match(match, order)
        return found.isoformat() if found else match[0]

    return PRINTED_DATE.sub(iso, ascii_digits(text))


def opening_date(body: str) -> str | None:
    """The date one of the story's first paragraphs opens with, dateline style: "Karlsruhe, (12.11.2021).
    …", "(21. November 2022) …", "29.11.2022 – …" (a heading and a lead may come before the paragraph that
    carries it)."""
    for paragraph in body.split("\n\n")[:3]:
        opening = ascii_digits(paragraph.lstrip()[:_OPENING])
        match = PRINTED_DATE.search(opening)
        if match and _PLACE.fullmatch(opening[: match.start()]) and (found := read_match(match)):
            return found.isoformat()
    return None
