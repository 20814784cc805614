"""Plain-text layouts beyond the seed's: bylines, bare date lines, labelled export fields, datelines, footers."""

from __future__ import annotations

import hashlib

import pytest

from ingest.normalise import normalise
from ingest.parse import parse
from ingest.parse.dateline import dateline_line, read_lead
from ingest.records import Article, RawDocument, SourceInfo

STORY = ("The council approved the new budget on Tuesday after a long debate about schools, hospitals and "
         "roads in the north of the region. ") * 3


def read(text: str) -> Article:
    data = text.encode()
    source = SourceInfo("story.txt", "text", hashlib.sha256(data).hexdigest(), len(data))
    docs = [d for d in parse(data, source) if isinstance(d, RawDocument)]
    assert len(docs) == 1
    return normalise(docs[0])


def published(a: Article) -> str | None:
    return a.published_at.isoformat() if a.published_at else None


def test_byline_with_agency_and_labelled_date() -> None:
    a = read("Council approves budget\n\nBy Jane Doe and John Smith, Reuters\n\nPublished: 12 March 2021 09:30 GMT\n\n"
             + STORY)
    assert a.title == "Council approves budget"
    assert a.authors == ("Jane Doe", "John Smith") and a.agency == "Reuters"
    assert published(a) == "2021-03-12T09:30:00+00:00" and a.body.startswith("The council approved")


def test_barred_byline_with_agency_and_dotted_date_then_bare_dateline() -> None:
    a = read("Council approves budget\nBy Hans Müller | dpa | 12.03.2021, 10:15 Uhr CET\n\nBERLIN - " + STORY)
    assert a.authors == ("Hans Müller",) and a.agency == "Deutsche Presse-Agentur"
    assert published(a) == "2021-03-12T10:15:00+01:00"  # dots: day first
    assert a.dateline == "Berlin" and a.body.startswith("The council approved")


def test_bare_date_line_role_byline_and_colon_dateline() -> None:
    a = read("Council approves budget\nJane Doe, Staff Writer\nSunday, 14 March 2021 10:00 AEDT\n\nSYDNEY: " + STORY)
    assert a.authors == ("Jane Doe",) and a.dateline == "Sydney"
    assert published(a) == "2021-03-14T10:00:00+11:00"
    b = read("Council approves budget\n\nMarch 12, 2021 | 6:30 PM IST\n\nNEW DELHI: " + STORY)
    assert published(b) == "2021-03-12T18:30:00+05:30" and b.dateline == "New Delhi" and b.agency is None


@pytest.mark.parametrize(("line", "dateline", "day"), [
    ("MOSCOW 1996-12-06", "Moscow", "1996-12-06"),
    ("AL-AIN, United Arab Emirates 1996-12-06", "Al-Ain, United Arab Emirates", "1996-12-06"),
    ("NEW YORK, Dec 6", "New York", None),  # no year: the day is not a publication date on its own
])
def test_a_dateline_line_of_its_own(line: str, dateline: str, day: str | None) -> None:
    a = read(f"Council approves budget\n\n{line}\n\n" + STORY)
    assert a.dateline == dateline and a.body.startswith("The council approved")
    if day is not None:
        assert a.published_at is not None and a.published_at.date().isoformat() == day


@pytest.mark.parametrize("line", ["UPDATE 1996-12-06", "FRIDAY 2021-03-05", "MONTAG 05.03.2021", "PUBLISHED 2021-03-05",
                                  "The council met 1996-12-06", "NEW YORK - The council met",
                                  "LONDON 1996-12-06 and more"])
def test_lines_that_are_no_dateline_of_their_own(line: str) -> None:
    assert dateline_line(line) is None


def test_a_wire_sign_off_gives_the_writer_and_leaves_the_story() -> None:
    a = read("Russia warns nickel producer\n\nLynnley Browning\n\nMOSCOW 1996-12-06\n\n" + STORY
             + "\n\n-- Lynnley Browning, Moscow Newsroom, +7095 941 8520")
    assert a.authors == ("Lynnley Browning",) and a.dateline == "Moscow"
    assert a.body.startswith("The council approved") and a.body.endswith("north of the region.")


def test_a_sign_off_without_a_writer_names_no_one() -> None:
    a = read("Grain statistics\n\n" + STORY + "\n\n-- Chicago newsdesk 312-408 8720")
    assert a.authors == () and a.body.endswith("north of the region.")


