"""Dates of other calendars and forms read as Gregorian dates: Thai Buddhist-era years, Persian Solar Hijri
dates, Japanese era years, Lithuanian and Latvian dates; through every path a printed date takes (the
printed-date reader, a publication date, a mentioned date)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ingest.dates import find_dates, language_country, month_number, parse_published, printed_dates, read_date
from ingest.dates.calendars import buddhist_year, jalali_date, jalali_leap, japanese_date
from ingest.dates.printed import with_iso_dates
from ingest.dates.zones import country_zone

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
PUBLISHED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("jalali", "gregorian"), [
    ((1400, 1, 1), date(2021, 3, 21)),  # Nowruz 1400
    ((1403, 1, 1), date(2024, 3, 20)),
    ((1399, 12, 30), date(2021, 3, 20)),  # 1399 is a leap year: Esfand has 30 days
    ((1402, 10, 1), date(2023, 12, 22)),  # 1 Dey, the winter solstice
    ((1400, 6, 15), date(2021, 9, 6)),
    ((1304, 1, 1), date(1925, 3, 21)),  # the day Iran adopted the calendar
    ((1403, 12, 30), date(2025, 3, 20)),  # 1403 is a leap year too
    ((1404, 1, 1), date(2025, 3, 21)),
    ((1357, 11, 22), date(1979, 2, 11)),
])
def test_solar_hijri_dates_as_gregorian_dates(jalali: tuple[int, int, int], gregorian: date) -> None:
    assert jalali_date(*jalali) == gregorian


def test_a_solar_hijri_day_that_does_not_exist_is_none() -> None:
    assert not jalali_leap(1400) and jalali_leap(1399) and jalali_leap(1403) and jalali_leap(1408)
    assert jalali_date(1400, 12, 30) is None and jalali_date(1400, 7, 31) is None  # Mehr has 30 days
    assert jalali_date(1400, 13, 1) is None and jalali_date(1400, 6, 0) is None
    assert jalali_date(1400, 6, 31) == date(2021, 9, 22)  # the first six months have 31


def test_buddhist_and_japanese_era_years() -> None:
    assert buddhist_year(2564) == 2021 and buddhist_year(64) == 2021
    assert japanese_date("令和", 1, 5, 1) == date(2019, 5, 1) and japanese_date("平成", 1, 1, 8) == date(1989, 1, 8)
    assert japanese_date("昭和", 64, 1, 7) == date(1989, 1, 7) and japanese_date("大化", 1, 1, 1) is None


@pytest.mark.parametrize(("printed", "day"), [
    # Thai: the Buddhist era, full and abbreviated months, a weekday before, พ.ศ. (B.E.) before the year
    ("5 มกราคม 2564", date(2021, 1, 5)),
    ("วันอังคารที่ 5 มกราคม 2564 เวลา 10:30 น.", date(2021, 1, 5)),
    ("5 มกราคม พ.ศ. 2564", date(2021, 1, 5)),
    ("๕ มกราคม ๒๕๖๔", date(2021, 1, 5)),  # Thai digits
    ("28 ก.พ. 2565", date(2022, 2, 28)),
    ("1 มี.ค. 2567", date(2024, 3, 1)),  # มี.ค. is March, ม.ค. January
    ("1 ม.ค. 2567", date(2024, 1, 1)),
    ("30 มิ.ย. 2566", date(2023, 6, 30)),
    ("31 ธันวาคม 2566", date(2023, 12, 31)),
    ("5 ม.ค. 64", date(2021, 1, 5)),  # a short year closing the line, as "12 dic 21" is read
    ("5 มกราคม 2021", date(2021, 1, 5)),  # a year of the Christian era stays
    ("5 มกราคม ค.ศ. 2021", date(2021, 1, 5)),
    ("29 กุมภาพันธ์ 2564", None),  # 2021 is no leap year
    ("5 May 2564", None),  # a Buddhist-era year beside another language's month
    # Persian: Solar Hijri months, a weekday before, "ماه" (month) after the month
    ("۱۵ شهریور ۱۴۰۰", date(2021, 9, 6)),
    ("دوشنبه ۱۵ شهریور ۱۴۰۰", date(2021, 9, 6)),
    ("۱۵ شهریور ماه ۱۴۰۰", date(2021, 9, 6)),
    ("15 شهريور 1400", date(2021, 9, 6)),  # ASCII digits, Arabic yeh
    ("۱ فروردین ۱۴۰۳", date(2024, 3, 20)),
    ("۱۰ امرداد ۱۴۰۲", date(2023, 8, 1)),
    ("۷ مهر ۱۴۰۲", date(2023, 9, 29)),
    ("۱ دی ۱۴۰۲", date(2023, 12, 22)),
    ("۳۰ اسفند ۱۴۰۰", None),  # 1400 is no leap year
    ("۱۵ شهریور ۲۰۲۱", None),  # a Solar Hijri month takes a Solar Hijri year
    # Persian pages print Gregorian months too
    ("۶ سپتامبر ۲۰۲۱", date(2021, 9, 6)),
    ("۱۵ مه ۲۰۲۱", date(2021, 5, 15)),
    ("۱۵ می ۲۰۲۱", date(2021, 5, 15)),
    ("۴ ژوئیه ۲۰۲۲", date(2022, 7, 4)),
    ("۲۰ مارس ۲۰۲۴", date(2024, 3, 20)),
    # Japanese eras (元年: the first year), ASCII and full-width digits
    ("令和3年3月5日", date(2021, 3, 5)),
    ("令和元年5月1日", date(2019, 5, 1)),
    ("令和６年１月１日", date(2024, 1, 1)),
    ("平成31年4月30日", date(2019, 4, 30)),
    ("平成元年1月8日", date(1989, 1, 8)),
    ("昭和64年1月7日", date(1989, 1, 7)),
    ("公開：令和5年12月1日 10:00", date(2023, 12, 1)),
    # Lithuanian and Latvian
    ("2021 m. kovo 5 d.", date(2021, 3, 5)),
    ("2021-ųjų kovo 5 d.", date(2021, 3, 5)),
    ("Paskelbta 2023 m. gruodžio 24 d. 10:15", date(2023, 12, 24)),
    ("2021. gada 5. martā", date(2021, 3, 5)),
    ("2021. gada 5. marts", date(2021, 3, 5)),
    ("2022. gada 14. janvārī", date(2022, 1, 14)),
])
def test_dates_of_other_calendars_and_forms(printed: str, day: date | None) -> None:
    assert read_date(printed) == day


@pytest.mark.parametrize(("printed", "day"), [
    ("۱۴۰۰/۰۶/۱۵", date(2021, 9, 6)),  # Persian digits: Persian text
    ("تاریخ انتشار: 1400/6/15", date(2021, 9, 6)),  # ASCII digits in Persian text
    ("۱۳۹۹/۱۲/۳۰ - ۱۸:۰۰", date(2021, 3, 20)),
    ("تاریخ: 2021/09/06", date(2021, 9, 6)),  # a 19xx or 20xx year stays Gregorian in Persian text
    ("۲۰۲۱/۰۹/۰۶", date(2021, 9, 6)),
])
def test_a_numeric_solar_hijri_date_in_persian_text(printed: str, day: date) -> None:
    assert read_date(printed) == day


@pytest.mark.parametrize("text", [
    "Ref. 1400/6/15 of the archive",  # English
    "الأحد 1443/3/15 هـ",  # Arabic: a lunar Hijri date
    "١٤٤٣/٠٣/١٥",  # Arabic-Indic digits
    "اتوار ۱۴۴۳/۰۳/۱۵ ہجری",  # Urdu: Persian digits, Urdu's own letters
])
def test_a_13xx_or_14xx_year_is_not_read_outside_persian_text(text: str) -> None:
    assert list(printed_dates(text)) == []


def test_a_19xx_or_20xx_numeric_date_means_what_it_did() -> None:
    assert read_date("2021/03/05") == date(2021, 3, 5) and read_date("۲۰۲۱/۰۳/۰۵") == date(2021, 3, 5)
    assert read_date("1999/12/31 in Tehran") == date(1999, 12, 31)
    # an Arabic page's lunar Hijri date does not hide the Gregorian one after it
    assert read_date("الأحد 1443/3/15 هـ - 2021/10/22 م") == date(2021, 10, 22)


def test_positions_point_into_the_printed_text() -> None:
    text = "วันอังคารที่ ๕ มกราคม ๒๕๖๔ เวลา"
    assert with_iso_dates(text) == "วันอังคารที่ 2021-01-05 เวลา"
    found = find_dates("ประชุมเมื่อ ๕ มกราคม ๒๕๖๔ ที่กรุงเทพ", "body", PUBLISHED, None, "th")
    assert [(d.text, d.start, d.end) for d in found] == [("๕ มกราคม ๒๕๖๔", 12, 25)]


def test_the_months_of_another_calendar_are_no_gregorian_months() -> None:
    assert month_number("شهریور") is None and month_number("شهریور", "jalali") == 6
    assert month_number("มี.ค.") == 3 and month_number("kovo") == 3 and month_number("martā") == 3
    assert month_number("مه") == 5 and month_number("مهر", "jalali") == 7 and month_number("مهر") is None


@pytest.mark.parametrize(("raw", "country", "published"), [
    ("วันพุธที่ 12 มกราคม 2565 เวลา 09:30 น.", "TH", "2022-01-12T09:30:00+07:00"),
    ("12 ม.ค. 2565 14:05", "TH", "2022-01-12T14:05:00+07:00"),
    ("سه شنبه ۲۱ دی ۱۴۰۰ - ۱۰:۳۰", "IR", "2022-01-11T10:30:00+03:30"),
    ("۱۴۰۰/۱۰/۲۱ ۱۰:۳۰", "IR", "2022-01-11T10:30:00+03:30"),
    ("令和4年1月12日 9:30", "JP", "2022-01-12T09:30:00+09:00"),
    ("2022 m. sausio 12 d. 09:30", "LT", "2022-01-12T09:30:00+02:00"),
    ("2022. gada 12. janvārī 09:30", "LV", "2022-01-12T09:30:00+02:00"),
])
def test_a_publication_date_of_another_calendar(raw: str, country: str, published: str) -> None:
    found = parse_published(raw, country, now=NOW)
    assert found is not None and found.isoformat() == published  # on the country's clock


@pytest.mark.parametrize(("language", "sentence", "text", "day"), [
    ("th", "การประชุมจะจัดขึ้นในวันที่ 15 มีนาคม 2567 ที่กรุงเทพฯ", "15 มีนาคม 2567", "2024-03-15"),
    ("th", "ครม. อนุมัติเมื่อ 15 มี.ค. 2567 แล้ว", "15 มี.ค. 2567", "2024-03-15"),
    ("fa", "این نشست در ۲۵ اسفند ۱۴۰۲ در تهران برگزار شد.", "۲۵ اسفند ۱۴۰۲", "2024-03-15"),
    ("fa", "این قانون از تاریخ ۱۴۰۲/۱۲/۲۵ اجرا می شود.", "۱۴۰۲/۱۲/۲۵", "2024-03-15"),
    ("fa", "این نشست در ۱۵ مارس ۲۰۲۴ برگزار شد.", "۱۵ مارس ۲۰۲۴", "2024-03-15"),
    ("ja", "会議は令和6年3月15日に開催される。", "令和6年3月15日", "2024-03-15"),
    ("lt", "Susitikimas vyks 2024 m. kovo 15 d. Vilniuje.", "2024 m. kovo 15", "2024-03-15"),
    ("lv", "Sanāksme notiks 2024. gada 15. martā Rīgā.", "2024. gada 15. martā", "2024-03-15"),
])
def test_a_mentioned_date_of_another_calendar(language: str, sentence: str, text: str, day: str) -> None:
    found = find_dates(sentence, "body", PUBLISHED, None, language)
    assert [(d.text, d.gte, d.granularity) for d in found] == [(text, day, "day")]
    assert sentence[found[0].start:found[0].end] == text


def test_a_1400_year_numeric_date_is_no_mention_outside_persian() -> None:
    assert find_dates("Case 1400/6/15 was closed.", "body", PUBLISHED, None, "en") == []
    assert find_dates("القضية 1443/3/15 هـ", "body", PUBLISHED, None, "ar") == []


def test_the_clock_of_thai_persian_lithuanian_and_latvian_sources() -> None:
    assert [language_country(t) for t in ("th", "fa", "lt", "lv", "fa-AF", "ja")] == ["TH", "IR", "LT", "LV", "AF",
                                                                                       "JP"]
    assert all(country_zone(c) is not None for c in ("TH", "IR", "LT", "LV", "AF"))
