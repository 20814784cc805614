"""The time of day a page prints, and the one it prints beside a date ("12. März 2021, 14:35 Uhr",
"March 3, 2020 at 9:05 p.m. ET", "14h30 | 12/03/2021").

A printed date alone gives a day; the time printed with it gives the instant, on the clock of the zone
printed after it ("ET", "CET": `zones.py`) or, in normalise, of the source's country. A time further away
than a separator and one short word ("at", "um", "à", "alle", "klo") belongs to something else. See
docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re

from ingest.dates.digits import ascii_digits
from ingest.dates.zones import is_zone_abbreviation

# a time of day as pages print it: "11:03 PM", "20:19", "8.19 p.m.", "10h15"
CLOCK_TIME = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})[:.h](?P<m>\d{2})(?!\d|\.\d)(?::\d{2})?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?", re.I
)
# between a date and its time: punctuation, and at most one short word ("at", "um", "à", "a las", "alle")
_JOIN = r"[\s,|·•/–—(-]*(?:[^\W\d_]{1,5}\.?(?:\s+[^\W\d_]{1,3})?\s+)?"
_AFTER = re.compile(rf"{_JOIN}(?=\d)")
_SEPARATORS = " \t\n,|·•/–—-"  # between a time and the date after it
# the zone printed after the time: "ET", "(CET)", "Uhr MEZ", or an offset from UTC ("GMT+10", "UTC-03:30")
_ZONE = re.compile(
    r"(?:\s*(?:Uhr|hrs?)\b)?\s*\(?(?P<zone>[A-Z]{2,5})(?:(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?\b"
)


def hour_minute(match: re.Match[str]) -> tuple[int, int] | None:
    """A CLOCK_TIME match as 24-hour (hour, minute), None when it is no time of day ("25:10", "0:15 pm")."""
    hour, minute, ampm = int(match["h"]), int(match["m"]), (match["ampm"] or "").lower()[:1]
    if hour > (12 if ampm else 23) or minute > 59 or (ampm and hour == 0):
        return None
    return (hour % 12 + (12 if ampm == "p" else 0) if ampm else hour), minute


def clock_beside(text: str, start: int, end: int) -> str | None:
    """The time printed right after (else right before) the date at text[start:end], as 'HH:MM', with the
    zone abbreviation printed after it ('21:05 ET'); None when none is printed there."""
    text = ascii_digits(text)
    after = _AFTER.match(text, end)
    found = CLOCK_TIME.match(text, after.end()) if after else None
    if found is None:
        head = text[max(0, start - 20) : start]
        joint = len(head.rstrip(_SEPARATORS))
        before = list(CLOCK_TIME.finditer(head, 0, joint))
        found = before[-1] if before and before[-1].end() == joint else None
    time = hour_minute(found) if found else None
    if found is None or time is None:
        return None
    clock = f"{time[0]:02d}:{time[1]:02d}"
    zone = _ZONE.match(text, found.end())
    if zone is None or not is_zone_abbreviation(zone["zone"]):
        return clock
    if zone["sign"] is None:
        return f"{clock} {zone['zone']}"
    if zone["zone"] in ("GMT", "UTC") and int(zone["h"]) <= 14:
        return f"{clock} {zone['sign']}{int(zone['h']):02d}:{zone['m'] or '00'}"
    return clock  # "EST+1": no reading
