"""HTML publication dates: the date beside the headline beats teasers, comments, header widgets and
generic meta names; datelines and "Published on" labels are read when nothing else is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import parsed_article, raw_document

from ingest.dates import read_date
from ingest.parse.html.dates import text_date
from ingest.parse.html.safe import parse_page
from ingest.parse.html.textdates import byline_date
from ingest.records import Article

STORY = "<p>" + " ".join(["Der Gemeinderat hat am Abend über den Haushalt beraten und ihn beschlossen."] * 6) + "</p>"


def article(html: str) -> Article:
    return parsed_article(html, "page.html", fmt="html")


def day(a: Article) -> str | None:
    return a.published_at.date().isoformat() if a.published_at else None


def test_headline_date_beats_teaser_and_header_time_elements() -> None:
    a = article(
        "<html lang='de'><body><header><time datetime='2023-11-01'>Mittwoch, 01. November 2023</time></header>"
        "<article><h1>Haushalt beschlossen</h1><p>31. Oktober 2023</p>" + STORY + "</article>"
        "<aside><h2>Mehr</h2><time class='published' datetime='2020-12-03'>3. Dezember 2020</time></aside>"
        "</body></html>"
    )
    assert day(a) == "2023-10-31" and a.published_at_source == "text"


def test_time_element_beside_the_headline_is_used() -> None:
    a = article(
        "<html><body><aside><time class='entry-date' datetime='2021-11-04'>04.11.2021</time></aside>"
        "<h1>Haushalt beschlossen</h1><time datetime='2021-11-05T10:00:00+01:00'>05.11.2021</time>"
        + STORY + "</body></html>"
    )
    assert a.published_at is not None and a.published_at.isoformat() == "2021-11-05T10:00:00+01:00"
    assert a.published_at_source == "time"


def test_generic_meta_date_loses_to_the_printed_date() -> None:
    a = article(
        "<html lang='de'><head><meta name='date' content='2020-04-30'></head><body>"
        "<h1>Haushalt beschlossen</h1><span>29.04.2020, 12:01 Uhr</span>" + STORY + "</body></html>"
    )
    assert day(a) == "2020-04-29"


def test_labelled_and_dateline_dates() -> None:
    labelled = article("<html><body><h2>Folge 158</h2>" + STORY + "<p>Veröffentlicht am 16.08.2019</p>"
                       "<time datetime='2019-08-24'>24. August 2019</time></body></html>")
    assert day(labelled) == "2019-08-16"
    dateline = article("<html><body><p>Karlsruhe, (12.11.2021). " + STORY[3:] + "</body></html>")
    assert day(dateline) == "2021-11-12" and dateline.published_at_source == "text"


def text_article(text: str) -> Article:
    return parsed_article(text, "story.txt", fmt="text")


def test_text_with_only_an_updated_line_still_has_a_publication_date() -> None:
    a = text_article("Council passes budget\n\nUpdated: March 16, 2019 10:10 IST\n\n" + STORY[3:-4] + "\n")
    assert a.published_at is not None and a.published_at.date().isoformat() == "2019-03-16"
    assert a.published_at_source == "text" and a.modified_at == a.published_at


def test_bbc_style_headline_then_standfirst_without_full_stop() -> None:
    a = text_article("Japan turns to beer alternatives\n\nJapanese brewers are increasingly making money from "
                     "beer-flavoured drinks rather than beer itself\n\n" + STORY[3:-4] + "\n")
    assert a.title == "Japan turns to beer alternatives"
    assert a.body.startswith("Japanese brewers are increasingly")
    b = text_article("Blackburn v Burnley\n\nhome to Leicester in the quarter-finals\n\n" + STORY[3:-4] + "\n")
    assert b.title == "Blackburn v Burnley" and b.publisher is None


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"


def fixture(name: str) -> Article:
    return article((FIXTURES / name).read_text("utf-8"))


def published(a: Article) -> str | None:
    return a.published_at.isoformat() if a.published_at else None


def test_time_element_marked_as_the_last_edit_gives_way_to_the_published_one() -> None:
    a = fixture("dates_updated_time_first.html")  # WordPress: <time class="updated"> before the published one
    assert published(a) == "2021-03-12T10:00:00+00:00" and a.published_at_source == "time"


@pytest.mark.parametrize(("meta", "expected"), [
    ('<meta name="ptime" content="20210312053000"><meta name="pdate" content="20210312">', "2021-03-12T05:30:00"),
    ('<meta property="article:post_date" content="2021-03-12T10:00:00+00:00">', "2021-03-12T10:00:00"),
    ('<meta name="published-date" content="2021-03-12">', "2021-03-12T00:00:00"),
])
def test_publication_meta_names_beat_a_teaser_time_element(meta: str, expected: str) -> None:
    a = article(f"<html><head>{meta}</head><body><article><h1>Haushalt beschlossen</h1>{STORY}</article>"
                "<aside><time datetime='2021-03-30'>March 30</time></aside></body></html>")
    assert (published(a) or "")[:19] == expected and a.published_at_source == "meta"


def test_utc_stamp_on_a_us_page_is_shown_on_eastern_time() -> None:
    a = fixture("dates_us_utc.html")  # en_US, no printed date: the same instant on New York's clock (EDT)
    assert published(a) == "2020-03-31T22:30:00-04:00"


def test_utc_stamp_goes_to_the_clock_of_the_printed_day() -> None:
    local = fixture("dates_utc_printed_local.html")  # '+00:00' stamp, /2019/01/01/ URL: Berlin's clock
    assert published(local) == "2019-01-01T00:11:59+01:00"
    raw = raw_document((FIXTURES / "dates_utc_printed_local.html").read_bytes(), fmt="html")
    assert raw.published_raw == "2018-12-31T23:11:59+00:00" and raw.published_clock == "country"  # kept, clock as data
    utc = fixture("dates_utc_printed_utc.html")  # an Australian page printing the UTC day: kept in UTC
    assert published(utc) == "2020-10-28T22:22:49+00:00" and utc.published_at_source == "meta"


def test_two_digit_year_and_month_names_in_a_date_line() -> None:
    a = fixture("dates_two_digit_year.html")
    assert day(a) == "2020-01-14" and a.published_at_source == "text"
    assert [read_date(t) for t in ("12 dic 21", "1º de ago. 2022", "14 Gennaio 20:30", "3 May 20 people")] == [
        date(2021, 12, 12), date(2022, 8, 1), None, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Opublikowano: 12 października 2021, 10:15", "2021-10-12"),  # Polish: the month's genitive
        ("5. května 2021", "2021-05-05"),
        ("5 января 2020 г.", "2020-01-05"),
        ("5 грудня 2020", "2020-12-05"),
        ("5 Ocak 2020 Pazar", "2020-01-05"),
        ("12 KASIM 2021", "2021-11-12"),  # Turkish capitals: I for ı
        ("12 ΜΑΪΟΥ 2021", "2021-05-12"),  # Greek capitals drop the accent the table writes
        ("12 Μαΐου 2021", "2021-05-12"),
        ("5 kesäkuuta 2020", "2020-06-05"),
        ("5 كانون الثاني 2020", "2020-01-05"),  # a two-word Levantine name
        ("5 de enero del 2020", "2020-01-05"),
        ("1° gennaio 2020", "2020-01-01"),  # ordinal days as typed
        ("1.º de janeiro de 2020", "2020-01-01"),
        ("le 1ᵉʳ janvier 2020", "2020-01-01"),
        ("the 5th of May, 2020", "2020-05-05"),
        ("5 d'abril de 2020", "2020-04-05"),
        ("2022/05/11 10:30", "2022-05-11"),  # year first, as East Asian pages print it
        ("2022.05.11", "2022-05-11"),
        ("2022. 5. 11.", "2022-05-11"),
        ("2020. január 5.", "2020-01-05"),  # Hungarian
        ("ngày 5 tháng 1 năm 2020", "2020-01-05"),  # Vietnamese
        ("٥ يناير ٢٠٢٠", "2020-01-05"),  # digits of other scripts
        ("५ जनवरी २०२०", "2020-01-05"),
        ("２０２２年５月１１日", "2022-05-11"),
        ("۵ جنوری ۲۰۲۰", "2020-01-05"),  # Urdu, Persian digits
        ("12 جويلية 2021", "2021-07-12"),  # the Maghreb's names
        ("৫ জানু\u09dfারি ২০২০", "2020-01-05"),  # Bengali, য় typed as one character
        ("5 \u095eरवरी 2020", "2020-02-05"),  # Hindi, फ़ typed as one character
        ("25-05-2022", "2022-05-25"),
        ("11-05-2022", None),  # which is the day, no order says
        ("2020/7/11-12", None),  # a range of days, not one date
        ("in 2019. May 5 people", None),  # a sentence's end and the next one's start
        ("listopad 2020", None),  # a month and year: not a full date
    ],
)
def test_printed_dates_beyond_the_languages_read_in_full(text: str, expected: str | None) -> None:
    found = read_date(text)
    assert (found.isoformat() if found else None) == expected


def test_a_date_printed_in_polish_beside_the_headline() -> None:
    a = fixture("dates_printed_polish.html")  # no machine date; the related links print other days
    assert a.published_at is not None and a.published_at.isoformat() == "2021-10-12T10:15:00+02:00"  # Warsaw
    assert a.published_at_source == "text"


@pytest.mark.parametrize(
    ("lang", "updated", "published"),
    [
        ("pl", "Aktualizacja: 14 października 2021, 08:00", "Opublikowano: 12 października 2021, 10:15"),
        ("ru", "Обновлено 14 октября 2021", "Опубликовано 12 октября 2021"),
        ("tr", "Güncelleme: 14 Ekim 2021", "Yayınlanma: 12 Ekim 2021"),
        ("sv", "Uppdaterad 14 oktober 2021", "Publicerad den 12 oktober 2021"),
        ("el", "Ενημερώθηκε: 14 Οκτωβρίου 2021", "Δημοσιεύθηκε: 12 Οκτωβρίου 2021"),
        ("ja", "更新：2021年10月14日 8:00", "公開：2021年10月12日"),  # a full-width colon
        ("ko", "수정 2021.10.14 08:00", "입력 2021.10.12 10:15"),
    ],
)
def test_the_last_update_above_the_publication_is_not_it(lang: str, updated: str, published: str) -> None:
    a = article(f"<html lang='{lang}'><body><h1>Haushalt beschlossen</h1><div>{updated}</div>"
                f"<div>{published}</div>{STORY}</body></html>")
    assert day(a) == "2021-10-12" and a.published_at_source == "text"


def test_a_date_printed_in_arabic_indic_digits_beside_the_headline() -> None:
    a = fixture("dates_printed_arabic.html")  # "١٢ أكتوبر ٢٠٢١"; no machine date, no country
    assert day(a) == "2021-10-12" and a.published_at_source == "text"


@pytest.mark.parametrize(("name", "published"), [
    ("dates_printed_thai.html", "2022-01-12T09:30:00+07:00"),  # "วันพุธที่ 12 มกราคม 2565": the Buddhist era
    ("dates_printed_persian.html", "2022-01-11T10:30:00+03:30"),  # "سه شنبه ۲۱ دی ۱۴۰۰": Solar Hijri
])
def test_a_date_of_another_calendar_beside_the_headline(name: str, published: str) -> None:
    a = fixture(name)  # no machine date; the country's clock from the page's language
    assert a.published_at is not None and a.published_at.isoformat() == published
    assert a.published_at_source == "text"


def test_year_only_fallback_is_no_date() -> None:
    html = (FIXTURES / "dates_year_only.html").read_text("utf-8")
    assert text_date(html, None) is None  # htmldate's '1998-01-01' from '© 1998' alone
    assert fixture("dates_year_only.html").published_at is None
    assert text_date(html.replace("Alle Rechte", "Stand: 1. Januar 1998. Alle Rechte"), None) == "1998-01-01"


def test_numeric_dates_follow_the_page_language() -> None:
    html = (FIXTURES / "dates_day_first.html").read_text("utf-8")
    assert day(article(html)) == "2022-05-10"  # Spanish page: day first
    assert day(article(html.replace('lang="es"', 'lang="en-US"'))) == "2022-10-05"  # US page: month first
    assert read_date("10/05/2022") is None and read_date("25/05/2022") == date(2022, 5, 25)  # order unknown


def test_printed_publication_label_beats_a_disagreeing_meta_date() -> None:
    a = fixture("dates_labelled_beats_meta.html")  # label and date in separate nodes
    assert day(a) == "2022-01-25" and a.published_at_source == "text"


def test_local_clock_written_as_utc_in_json_ld_loses_to_the_meta_stamp() -> None:
    head = (
        "<html lang='en-AU'><head><link rel='canonical' href='https://news.example.com.au/story'>"
        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": \"Veteran goes home\","
        " \"datePublished\": \"%s\"}</script>"
        "<meta property='article:published_time' content='2020-04-24T21:25:06+00:00'></head>"
        "<body><h1>Veteran goes home</h1>" + STORY + "</body></html>"
    )
    # JSON-LD is exactly Sydney's offset (+10:00) ahead: the local clock with a "Z"; <meta> is the instant
    mislabelled = article(head % "2020-04-25T07:25:06Z")
    assert published(mislabelled) == "2020-04-24T21:25:06+00:00" and mislabelled.published_at_source == "meta"
    # any other disagreement: JSON-LD is trusted first, as always
    other = article(head % "2020-04-25T09:25:06Z")
    assert other.published_at_source == "jsonld" and day(other) == "2020-04-25"


def test_unix_time_stamp_on_a_post_is_the_last_resort_before_the_text_search() -> None:
    a = article(
        "<html><body><div class='tweet'><a class='tweet-timestamp' title='11:25 PM - 10 Jul 2020'>"
        "<span data-time='1594448702' data-time-ms='1594448702000'>Jul 10</span></a>" + STORY + "</div>"
        "<div class='reply'><span data-time='1594800000'>Jul 15</span></div></body></html>"
    )
    assert published(a) == "2020-07-11T06:25:02+00:00" and a.published_at_source == "time"
    declared = article("<html><head><meta property='article:published_time' content='2020-07-09'></head>"
                       "<body><span data-time-ms='1594448702000'></span>" + STORY + "</body></html>")
    assert day(declared) == "2020-07-09" and declared.published_at_source == "meta"


def test_date_beside_the_headline_days_after_the_declared_stamp_wins() -> None:
    page = (
        "<html lang='en-GB'><head><script type='application/ld+json'>{\"@type\": \"NewsArticle\","
        " \"headline\": \"Goats ruled an island\", \"datePublished\": \"%s\"}</script></head>"
        "<body><h1>Goats ruled an island</h1><p>%s</p>" + STORY + "</body></html>"
    )
    drafted = article(page % ("2020-01-03T09:48:24Z", "6 January 2020"))  # the draft's stamp, days older
    assert day(drafted) == "2020-01-06" and drafted.published_at_source == "text"
    near = article(page % ("2020-01-05T23:48:24Z", "6 January 2020"))  # a day apart: a zone can explain it
    assert near.published_at_source == "jsonld"
    earlier = article(page % ("2020-01-09T09:48:24Z", "6 January 2020"))  # printed before: stamp is trusted
    assert day(earlier) == "2020-01-09" and earlier.published_at_source == "jsonld"
    updated = article(page % ("2019-06-17T00:00:00Z", "Last updated 04 Jun 2020, originally created 17 Jun 2019"))
    assert day(updated) == "2019-06-17" and updated.published_at_source == "jsonld"


def test_numeric_machine_date_is_read_in_the_order_of_the_printed_day() -> None:
    page = (
        "<html><head><meta property='article:published_time' content='10/05/2022 05:22 pm'></head>"
        "<body><h1>Senador califica a Biden</h1><p>%s</p>" + STORY + "</body></html>"
    )
    assert day(article(page % "10 de mayo de 2022")) == "2022-05-10"  # the page prints 10 May
    # nothing printed: a machine stamp's slashes are month first (the software's invariant format), even on
    # a page in a day-first language
    assert day(article(page % "Caracas")) == "2022-10-05"
    assert day(article(page.replace("<html>", "<html lang='es'>") % "Caracas")) == "2022-10-05"
    raw = raw_document(page % "10 de mayo de 2022", fmt="html")
    assert raw.published_raw == "10/05/2022 05:22 pm" and raw.date_order == "dmy"  # kept as printed, order as data


def test_utc_stamp_goes_to_the_clock_the_page_prints_its_time_on() -> None:
    a = fixture("dates_printed_clock.html")  # '07:03:25+00:00' printed as "November 18, 2019 11:03 PM": UTC-8
    assert published(a) == "2019-11-18T23:03:25-08:00" and a.published_at_source == "jsonld"
    raw = raw_document((FIXTURES / "dates_printed_clock.html").read_bytes(), fmt="html")
    assert raw.published_raw == "2019-11-19T07:03:25+00:00" and raw.published_clock == "-08:00"  # clock as data
    posted = article("<html><body><h1>Meth. We're on it</h1><time datetime='2019-11-19T01:19:34.819Z'>"
                     "Posted Nov 18, 8:19 PM</time>" + STORY + "</body></html>")
    assert published(posted) == "2019-11-18T20:19:34.819000-05:00"
    same = article("<html><body><h1>Key moments</h1><time datetime='2019-11-20T01:07:00-0500'>"
                   "November 20, 2019 / 1:07 AM</time>" + STORY + "</body></html>")  # its own offset: kept
    assert published(same) == "2019-11-20T01:07:00-05:00"
    other_day = article("<html><body><h1>Key moments</h1><time datetime='2019-11-20T06:07:00Z'>"
                        "November 22, 2019 / 1:07 AM</time>" + STORY + "</body></html>")  # the day disagrees
    # not the printed clock: the UTC stamp on the clock of the page's language (its story is German)
    assert published(other_day) == "2019-11-20T07:07:00+01:00"


def test_a_date_printed_as_the_last_edit_does_not_overrule_the_declared_publication() -> None:
    page = ("<html><head><meta property='article:published_time' content='2018-10-07T09:00:35-08:00'>"
            "<meta property='article:modified_time' content='2018-11-12T17:36:26-08:00'></head><body>"
            "<h1>Meal prep</h1><time class='entry-updated' datetime='%s'>November 12, 2018</time>"
            + STORY + "</body></html>")
    edited = article(page % "2018-11-12T17:36:26-08:00")  # the <time> carries the declared last edit
    assert day(edited) == "2018-10-07" and edited.published_at_source == "meta"
    drafted = article(page % "2018-11-12T09:00:00-08:00")  # a printed day of its own: the draft rule applies
    assert day(drafted) == "2018-11-12" and drafted.published_at_source == "text"


def test_a_date_in_a_printed_byline_or_opening_the_story_in_parentheses() -> None:
    byline = article("<html><body><div><h2>Gaspreise</h2></div><p>Von Leonora Holling, 21. November 2022</p>"
                     + STORY + "</body></html>")
    assert day(byline) == "2022-11-21" and byline.published_at_source == "text"
    updated = parse_page("<html><body><p>By Jane Roe | Updated March 5, 2020</p>" + STORY + "</body></html>")
    assert byline_date(updated) is None  # the byline's date is the last edit
    opening = article("<html><body><h1>Entlastungen</h1><p>(21. November 2022) " + STORY[3:] + "</body></html>")
    assert day(opening) == "2022-11-21" and opening.published_at_source == "text"


def test_a_last_edit_label_is_the_page_date_when_nothing_else_dates_it() -> None:
    prose = "<p>" + " ".join(["Der Datensatz vom 09.03.2016 zeigt die Schneedecke über Davos."] * 4) + "</p>"
    a = article("<html><body><h1>Schneekarten</h1>" + prose + "<p>Letzte Änderung: 14.01.2022 um 09:25</p>"
                "</body></html>")
    assert day(a) == "2022-01-14" and a.published_at_source == "text"
    published = article("<html><body><h1>Schneekarten</h1><p>Veröffentlicht am 10.01.2022</p>" + prose
                        + "<p>Letzte Änderung: 14.01.2022 um 09:25</p></body></html>")
    assert day(published) == "2022-01-10"  # a publication label comes first


def test_the_last_edit_printed_with_its_clock_first_is_not_the_date_line() -> None:
    lines = ["Updated 3:45 PM EST, Sun March 14, 2021", "Published 2:30 PM EST, Fri March 12, 2021"]
    meta = "".join(f"<p class='meta'>{line}</p>" for line in lines)
    a = article(f"<html><body><article><h1>Haushalt beschlossen</h1>{meta}{STORY}</article></body></html>")
    assert day(a) == "2021-03-12" and a.published_at_source == "text"
