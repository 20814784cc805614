"""What a publication date is: not after the moment of reading (the clock is injected, so the outcome
does not depend on the day the test runs), not the minutes of a clock time printed before it, and not a
printed date that two agreeing machine stamps contradict."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from factories import parsed_article

from ingest.dates import is_future, parse_published, read_date
from ingest.normalise import NormaliseOptions
from ingest.parse import ParseOptions
from ingest.parse.html import HtmlOptions
from ingest.records import Article

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
STORY = "<p>" + " ".join(["The council met on the evening and passed the budget after a long debate."] * 6) + "</p>"


def article(page: str, name: str = "page.html", now: datetime = NOW) -> Article:
    return parsed_article(page, name, ParseOptions(html=HtmlOptions(now=now)), NormaliseOptions(now=now),
                          fmt="html" if name.endswith(".html") else "text")


def day(a: Article) -> str | None:
    return a.published_at.date().isoformat() if a.published_at else None


def test_a_date_after_the_moment_of_reading_is_not_a_publication_date() -> None:
    assert parse_published("Published: 14 March 2099", now=NOW) is None
    assert parse_published("2024-06-02T20:00:00+10:00", now=NOW) is not None  # tomorrow somewhere: now there
    assert parse_published("2024-06-04", now=NOW) is None
    assert parse_published("14 March 2099", now=datetime(2100, 1, 1, tzinfo=UTC)) is not None  # the clock decides
    assert is_future(date(2024, 6, 3), NOW) and not is_future(date(2024, 6, 2), NOW)
    assert not is_future(NOW + timedelta(hours=20), NOW)


@pytest.mark.parametrize("stamp", ["2091-01-01T00:00:00+00:00", "2024-06-10"])
def test_a_future_stamp_gives_way_to_the_next_source(stamp: str) -> None:
    page = (f'<html><head><meta property="article:published_time" content="{stamp}"></head><body><article>'
            f'<h1>Ferry returns</h1><time datetime="2019-05-02T08:00:00Z">2 May 2019</time>{STORY}'
            "</article></body></html>")
    assert day(article(page)) == "2019-05-02"
    assert day(article(page, now=datetime(2092, 1, 1, tzinfo=UTC))) == stamp[:10]  # then it is the past


def test_a_future_date_in_a_text_file_is_dropped() -> None:
    text = "Observatory names new director\n\nPublished: 14 March 2099\n\n" + "The director starts soon. " * 10
    assert article(text, "story.txt").published_at is None


def test_a_clock_time_before_a_date_is_not_part_of_it() -> None:
    assert read_date("09:31 August 20, 2019") == date(2019, 8, 20)
    assert read_date("Updated 10:15 12 March 2021") == date(2021, 3, 12)
    assert read_date("31 August 20, the last day") == date(2020, 8, 31)  # a day and a two-digit year still read
    assert parse_published("09:31 August 20, 2019", now=NOW) == datetime(2019, 8, 20, 9, 31, tzinfo=UTC)
    page = f"<html><body><article><h1>Lanes</h1><div>09:31 August 20, 2019</div>{STORY}</article></body></html>"
    assert day(article(page)) == "2019-08-20"


MACHINE = ('<meta property="article:published_time" content="2019-05-02T08:00:00+01:00">'
           '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-05-02T09:00:00+01:00"}'
           "</script>")


def test_machine_stamps_that_agree_beat_a_date_printed_beside_the_headline() -> None:
    page = (f"<html><head>{MACHINE}</head><body><article><h1>Library</h1><div>9 May 2019</div>{STORY}"
            "</article></body></html>")
    assert day(article(page)) == "2019-05-02"


def test_a_printed_date_the_page_declares_as_its_last_edit_still_wins() -> None:
    modified = '<meta property="article:modified_time" content="2019-05-09T10:00:00+01:00">'
    page = (f"<html><head>{MACHINE}{modified}</head><body><article><h1>Library</h1><div>9 May 2019</div>{STORY}"
            "</article></body></html>")
    assert day(article(page)) == "2019-05-09"


def test_one_machine_stamp_still_gives_way_to_the_printed_date() -> None:
    page = ('<html><head><meta property="article:published_time" content="2019-05-02T08:00:00+01:00"></head>'
            f"<body><article><h1>Library</h1><div>9 May 2019</div>{STORY}</article></body></html>")
    assert day(article(page)) == "2019-05-09"


@pytest.mark.parametrize(("printed", "day"), [
    ("2021年3月5日", date(2021, 3, 5)), ("2021年03月05日 10:30", date(2021, 3, 5)),
    ("发布时间：2021年3月5日", date(2021, 3, 5)), ("입력 2021년 3월 5일 10:30", date(2021, 3, 5)),
    ("2021年2月30日", None),  # no such day
])
def test_chinese_japanese_and_korean_dates_are_read(printed: str, day: date | None) -> None:
    assert read_date(printed) == day


def test_a_labelled_chinese_date_beside_the_headline_beats_older_dates_further_down() -> None:
    story = "北京市政府周五宣布了一项新的交通计划。" * 10
    html = ("<html lang='zh-CN'><head><meta charset='utf-8'><title>交通计划</title></head><body><article>"
            f"<h1>交通计划</h1><div class='date'>发布时间：2021年3月5日</div><p>{story}</p><p>{story}</p></article>"
            "<aside><ul><li><a href='/a'>旧闻 2019年12月30日</a></li><li><a href='/b'>另一条 2020年1月2日</a></li>"
            "</ul></aside></body></html>")
    published = parsed_article(html.encode(), "page.html").published_at
    assert published is not None and published.date() == date(2021, 3, 5)


def test_a_date_and_time_in_arabic_indic_digits() -> None:
    found = parse_published("نشر في ١٢ أكتوبر ٢٠٢١ - ١٠:١٥", "EG")
    assert found is not None and found.isoformat() == "2021-10-12T10:15:00+02:00"  # on Cairo's clock