def test_german_byline_and_month_name() -> None:
    a = read("Haushalt beschlossen\nVon Hans Müller\n16. März 2019, 10:15 Uhr\n\n" + STORY)
    assert a.authors == ("Hans Müller",) and a.published_at is not None
    assert a.published_at.date().isoformat() == "2019-03-16" and a.body.startswith("The council")


def test_labelled_fields_of_a_text_export() -> None:
    a = read("Title: Council approves budget\nAuthor: Jane Doe\nDate: 2021-03-12T09:30:00+01:00\n"
             "Source: Example News\nURL: https://news.example.com/budget\nSection: Politics / Local\n\n" + STORY)
    assert a.title == "Council approves budget" and a.authors == ("Jane Doe",)
    assert a.publisher == "Example News" and a.url == "https://news.example.com/budget"
    assert a.section == ("Politics", "Local") and published(a) == "2021-03-12T09:30:00+01:00"
    assert a.body.startswith("The council approved")


def test_footer_lines_are_dropped() -> None:
    a = read("Council approves budget\n\n" + STORY + "\n\nShare this article\nFollow us on Twitter\nSign up for our "
             "newsletter\n© 2021 Example News. All rights reserved.")
    assert a.body.endswith("north of the region.")


def test_sentences_and_subjects_are_not_bylines_or_datelines() -> None:
    a = read("Council approves budget\nBy Tuesday, the council had agreed.\n\n" + STORY)
    assert a.authors == ()
    assert read_lead("NHS: Waiting lists grew again") is None
    assert read_lead("UPDATE - The council met") is None
    assert read_lead("WASHINGTON, D.C. — The council") is not None
    assert read_lead("DEAR ABBY: My husband of twenty years") is None  # a column's salutation
    assert read_lead("FILE PHOTO: The president speaks") is None


@pytest.mark.parametrize(("lead", "dateline", "agency", "rest"), [
    ("Berlin (dpa) - Die Regierung hat", "Berlin", "Deutsche Presse-Agentur", "Die Regierung hat"),
    ("MADRID, 3 nov (EFE).- El presidente", "Madrid", "Agencia EFE", "El presidente"),
    ("MADRID, 3 (EUROPA PRESS) El presidente", "Madrid", "Europa Press", "El presidente"),
    ("PARIS, 5 novembre 2026 (AFP) - Le Premier ministre", "Paris", "Agence France-Presse", "Le Premier ministre"),
    ("(ANSA) - ROMA, 04 NOV - La presidente", "Roma", "Agenzia Nazionale Stampa Associata", "La presidente"),
    ("Lisboa, 03 nov 2026 (Lusa) - O Governo", "Lisboa", "Agência Lusa", "O Governo"),
    ("NEW DELHI, March 3 (PTI): The minister", "New Delhi", "Press Trust of India", "The minister"),
])
def test_wire_leads_of_agencies_in_other_languages(lead: str, dateline: str, agency: str, rest: str) -> None:
    found = read_lead(lead)
    assert found is not None and (found.dateline, found.agency, found.rest) == (dateline, agency, rest)


def test_a_name_not_in_capitals_is_a_dateline_only_before_a_known_agency() -> None:
    assert read_lead("Berlin (XYZ) - Die Regierung hat") is None
    assert read_lead("Apple (AAPL) - The shares rose") is None


def test_the_url_field_says_how_numeric_dates_are_written() -> None:
    """A British address: day first (and the British clock); an American one: month first; no address
    and no agency: an ambiguous numeric date is not guessed."""
    fields = "Title: Council approves budget\nDate: 10/05/2022 09:30\n{url}\n" + STORY
    gb = read(fields.format(url="URL: https://www.example.co.uk/news/budget"))
    us = read(fields.format(url="URL: https://www.example.us/news/budget"))
    assert published(gb) == "2022-05-10T09:30:00+01:00"
    assert us.published_at is not None and (us.published_at.month, us.published_at.day) == (10, 5)
    assert published(read(fields.format(url=""))) is None


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe and Sam Roe", ("Jane Doe", "Sam Roe")),
        ("Geschrieben von Hans Müller", ("Hans Müller",)),
        ("Par Jean Dupont", ("Jean Dupont",)),
        ("Por María López", ("María López",)),
        ("di Mario Rossi", ("Mario Rossi",)),
        ("Door Jan de Vries", ("Jan de Vries",)),
        ("Av Anna Svensson", ("Anna Svensson",)),
        ("Von: Hans Müller", ("Hans Müller",)),
    ],
)
def test_byline_lines_in_several_languages(line: str, names: tuple[str, ...]) -> None:
    a = read(f"Council approves budget\n{line}\n\n" + STORY)
    assert a.authors == names and a.body.startswith("The council approved")



