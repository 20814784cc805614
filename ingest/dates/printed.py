"""Full dates as pages print them, in the languages of `months.tsv`: "14.01.2022", "14. Januar 2022",
"2022-01-14", "January 14, 2022", "1º de ago. 2022", "12 dic 21", "5 января 2020", "2022年1月14日",
"2022년 1월 14일", "2022/01/14", "2022. január 14.", "ngày 14 tháng 1 năm 2022", "2022 m. sausio 14 d.",
"2022. gada 14. janvārī" and, in the order `order.py` decides, "10/05/2022" or "10-05-2022"; digits in any
script ("٥ يناير ٢٠٢٠", "２０２１年３月５日"). Dates of other calendars are read as Gregorian ones (`calendars.py`): a
Thai month's year of the Buddhist era ("14 มกราคม 2565", "14 ม.ค. 65"), Persian Solar Hijri dates ("۲۴ دی
۱۴۰۰", and in Persian text "۱۴۰۰/۱۰/۲۴") and Japanese era years ("令和4年1月14日"). A time alone, a month and
year or a bare number are not full dates.

Used by the readers (the date beside a headline, a dateline opening a story, the days a page prints) and
by normalise (which reads a printed date in any of these languages before dateutil reads the rest).
See docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ingest.dates.calendars import JAPANESE_ERAS, buddhist_year, jalali_date, japanese_date
from ingest.dates.digits import ascii_digits
from ingest.dates.months import JALALI, month_number, month_pattern, names_in, without_accents
from ingest.dates.order import DateOrder, day_or_none, full_year, numeric_date

_MONTH = month_pattern()
# a four-digit year, or two digits closing a date line ("14 Gennaio 20 )"): not a time, count or longer number;
# or a year of the Buddhist era, which only a Thai month takes (2400-2699: "5 มกราคม 2564" is 2021)
_YEAR = r"(?:19|20)\d{2}\b|\d{2}(?=\s*(?:$|[)\]|,;–-]))|2[4-6]\d{2}\b"
_THAI_MONTHS = frozenset(without_accents(name) for name in names_in("th"))
# a day number is never the minutes of a clock time ("09:31 August 20, 2019" is not 31 August 2020)
_BRANCHES = (
    rf"(?<![:.])\b(?P<d1>\d{{1,2}})\.\s?(?P<m1>\d{{1,2}})\.\s?(?P<y1>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<y2>(?:19|20)\d{{2}})-(?P<m2>\d{{2}})-(?P<d2>\d{{2}})\b"
    # "5 May 2020", "the 5th of May 2020", "14. Januar 2022", "1º de ago. 2022", "1° gennaio 2022", "1ᵉʳ mai
    # 2022", "5 d'abril del 2020", "5 января 2020 г.", Thai "5 มกราคม พ.ศ. 2564" (ค.ศ.: the Christian era); and
    # Persian Solar Hijri dates, "۱۵ شهریور ۱۴۰۰", "۱۵ شهریور ماه ۱۴۰۰" (ماه: month), y11 after the same day
    rf"|(?<![:.])\b(?P<d3>\d{{1,2}})(?:(?:\.|er|ᵉʳ|st|nd|rd|th|\.?º|°)?\s+(?:of\s+|de\s+|d['’]\s?)?(?P<m3>{_MONTH})"
    rf"\.?,?\s+(?:del?\s+|[พค]\.ศ\.\s*)?(?P<y3>{_YEAR})"
    rf"|\s+(?P<m11>{month_pattern(JALALI)})(?:\s*ماه)?[,،]?\s+(?P<y11>1[34]\d{{2}})\b)"
    rf"|\b(?P<m4>{_MONTH})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{{2}})\b"
    # "10/05/2022", "10-05-2022": day and month in the order order.py decides
    rf"|(?<![:.])\b(?P<a5>\d{{1,2}})(?P<s5>[/-])(?P<b5>\d{{1,2}})(?P=s5)(?P<y5>(?:19|20)\d{{2}})\b(?!-\d)"
    # Chinese, Japanese ("2021年3月5日") and Korean ("2021년 3월 5일"): year, month and day, each with its sign
    rf"|(?<!\d)(?P<y6>(?:19|20)\d{{2}})\s*[年년]\s*(?P<m6>\d{{1,2}})\s*[月월]\s*(?P<d6>\d{{1,2}})\s*[日일]"
    # year first, as East Asian and Hungarian pages print it: "2021/03/05", "2021.03.05", "2021. 3. 5." (not
    # a range's first day, "2020/7/11-12"), "2021. március 5." and Lithuanian "2021 m. kovo 5 d.", "2021-ųjų
    # kovo 5 d." (a month name after a year only in lower case: "in 2019. May 5 …" is no date)
    rf"|(?<![\d.:/-])(?P<y7>(?:19|20)\d{{2}})(?P<s7>/|\.\s?)(?P<m7>\d{{1,2}})(?P=s7)(?P<d7>\d{{1,2}})(?![\d/]|[.-]\d)"
    # and Latvian "2021. gada 5. martā", "2021. gada 5. marts" (m10 and d10 after the same year)
    rf"|(?<![\d.:/-])(?P<y8>(?:19|20)\d{{2}})(?:(?:\.|\s*m\.|-ųjų)\s+(?-i:(?P<m8>{_MONTH}))\.?\s+(?P<d8>\d{{1,2}})\b"
    rf"(?![:.]\d)|\.\s+gada\s+(?P<d10>\d{{1,2}})\.\s+(?-i:(?P<m10>{_MONTH}))\b)"
    # Vietnamese: "ngày 5 tháng 3 năm 2021", "5 tháng 3, 2021"
    rf"|(?<![:.])\b(?P<d9>\d{{1,2}})\s+tháng\s+(?P<m9>\d{{1,2}})\s*(?:,|năm)\s*(?P<y9>(?:19|20)\d{{2}})\b"
    # Japanese, a year of an era: "令和3年3月5日", "令和元年5月1日" (元: the era's first year); the branch opens
    # with the era's first letter, not a group, so that the pattern skips it at one comparison per character
    rf"|[{''.join(era[0] for era in JAPANESE_ERAS)}](?P<e12>[{''.join(era[1:] for era in JAPANESE_ERAS)}])"
    rf"\s*(?P<y12>\d{{1,2}}|元)\s*年\s*(?P<m12>\d{{1,2}})\s*月\s*(?P<d12>\d{{1,2}})\s*日"
)
# Persian text also prints a Solar Hijri date in numbers, year first: "۱۴۰۰/۰۶/۱۵", "1400/6/15". A 13xx or 14xx
# year is no Gregorian news date, but Arabic and Urdu pages print lunar Hijri years (1443/03/15) the same way:
# read only in Persian text (`is_persian`), never a 19xx or 20xx year
_JALALI_NUMERIC = r"|(?<![\d.:/-])(?P<y13>1[34]\d{2})/(?P<m13>\d{1,2})/(?P<d13>\d{1,2})(?![\d/]|[.-]\d)"
PRINTED_DATE = re.compile(_BRANCHES, re.I)
PERSIAN_DATE = re.compile(_BRANCHES + _JALALI_NUMERIC, re.I)  # PRINTED_DATE and the numeric Solar Hijri date
# the branches with year, month and day; y5 (day and month in either order) and other calendars' aside
_YEAR_GROUPS = ("1", "2", "3", "4", "6", "7", "8", "9")
# Persian text: a letter Persian writes and Arabic does not (پ چ ژ گ ک ی) or a Persian digit (۰-۹), and none
# of the letters only Urdu writes (ٹ ڈ ڑ ں ھ ہ ے), which shares the others
_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc\u06f0-\u06f9]")
_URDU = re.compile("[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]")
_OPENING = 60  # characters at the start of a story where a dateline's date sits
# "Karlsruhe, (", "Karlsruhe (", "(": a place, a parenthesis, or both before the date
_PLACE = re.compile(r"\s*(?:[A-ZÄÖÜ][\w.'-]*(?:[ /-][A-ZÄÖÜ][\w.'-]*){0,3}\s*[,(]\s*)?\(?\s*")


def read_match(match: re.Match[str], order: DateOrder | None = None) -> date | None:
    """The Gregorian date a match of PRINTED_DATE (or PERSIAN_DATE) spells; a slashed one in the order
    `order.numeric_date` decides."""
    groups = match.groupdict()
    if groups["y5"]:
        return numeric_date(int(groups["a5"]), int(groups["b5"]), int(groups["y5"]), order)
    if groups["y11"]:
        return jalali_date(int(groups["y11"]), month_number(groups["m11"], JALALI) or 0, int(groups["d3"]))
    if groups.get("y13"):
        return jalali_date(int(groups["y13"]), int(groups["m13"]), int(groups["d13"]))
    if groups["e12"]:
        era, era_year = match.string[match.start("e12") - 1 : match.end("e12")], groups["y12"]
        return japanese_date(era, 1 if era_year == "元" else int(era_year), int(groups["m12"]), int(groups["d12"]))
    if groups["d10"]:  # Latvian: the year of branch 8, then its day and month
        groups |= {"d8": groups["d10"], "m8": groups["m10"]}
    for i in _YEAR_GROUPS:
        if groups[f"y{i}"]:
            name = groups[f"m{i}"]
            number = int(name) if name.isdigit() else month_number(name) or 0
            year = _gregorian_year(int(groups[f"y{i}"]), None if name.isdigit() else name)
            return day_or_none(year, number, int(groups[f"d{i}"])) if year is not None else None
    return None


def _gregorian_year(year: int, month_name: str | None) -> int | None:
    """The Gregorian year a printed year means beside its month: beside a Thai month's name a year of the
    Buddhist era (2400-2699, or its short form "64"), converted; a year of the Christian era ("2021") stays
    as it is; a two-digit year elsewhere as `full_year` reads it. A Buddhist-era year beside another
    language's month is no year: None."""
    if month_name is not None and without_accents(month_name) in _THAI_MONTHS and (year < 100 or year >= 2400):
        return buddhist_year(year)
    return None if year >= 2400 else full_year(year)


