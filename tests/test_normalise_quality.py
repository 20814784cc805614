"""Quality flags (and the syndication marks they read) and publication-date resolution."""

from __future__ import annotations

from ingest.dates import parse_published
from ingest.normalise.quality import suspected_elisions
from ingest.parse.wire import agency_country, canonical_agency, syndication_mark

CLEAN = (
    "The minister said on Tuesday that the plan would go ahead. Talks between the unions and the "
    "employers will resume next week, and both sides have said they want a deal. The .com domain and "
    "the A and E department were mentioned, as were the with and without options."
)


def test_elisions_fire_on_dropped_names() -> None:
    text = ("The is now focused on pressing to take action. Recently, tensions between and escalated. "
            "A senior official said the UK and -- to highlight the role.")
    assert suspected_elisions(text) >= 2


def test_elisions_quiet_on_clean_prose() -> None:
    assert suspected_elisions(CLEAN) < 2


def test_dates_keep_the_offset_the_page_meant() -> None:
    value = parse_published("2021-05-02T18:30:00+02:00", "DE")
    assert value is not None and value.isoformat() == "2021-05-02T18:30:00+02:00"


def test_abbreviations_follow_the_country() -> None:
    india = parse_published("Sat, March 16 2019. 10:10 IST", "IN")
    israel = parse_published("Sat, March 16 2019. 10:10 IST", "IL")
    assert india is not None and india.isoformat() == "2019-03-16T10:10:00+05:30"
    assert israel is not None and israel.isoformat() == "2019-03-16T10:10:00+02:00"


def test_utc_stamp_shown_on_the_country_clock() -> None:
    value = parse_published("2022-11-06T23:00:00.000Z", "DE")
    assert value is not None and value.date().isoformat() == "2022-11-07"


def test_us_clock_names_follow_daylight_saving() -> None:
    winter = parse_published("March 12, 2021 9:30 a.m. ET")
    summer = parse_published("July 12, 2021 9:30 a.m. ET")
    pacific = parse_published("July 12, 2021 9:30 PT")
    assert winter is not None and winter.isoformat() == "2021-03-12T09:30:00-05:00"
    assert summer is not None and summer.isoformat() == "2021-07-12T09:30:00-04:00"
    assert pacific is not None and pacific.isoformat() == "2021-07-12T09:30:00-07:00"


def test_asian_zone_abbreviations_and_dotted_dates() -> None:
    jakarta = parse_published("12 March 2021 09:30 WIB")
    bangkok = parse_published("5 Jan 2021 10:00 ICT")
    berlin = parse_published("12.03.2021, 10:15 Uhr CET")  # dots: day first
    assert jakarta is not None and jakarta.isoformat() == "2021-03-12T09:30:00+07:00"
    assert bangkok is not None and bangkok.isoformat() == "2021-01-05T10:00:00+07:00"
    assert berlin is not None and berlin.isoformat() == "2021-03-12T10:15:00+01:00"


def test_syndication_marks_come_from_the_agency_table() -> None:
    assert syndication_mark("(ANSA) - ROMA, 28 LUG - Sarà Ghersini l'arbitro")  # any agency of agencies.tsv
    assert syndication_mark("LONDON (reuters) — Shares fell") and syndication_mark("Photos via AP.")
    assert syndication_mark("This story was auto-generated from a syndicated feed.")
    assert not syndication_mark("Tickets are sold via app only, paid via upi.")  # prose, not credits
    assert canonical_agency(" pti. ") == "Press Trust of India" and agency_country("AFP") == "FR"
    assert canonical_agency("Daily Planet") is None and agency_country(None) is None