@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Par Jean Dupont et Marie Curie", ("Jean Dupont", "Marie Curie")),
        ("Von Hans Müller und Eva Berg", ("Hans Müller", "Eva Berg")),
        ("Por Juan Pérez y María López", ("Juan Pérez", "María López")),
        ("di Mario Rossi e Luca Bianchi", ("Mario Rossi", "Luca Bianchi")),
        ("Door Jan de Vries en Piet Jansen", ("Jan de Vries", "Piet Jansen")),
        ("Av Anna Svensson och Per Olsson", ("Anna Svensson", "Per Olsson")),
        # 'y' and 'e' also join two surnames of one person; a joiner joins only as a whole word
        ("Por José Ortega y Gasset", ("José Ortega y Gasset",)),
        ("By Art Anderson", ("Art Anderson",)),
    ],
)
def test_byline_names_are_split_at_the_joiners_of_their_language(line: str, names: tuple[str, ...]) -> None:
    assert read(f"Council approves budget\n{line}\n\n" + STORY).authors == names

@pytest.mark.parametrize(
    "line",
    ["Di recente il governo ha deciso di tagliare le tasse", "Door de storm vielen gisteren veel bomen om",
     "Par ailleurs le conseil a voté", "Von Montag an gilt die neue Regel", "Author of the plan: the mayor"],
)
def test_sentences_opening_with_a_byline_word_are_not_bylines(line: str) -> None:
    assert read(f"Council approves budget\n{line}\n\n" + STORY).authors == ()



def test_a_headline_with_a_label_is_no_byline() -> None:
    """An interview's subject is no author: labels ("Interview:", "Text:") count only in author fields."""
    a = read("Interview: Angela Merkel\n\n" + STORY)
    assert a.title == "Interview: Angela Merkel" and a.authors == ()


@pytest.mark.parametrize(
    ("value", "names"),
    [("Perry Bacon Jr.", ("Perry Bacon Jr.",)), ("Jane Doe.", ("Jane Doe",)),
     ("Nicolas Gutierrez C. and Sam Roe", ("Nicolas Gutierrez C.", "Sam Roe"))],
)
def test_a_name_keeps_the_full_stop_of_an_initial_or_abbreviation(value: str, names: tuple[str, ...]) -> None:
    assert read(f"Title: Council approves budget\nAuthor: {value}\n\n" + STORY).authors == names
    assert read(f"Council approves budget\nBy {value}\n\n" + STORY).authors == names

def test_an_author_field_loses_the_words_that_open_a_byline() -> None:
    for value in ("By Jane Doe", "Von Jane Doe", "di Jane Doe"):
        assert read(f"Title: Council approves budget\nAuthor: {value}\n\n" + STORY).authors == ("Jane Doe",)


def test_a_name_over_a_dateline_line_is_the_writer() -> None:
    article = read(f"Harbour closes as storm nears\n\nSam Lee\nDAMPIER, Western Australia 2024-12-06\n{STORY}")
    assert article.authors == ("Sam Lee",)
    assert article.title == "Harbour closes as storm nears"
    assert article.body.startswith("The council approved")


def test_a_publisher_over_a_headline_over_a_dateline_stays_the_publisher() -> None:
    article = read(f"Coast Herald\nHarbour Closes Early\nDAMPIER, Western Australia 2024-12-06\n{STORY}")
    assert article.authors == ()
    assert (article.publisher, article.title) == ("Coast Herald", "Harbour Closes Early")


def test_a_declared_language_spoken_on_one_clock_gives_the_clock() -> None:
    story = ("Nowa linia tramwajowa połączy osiedla na północy miasta z centrum. Pierwsze tramwaje wyjadą na tory "
             "w poniedziałek rano, a przez pierwszy tydzień przejazdy będą bezpłatne.")
    text = "Language: %s\n\nMiasto otwiera nową linię\n\nOpublikowano: 12 października 2021, 10:15\n\n" + story
    assert published(read(text % "pl")) == "2021-10-12T10:15:00+02:00"  # Warsaw's summer time
    assert published(read(text % "en-IN")) == "2021-10-12T10:15:00+05:30"  # a region names the country
    assert published(read(text % "en")) == "2021-10-12T10:15:00+00:00"  # English: no one clock
