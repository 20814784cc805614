"""The time of day printed beside a date: read with its zone, not taken from something else on the line;
a printed date line with a time gives the instant, on the page's clock."""

from __future__ import annotations

import pytest
from factories import parsed_article

from ingest.dates import date_matches
from ingest.dates.clock import clock_beside


def beside(text: str) -> str | None:
    match = next(date_matches(text))
    return clock_beside(text, match.start(), match.end())


@pytest.mark.parametrize(("line", "clock"), [
    ("12. März 2021, 14:35 Uhr", "14:35"),
    ("le 12 mars 2021 à 14h35", "14:35"),
    ("3 de marzo de 2021 a las 10:15", "10:15"),
    ("12.03.2021 um 14.35 Uhr", "14:35"),
    ("12. Juli 2021, 14:35 Uhr MESZ", "14:35 MESZ"),
    ("March 3, 2020 at 9:05 p.m. ET", "21:05 ET"),
    ("November 18, 2019 at 2:26 PM HST - Updated Nov 19", "14:26 HST"),
    ("12 March 2021 (10:15 GMT)", "10:15 GMT"),
    ("13 Jan 2020, 22:11 GMT+10", "22:11 +10:00"),
    ("09:31 August 20, 2019", "09:31"),  # the time printed first
    ("14h30 | 12/03/2021", "14:30"),
    ("١٢ أكتوبر ٢٠٢١ - ١٠:١٥", "10:15"),  # digits of another script
])
def test_a_time_printed_beside_a_date_is_read(line: str, clock: str) -> None:
    assert beside(line) == clock


@pytest.mark.parametrize("line", [
    "Published 5 May 2020",
    "5 May 2020, 2.5 million people",  # a decimal, not a time
    "5 May 2020 12 people",
    "5 May 2020 by John Smith 10:30",  # too far from the date
    "5 May 2020 at 25:10",  # no time of day
    "5 May 2020 at 0:15 pm",
])
def test_no_time_where_none_is_printed_beside_the_date(line: str) -> None:
    assert beside(line) is None


STORY = "<p>" + " ".join(["Der Gemeinderat hat am Abend über den Haushalt beraten und ihn beschlossen."] * 6) + "</p>"


@pytest.mark.parametrize(("lang", "line", "instant"), [
    ("de", "<p>Veröffentlicht am 12. März 2021, 14:35 Uhr</p>", "2021-03-12T14:35:00+01:00"),  # Germany's clock
    ("de", "<p>12.03.2021</p><p>14:35</p>", "2021-03-12T14:35:00+01:00"),  # the time in a node of its own
    ("en-GB", "<p>12 March 2021, 9:35 am ET</p>", "2021-03-12T09:35:00-05:00"),  # the zone printed wins
])
def test_a_printed_date_line_gives_the_instant_on_the_pages_clock(lang: str, line: str, instant: str) -> None:
    html = f"<html lang='{lang}'><body><article><h1>Haushalt beschlossen</h1>{line}{STORY}</article></body></html>"
    a = parsed_article(html, "page.html", fmt="html")
    assert a.published_at is not None and a.published_at.isoformat() == instant
    assert a.published_at_source == "text"


def test_the_time_of_an_update_line_is_not_the_publication_time() -> None:
    html = ("<html lang='de'><body><article><h1>Haushalt beschlossen</h1><p>Aktualisiert: 12. März 2021, 18:00 Uhr"
            "</p><p>Veröffentlicht: 12. März 2021</p>" + STORY + "</article></body></html>")
    a = parsed_article(html, "page.html", fmt="html")
    assert a.published_at is not None and a.published_at.isoformat() == "2021-03-12T00:00:00+01:00"
