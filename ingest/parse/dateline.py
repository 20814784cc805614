"""In-body wire leads: "WASHINGTON (Reuters) - …", "NEW DELHI, March 3 (PTI): …", "LONDON, Jan 5 (AP) — …".

`read_lead` returns the dateline place, the agency (canonical name when known) and the paragraph without
the lead, so the body starts with the story's first words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.parse.wire import canonical_agency

_UPPER = "A-ZÀ-ÖØ-Þ"  # capitals of the Latin alphabets: ZÜRICH, SÃO PAULO, MÁLAGA
_LEAD = re.compile(
    rf"^(?P<place>[{_UPPER}][{_UPPER}.'’\- ]{{1,40}}?(?:,\s*[{_UPPER}][A-Za-zÀ-ÿ.'’\- ]{{1,30}})?)"  # NEW DELHI, India
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?"  # , March 3
    r"\s*\((?P<agency>[A-Za-z][\w .&-]{0,40})\)\s*(?:[-–—:]+)\s*"  # (Reuters) -
)


@dataclass(frozen=True)
class WireLead:
    dateline: str
    agency: str | None
    rest: str


def read_lead(paragraph: str) -> WireLead | None:
    match = _LEAD.match(paragraph)
    if not match or not match.group("place").strip():
        return None
    place = match.group("place").strip(" ,")
    agency_text = match.group("agency").strip()
    agency = canonical_agency(agency_text) or (agency_text if agency_text.isupper() else None)
    if agency is None:
        return None
    return WireLead(_title_case(place), agency, paragraph[match.end():].strip())


def _title_case(place: str) -> str:
    return " ".join(w.capitalize() if w.isupper() else w for w in place.split())
