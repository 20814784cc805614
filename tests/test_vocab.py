"""Every vocabulary shipped in ingest/vocab holds each entry once, and is readable by the loader."""

from __future__ import annotations

import pytest

from ingest import vocab
from ingest.parse import bylines, wire


@pytest.mark.parametrize("filename", vocab.names())
def test_each_entry_once(filename: str) -> None:
    name, kind = filename.rsplit(".", 1)
    rows = [row[0] for row in vocab.table(name)] if kind == "tsv" else list(vocab.entries(name))
    keys = [key.casefold() for key in rows]
    assert keys, f"{filename} is empty"
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    assert not repeated, f"{filename} repeats {repeated}"


def test_every_agency_form_names_one_agency() -> None:
    forms = [form.casefold() for agency in wire.agencies() for form in agency.forms]  # raises on a repeat
    assert len(forms) == len(set(forms)) and len(wire.agencies()) == len(vocab.table("agencies"))
    assert all(len(agency.country) == 2 and agency.country.isupper() for agency in wire.agencies())


@pytest.mark.parametrize(("name", "flags"), [("person_titles", ("abbreviation", "person", "cut", "not a name")),
                                             ("place_words", ("of", "last")),
                                             ("organization_words", ("before", "last", "head", "first")),
                                             ("sports_words", ("report", "role")),
                                             ("name_particles", ("joins", "prefix", "surname", "second"))])
def test_flag_columns_hold_their_flag_or_nothing(name: str, flags: tuple[str, ...]) -> None:
    for row in vocab.table(name):
        assert row[0] == row[0].lower() and not row[0].endswith(".") and len(row) <= 1 + len(flags), row
        assert all(cell in ("", flag) for cell, flag in zip(row[1:], flags, strict=False)), row


def test_byline_words_are_lower_case_openers_or_labels_with_languages() -> None:
    rows = bylines.byline_words()  # raises on a kind other than opener or label
    assert len(rows) == len(vocab.table("byline_words"))
    assert all(r.words == r.words.lower() and r.languages and all(len(lang) == 2 for lang in r.languages)
               for r in rows)
    assert bylines.without_byline_words("Written  by Jane Doe") == "Jane Doe"
    assert bylines.without_byline_words("Bystander Jane") == "Bystander Jane"


def test_name_joiners_are_lower_case_with_what_they_join_and_languages() -> None:
    rows = bylines.name_joiners()  # raises on a `joins` other than names or full names
    assert len(rows) == len(vocab.table("name_joiners"))
    assert all(r.words == r.words.lower() and r.languages for r in rows)
    assert bylines.split_names("Jean Dupont et Marie Curie, Sam Roe") == ["Jean Dupont", "Marie Curie", "Sam Roe"]
    assert bylines.split_names("José Ortega y Gasset") == ["José Ortega y Gasset"]


def test_weekday_names_are_babels_full_names_and_english_abbreviations() -> None:
    from babel.dates import get_day_names

    from ingest.dates import weekday_names_in, weekday_number

    for language in ("en", "de", "fr", "es", "it", "nl", "pt"):
        wide = get_day_names("wide", locale=language)
        assert weekday_names_in(language) == tuple(str(wide[day]) for day in range(7)), language
    assert weekday_names_in("en", abbreviations=True)[7:] == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert weekday_number("Freitag") == weekday_number("fri.") == 4 and weekday_number("Fries") is None


def test_date_labels_are_lower_case_published_updated_or_prepositions() -> None:
    from ingest.dates import date_labels, is_updated_label

    rows = vocab.table("date_labels")
    assert all(row[0] == row[0].lower() and row[1] in ("published", "updated", "preposition") and row[2]
               for row in rows)
    assert sum(len(date_labels(kind)) for kind in ("published", "updated", "preposition")) == len(rows)
    assert is_updated_label("Last updated on") and is_updated_label("Zuletzt aktualisiert am")
    assert not is_updated_label("Veröffentlicht am") and not is_updated_label("Published")
