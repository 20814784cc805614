"""In-body wire leads: "WASHINGTON (Reuters) - …", "NEW DELHI, March 3 (PTI): …", "LONDON, Jan 5 (AP) — …",
the leads of other languages' agencies ("Berlin (dpa) - …", "MADRID, 3 nov (EFE).- …", "PARIS, 5 novembre 2026
(AFP) - …", "(ANSA) - ROMA, 04 NOV - …"; a place not in capitals only before an agency the table knows), and
datelines without an agency: "BERLIN - …", "NEW DELHI: …".

`read_lead` returns the dateline place, the agency (canonical name when known, None for a bare dateline)
and the paragraph without the lead, so the body starts with the story's first words.
`dateline_line` reads a dateline printed as a line of its own over the story, the place in capitals and
then the day: "CANBERRA 1996-12-06", "AL-AIN, United Arab Emirates 1996-12-06", "WASHINGTON, March 3".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.dates import is_month_name, is_weekday_name, label_pattern
from ingest.parse.wire import canonical_agency

_UPPER = "A-ZÀ-ÖØ-Þ"  # capitals of the Latin alphabets: ZÜRICH, SÃO PAULO, MÁLAGA
_CAPS_PLACE = rf"[{_UPPER}][{_UPPER}.'’\- ]{{1,40}}?(?:,\s*[{_UPPER}][A-Za-zÀ-ÿ.'’\- ]{{1,30}})?"  # NEW DELHI, India
# the day after the place: "March 3", "March 3, 2026"; day first in most languages: "3 nov", "5 novembre 2026",
# "04 NOV", "04.11.2026"; Europa Press prints the day alone: "MADRID, 3 (EUROPA PRESS)"
_LEAD_DATE = (r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\.?\s+[^\W\d_]{3,10}\.?(?:\s+\d{4})?"
              r"|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}")
_AGENCY = r"\((?P<agency>[A-Za-z][\w .&-]{0,40})\)"
# after the credit: a dash or colon ("(Reuters) -", EFE's "(EFE).-"), or the story straight away ("(EUROPA PRESS) El")
_AFTER_CREDIT = r"\s*(?:\.?\s*[-–—:]+\s*|(?=[\"“‘'A-ZÀ-Þ¿¡]))"
_LEAD = re.compile(
    rf"^(?P<place>{_CAPS_PLACE}|(?P<named>[{_UPPER}][^\W\d_]+(?:[ -][{_UPPER}][^\W\d_]+){{0,2}}))"  # or "Berlin"
    rf"(?:,\s*(?P<date>{_LEAD_DATE}))?\s*{_AGENCY}{_AFTER_CREDIT}"
)
# the credit first, then the place (ANSA): "(ANSA) - ROMA, 04 NOV - La presidente …"
_CREDIT_FIRST = re.compile(
    rf"^{_AGENCY}\s*[-–—]\s*(?P<place>{_CAPS_PLACE})(?:,\s*(?P<date>{_LEAD_DATE}))?\s*[-–—]+\s*"
)

# a place in capitals, then a dash or colon, then the story: "BERLIN - The …", "NEW DELHI: The …"
_PLACE_LEAD = re.compile(
    rf"^(?P<place>[{_UPPER}][{_UPPER}.'’\- ]{{2,40}}?(?:,\s*[{_UPPER}][A-Za-zÀ-ÿ.'’\- ]{{1,30}})?)"
    r"(?:\s+[-–—]+|\s*:)\s+(?=[\"“‘'A-ZÀ-Þ])"
)
# capitals that open a story without being a place
_NOT_PLACES = frozenset({"UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS", "EXCLUSIVE", "WATCH", "LIVE", "VIDEO",
                         "ANALYSIS", "OPINION", "EDITORIAL", "COMMENT", "NOTE", "CORRECTION", "FILE", "PHOTO",
                         "REVIEW", "INTERVIEW", "FACT CHECK", "EDITOR'S NOTE", "EDITOR’S NOTE", "ALERT", "URGENT"})
# the first word of a label line, never of a place: "FILE PHOTO: …", "VIDEO REPORT: …", "DEAR ABBY: …" (a column)
_LABEL_OPENERS = frozenset({"FILE", "PHOTO", "PHOTOS", "VIDEO", "AUDIO", "PODCAST", "GRAPHIC", "FACTBOX", "EXPLAINER",
                            "POLL", "QUIZ", "TIMELINE", "DEAR"})


# a dateline line: the place in capitals, a region or country after a comma, then the day and nothing else
_LINE = re.compile(
    rf"(?P<place>[{_UPPER}][{_UPPER}.'’\- ]{{1,40}}?)(?:,\s*(?P<region>[{_UPPER}][A-Za-zÀ-ÿ.'’\- ]{{1,30}}?))?,?\s+"
    r"(?P<date>\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{2,4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?)"
    r"\s*"
)


@dataclass(frozen=True)
class DatelineLine:
    """Where the place (and the region after it) stand in the line, as (start, end); the dateline as a
    field shows it ("Al-Ain, United Arab Emirates") and the day as printed."""

    place: tuple[int, int]
    region: tuple[int, int] | None
    dateline: str
    date: str


def dateline_line(line: str) -> DatelineLine | None:
    """The line is a dateline of its own ("CANBERRA 1996-12-06"): None for any other line."""
    match = _LINE.fullmatch(line)
    if match is None:
        return None
    city = match["place"].strip()
    if city in _NOT_PLACES or len(re.sub(r"\W", "", city)) < 3 or _date_words(city):
        return None
    region = match.span("region") if match["region"] else None
    name = _title_case(", ".join(filter(None, (city, match["region"]))))
    return DatelineLine((match.start("place"), match.start("place") + len(city)), region, name, match["date"])


def _date_words(words: str) -> bool:
    """"FRIDAY", "MARCH", "PUBLISHED": the words of a date line in capitals, not a place."""
    return all(is_weekday_name(w) or is_month_name(w) for w in words.split()) or bool(_date_label().fullmatch(words))


@cache
def _date_label() -> re.Pattern[str]:
    return re.compile(rf"(?:{label_pattern('published')}|{label_pattern('updated')})\s*[:：]?", re.I)


@dataclass(frozen=True)
class WireLead:
    dateline: str
    agency: str | None
    rest: str


def read_lead(paragraph: str) -> WireLead | None:
    match = _LEAD.match(paragraph) or _CREDIT_FIRST.match(paragraph)
    if not match or not match.group("place").strip():
        return _place_lead(paragraph)
    place = match.group("place").strip(" ,")
    agency_text = match.group("agency").strip()
    agency = canonical_agency(agency_text)
    if agency is None and agency_text.isupper() and not match.groupdict().get("named"):
        agency = agency_text  # an agency the table does not know, credited in capitals after a place in capitals
    if agency is None:
        return None
    return WireLead(_title_case(place), agency, paragraph[match.end():].strip())


def _place_lead(paragraph: str) -> WireLead | None:
    match = _PLACE_LEAD.match(paragraph)
    if not match:
        return None
    place = match.group("place").strip(" ,")
    city = place.split(",")[0].strip()
    letters = len(re.sub(r"\W", "", city))
    colon = paragraph[match.end("place"):match.end()].strip().startswith(":")
    if city != city.upper() or city in _NOT_PLACES or city.split()[0] in _LABEL_OPENERS or letters < 3 or \
            (colon and " " not in city and letters < 5):
        return None  # "NHS: …", "NASA: …" are subjects, not places; "NEW DELHI: …" and "BERLIN - …" are
    return WireLead(_title_case(place), None, paragraph[match.end():].strip())


def _title_case(place: str) -> str:
    """"NEW DELHI" → "New Delhi", "AL-AIN" → "Al-Ain"; "D.C." and words already in mixed case stay."""
    return " ".join("-".join(part.capitalize() for part in w.split("-")) if w.isupper() and "." not in w else w
                    for w in place.split())
