"""One day/month-order policy: the same numeric date from a British, US, German and unknown source reads
the same in normalise (publication dates), enrich (mentioned dates) and the printed-date reader."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from factories import raw_document

from ingest.dates import (
    NUMERIC_DATE,
    DateOrder,
    date_order,
    find_dates,
    numeric_date,
    numeric_match,
    parse_published,
    read_date,
)
from ingest.normalise import normalise
from ingest.records import RawDocument

PUBLISHED = datetime(2022, 6, 1, tzinfo=UTC)


def readings(text: str, country: str | None, language: str | None = None) -> set[date | None]:
    """What normalise, mentioned dates and read_date make of `text` from a source of this country."""
    order = date_order(country, language)
    published = parse_published(text, country, order)
    mentions = find_dates(f"The order is dated {text}.", "body", PUBLISHED, order)
    mentioned = date.fromisoformat(mentions[0].gte) if mentions else None
    return {published.date() if published else None, mentioned, read_date(text, order)}


@pytest.mark.parametrize(
    ("country", "language", "expected"),
    [
        ("GB", None, date(2022, 5, 10)),  # day first
        ("DE", None, date(2022, 5, 10)),
        ("US", None, date(2022, 10, 5)),  # month first
        (None, "en-GB", date(2022, 5, 10)),  # the region of the language tag is a country
        (None, "en_US", date(2022, 10, 5)),
        (None, "de", date(2022, 5, 10)),  # a language other than English writes the day first
        (None, "en", None),  # English alone: undecided, so not read (no date beats a wrong one)
        (None, None, None),
    ],
)
def test_ambiguous_date_reads_the_same_everywhere(country: str | None, language: str | None,
                                                  expected: date | None) -> None:
    assert readings("10/05/2022", country, language) == {expected}


@pytest.mark.parametrize("country", ["GB", "US", "DE", None])
def test_unambiguous_dates_settle_themselves(country: str | None) -> None:
    assert readings("25/05/2022", country) == {date(2022, 5, 25)}
    assert readings("5/25/2022", country) == {date(2022, 5, 25)}
    assert readings("10.05.2022", country) == {date(2022, 5, 10)}  # dots: day first wherever printed


def test_order_policy() -> None:
    assert date_order("US", "de") == "mdy" and date_order("gb") == "dmy"  # the country beats the language
    assert date_order("US", evidence="dmy") == "dmy"  # the page's own printed day beats both
    assert numeric_date(10, 5, 2022, None) is None and numeric_date(5, 5, 2022, None) == date(2022, 5, 5)
    assert numeric_date(31, 2, 2022, "dmy") is None  # no such day


def test_two_digit_years_and_dashes_follow_the_policy() -> None:
    gb, us, unknown = (parse_published("10-05-22 14:00", c, date_order(c)) for c in ("GB", "US", None))
    assert gb is not None and gb.date() == date(2022, 5, 10)
    assert us is not None and us.date() == date(2022, 10, 5)
    assert unknown is None


def record(url: str, value: str) -> RawDocument:
    data = json.dumps({"title": "Budget passed", "text": "The council passed the budget. " * 20,
                       "date": value, "url": url}).encode()
    return raw_document(data, "items.json", fmt="json")


def test_readers_keep_the_source_text_and_normalise_resolves_it() -> None:
    british, american = record("https://example.co.uk/a", "10/05/2022"), record("https://example.us/a", "10/05/2022")
    assert british.published_raw == american.published_raw == "10/05/2022"
    b, a = normalise(british).published_at, normalise(american).published_at
    assert b is not None and b.date() == date(2022, 5, 10)
    assert a is not None and a.date() == date(2022, 10, 5)


def test_text_reader_keeps_a_printed_date_as_printed() -> None:
    data = ("Council passes budget\n\nPublished: 16. März 2019, 10:15 Uhr\n\n"
            + "The council passed the budget after a long debate. " * 10 + "\n").encode()
    raw = raw_document(data, "story.txt", fmt="text")
    assert raw.published_raw == "16. März 2019, 10:15 Uhr"
    a = normalise(raw)
    assert a.published_at is not None and a.published_at.date() == date(2019, 3, 16)


def test_a_machine_stamp_is_month_first_unless_the_page_prints_its_day() -> None:
    page = ("<html lang='de'><head><meta name='date' content='11/01/2023 12:43:42'></head><body>"
            "<h1>Trinkwasser belastet</h1>" + "<p>Die Gemeinde warnte vor belastetem Leitungswasser.</p>" * 8
            + "%s</body></html>")

    def published(html: str) -> date | None:
        raw = raw_document(html, "page.html", fmt="html")
        assert raw.published_raw == "11/01/2023 12:43:42"  # as the page wrote it
        a = normalise(raw)
        return a.published_at.date() if a.published_at else None

    assert published(page % "") == date(2023, 11, 1)  # the content system's invariant (US) format
    assert date_order("CH", "de", machine=True) == "mdy" and date_order("CH", "de", "dmy", machine=True) == "dmy"


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("10/05/2022 05:22 pm", "dmy", "2022-05-10"),
        ("am 12.03.21 um 10:15", None, "2021-03-12"),  # dots: day first, two-digit year
        ("10-05-22", "mdy", "2022-10-05"),
        ("25/05/2022", None, "2022-05-25"),
        ("10/05/2022", None, None),  # an order nothing settles
        ("version 1.2.3.4", "dmy", None),
        ("2022-10-05", "dmy", None),  # ISO is the printed-date reader's
        ("at 10:05/12/2022", "dmy", None),  # a clock time is no day
    ],
)
def test_one_numeric_date_pattern_for_every_reader(text: str, order: DateOrder | None, expected: str | None) -> None:
    match = NUMERIC_DATE.search(text)
    found = numeric_match(match, order) if match else None
    assert (found.isoformat() if found else None) == expected
