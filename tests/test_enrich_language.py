"""The language of an article is told from its running words, not from its names and figures."""

from __future__ import annotations

import pytest

from ingest.enrich.datelines import dateline_names
from ingest.enrich.gazetteer import gazetteer
from ingest.enrich.language import detect_language, running_words

DUTCH_TABLE = (
    "Results of Dutch first division soccer matches played on Saturday and the standings after them:\n"
    "Willem II Tilburg 2 NAC Breda 1\nAjax Amsterdam 3 Sparta Rotterdam 0\nVitesse Arnhem 1 Twente Enschede 1\n"
    "Heerenveen 2 Roda JC Kerkrade 2\nGroningen 0 Fortuna Sittard 0\nPSV Eindhoven 4 De Graafschap Doetinchem 0\n"
    "Standings: PSV Eindhoven 17 11 4 2 38 13 37, Feyenoord 16 10 4 2 26 17 34, Twente Enschede 17 9 4 4 27 16 31"
)


def test_a_results_table_is_in_the_language_of_its_sentence() -> None:
    assert detect_language("SOCCER - DUTCH FIRST DIVISION RESULTS", DUTCH_TABLE) == "en"


def test_names_and_figures_are_not_running_words() -> None:
    assert running_words("Willem II Tilburg 2 NAC Breda 1. Results of the first division, played on Saturday") \
        == "of the first division played on"
    assert running_words("東京で会議 Paris l’homme d’État") == "東京で会議 l’homme d’État"  # no case, elisions


def test_names_and_figures_alone_leave_the_language_undetected() -> None:
    assert detect_language("TENNIS - RESULTS", "Anna Berger (Austria) 6-3 6-4 Sara Dahl (Sweden)\n"
                                               "Ida Holm (Norway) 7-5 6-1 Eva Roe (Canada)") is None


def test_a_short_text_keeps_the_language_it_reads_in_whole() -> None:
    assert detect_language("First record", "The first story text is here.") == "en"


@pytest.mark.parametrize(("title", "body", "language"), [
    ("Regierung beschließt Haushalt", "Die Bundesregierung hat am Mittwoch den Haushalt für das kommende Jahr "
     "beschlossen, der deutlich mehr Geld für Schulen und Straßen vorsieht.", "de"),
    ("Le gouvernement adopte le budget", "Le gouvernement a adopté mercredi le budget de l'année prochaine, qui "
     "prévoit nettement plus d'argent pour les écoles et les routes.", "fr"),
    ("Council approves budget", "The council approved the budget on Wednesday, with much more money for "
     "schools and roads in the coming year.", "en"),
])
def test_prose_keeps_its_language(title: str, body: str, language: str) -> None:
    assert detect_language(title, body) == language


@pytest.mark.parametrize(("dateline", "names"), [
    ("Al-Ain, United Arab Emirates", ("Al-Ain", "United Arab Emirates")),  # a town the gazetteer may not know
    ("Tallahassee, Fla.", ("Tallahassee", "Fla.")),
    ("WASHINGTON -", ("Washington",)),
    ("Dec 6 (Reuters)", ()),
    ("by our staff", ()),
])
def test_every_part_of_a_dateline_is_a_place(dateline: str, names: tuple[str, ...]) -> None:
    assert dateline_names(dateline, gazetteer()) == names