def is_persian(text: str) -> bool:
    """Whether a text is Persian (its letters or digits), where "1400/6/15" is a Solar Hijri date."""
    return not text.isascii() and _PERSIAN.search(text) is not None and _URDU.search(text) is None


def date_pattern(text: str) -> re.Pattern[str]:
    """The pattern of a text's printed dates: PERSIAN_DATE in Persian text, else PRINTED_DATE."""
    return PERSIAN_DATE if is_persian(text) else PRINTED_DATE


def date_matches(text: str) -> Iterator[re.Match[str]]:
    """Every match of PRINTED_DATE in a text, its digits read in any script ("٥ يناير ٢٠٢٠"): positions are
    the text's own (`digits.ascii_digits`), groups are in ASCII."""
    return date_pattern(text).finditer(ascii_digits(text))


def read_date(text: str, order: DateOrder | None = None) -> date | None:
    """The first full date printed in a text ("28 October 2020", "2020-10-28T22:22:49Z"), or None."""
    match = date_pattern(text).search(ascii_digits(text))
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

    return date_pattern(text).sub(iso, ascii_digits(text))


def opening_date(body: str) -> str | None:
    """The date one of the story's first paragraphs opens with, dateline style: "Karlsruhe, (12.11.2021).
    …", "(21. November 2022) …", "29.11.2022 – …" (a heading and a lead may come before the paragraph that
    carries it)."""
    for paragraph in body.split("\n\n")[:3]:
        printed = paragraph.lstrip()[:_OPENING]
        opening = ascii_digits(printed)
        match = date_pattern(printed).search(opening)
        if match and _PLACE.fullmatch(opening[: match.start()]) and (found := read_match(match)):
            return found.isoformat()
    return None
