"""Mentioned dates: resolution against the publication date (no spaCy, no Elasticsearch)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ingest.dates import find_dates

PUBLISHED = datetime(2019, 3, 16, 10, 10, tzinfo=timezone(timedelta(hours=5, minutes=30)))  # a Saturday


@pytest.mark.parametrize(
    ("sentence", "text", "gte", "lt", "granularity"),
    [
        ("The attack took place on February 14.", "February 14", "2019-02-14", "2019-02-15", "day"),
        ("An official said Friday that talks go on.", "Friday", "2019-03-15", "2019-03-16", "day"),
        ("Aid stopped in January 2018.", "January 2018", "2018-01-01", "2018-02-01", "month"),
        ("Exports fell last year.", "last year", "2018-01-01", "2019-01-01", "year"),
        ("Trade grew in the 1990s.", "1990s", "1990-01-01", "2000-01-01", "decade"),
        ("The deal was signed on March 3, 2017.", "March 3, 2017", "2017-03-03", "2017-03-04", "day"),
        ("It was agreed on 5 April 2016.", "5 April 2016", "2016-04-05", "2016-04-06", "day"),
        ("Filed 2019-03-01 in court.", "2019-03-01", "2019-03-01", "2019-03-02", "day"),
        ("They met yesterday.", "yesterday", "2019-03-15", "2019-03-16", "day"),
        ("Sales rose in the first quarter of 2018.", "first quarter of 2018", "2018-01-01", "2018-04-01", "quarter"),
        ("Talks resume next week.", "next week", "2019-03-18", "2019-03-25", "week"),
        ("Prices peaked in 2008.", "2008", "2008-01-01", "2009-01-01", "year"),
        ("The bank failed two years ago.", "two years ago", "2017-01-01", "2018-01-01", "year"),
        ("Elections are due next Monday.", "next Monday", "2019-03-18", "2019-03-19", "day"),
        ("Rains came in February.", "February", "2019-02-01", "2019-03-01", "month"),
        ("The town was founded in the 19th century.", "19th century", "1800-01-01", "1900-01-01", "century"),
        ("The summit runs March 3-5 in Geneva.", "March 3-5", "2019-03-03", "2019-03-06", "day"),
        ("Talks were held on 3-5 March 2018.", "3-5 March 2018", "2018-03-03", "2018-03-06", "day"),
        ("Voting ends in mid-March.", "mid-March", "2019-03-11", "2019-03-21", "week"),
        ("Rains are expected in early April.", "early April", "2019-04-01", "2019-04-11", "week"),
        ("The plant closed in late February 2017.", "late February 2017", "2017-02-21", "2017-03-01", "week"),
        ("The order is dated 16/03/2019.", "16/03/2019", "2019-03-16", "2019-03-17", "day"),
        ("The order is dated 05.03.2019.", "05.03.2019", "2019-03-05", "2019-03-06", "day"),
        ("A US filing dated 3/16/2019 was cited.", "3/16/2019", "2019-03-16", "2019-03-17", "day"),
        ("Growth slowed in the '90s.", "'90s", "1990-01-01", "2000-01-01", "decade"),
        ("Debt doubled in the 1980s.", "1980s", "1980-01-01", "1990-01-01", "decade"),
        ("Profit rose in Q3 2018.", "Q3 2018", "2018-07-01", "2018-10-01", "quarter"),
        ("Profit rose in the third quarter.", "third quarter", "2019-07-01", "2019-10-01", "quarter"),
        ("Prices fell last week.", "last week", "2019-03-04", "2019-03-11", "week"),
    ],
)
def test_resolution(sentence: str, text: str, gte: str, lt: str, granularity: str) -> None:
    found = find_dates(sentence, "body", PUBLISHED)
    assert [(d.text, d.gte, d.lt, d.granularity) for d in found] == [(text, gte, lt, granularity)]
    assert sentence[found[0].start : found[0].end] == text


@pytest.mark.parametrize(
    "sentence",
    [
        "Now we are focused on pressing Pakistan, and we are working with others.",
        "Pakistan has been told time and again that the situation is fragile.",
        "Recently, tensions escalated. The focus right now is on talks.",
        "The talks lasted three years and the siege 40 days.",
        "He scored 2019 points. May I ask a question? We will march on.",
        "Earlier in the day, he spoke to reporters.",
        "He won 6 1/2 points, a 3/4 majority and the 2-1 match.",
        "The deal runs for two weeks and the index rose 16.03 points.",
    ],
)
def test_noise_is_not_a_date(sentence: str) -> None:
    assert find_dates(sentence, "body", PUBLISHED) == []


def test_day_range_needs_increasing_days() -> None:
    assert [d.text for d in find_dates("Scores were March 5-3 level.", "body", PUBLISHED)] == []


def test_without_publication_date_only_absolute_dates() -> None:
    found = find_dates("On Friday, February 14, officials recalled January 2018.", "body", None)
    assert [d.text for d in found] == ["January 2018"]


@pytest.mark.parametrize(("language", "sentence", "text"), [
    ("zh", "会议将于2024年3月15日举行。", "2024年3月15日"),
    ("ja", "会議は2024年3月15日に開催される。", "2024年3月15日"),
    ("ko", "회의는 2024년 3월 15일에 열린다.", "2024년 3월 15일"),
    ("en", "Signs read 2024年3月15日 in Chinese.", "2024年3月15日"),
    ("ja", "会議は２０２４年３月１５日に開催される。", "２０２４年３月１５日"),  # full-width digits, kept as printed
])
def test_chinese_japanese_and_korean_dates(language: str, sentence: str, text: str) -> None:
    found = find_dates(sentence, "body", PUBLISHED, None, language)
    assert [(d.text, d.gte, d.lt, d.granularity) for d in found] == [(text, "2024-03-15", "2024-03-16", "day")]
    assert sentence[found[0].start:found[0].end] == text


def test_a_cjk_day_that_does_not_exist_is_no_date() -> None:
    assert find_dates("2024年2月30日", "body", PUBLISHED, None, "zh") == []


@pytest.mark.parametrize(("language", "sentence", "text", "day"), [
    ("pl", "Spotkanie odbędzie się 15 marca 2024 r. w Warszawie.", "15 marca 2024", "2024-03-15"),
    ("ru", "Встреча состоится 5 января 2024 года.", "5 января 2024", "2024-01-05"),
    ("hu", "A döntés 2024. március 15. óta érvényes.", "2024. március 15", "2024-03-15"),
    ("ar", "اجتمع الوزراء في ١٥ مارس ٢٠٢٤ في القاهرة", "١٥ مارس ٢٠٢٤", "2024-03-15"),  # as printed
])
def test_full_dates_in_languages_beyond_those_read_in_full(language: str, sentence: str, text: str, day: str) -> None:
    found = find_dates(sentence, "body", PUBLISHED, None, language)
    assert [(d.text, d.gte, d.granularity) for d in found] == [(text, day, "day")]


def test_words_alone_are_not_read_beyond_the_languages_read_in_full() -> None:
    assert find_dates("Wczoraj i w marcu", "body", PUBLISHED, None, "pl") == []  # "yesterday", "in March"
