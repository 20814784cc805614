"""People in languages without an NER model (ingest/enrich/people.py): what a person's name is, on short
sentences written for these tests, through the real enricher; and, with a model, what a "person" is not (a
town's club in a sports report)."""

from __future__ import annotations

import pytest
from factories import article

from ingest.enrich import Enricher, EnrichOptions

ENRICHER = Enricher(EnrichOptions())


def _people(body: str, language: str) -> list[str]:
    return list(ENRICHER.enrich(article(body, language=language)).entities.person)


@pytest.mark.parametrize(("body", "language", "expected"), [
    # a given name, more given names or initials, the particles of a surname, the surname
    ("Am Montag traf Ursula von der Leyen den Kanzler.", "de", ["Ursula von der Leyen"]),
    ("Danach sprach Hans-Peter Müller mit der Presse.", "de", ["Hans-Peter Müller"]),
    ("Er zitierte John F. Kennedy und George W. Bush.", "de", ["John F. Kennedy", "George W. Bush"]),
    ("Le Pen dijo que Marine Le Pen no vendrá.", "es", ["Marine Le Pen"]),
    ("Ayer Recep Tayyip Erdoğan habló en público.", "es", ["Recep Tayyip Erdoğan"]),
    # a German clause goes on with a noun after the name; a second surname must be a known one
    ("Warum hat Olaf Scholz Angst vor der Wahl?", "de", ["Olaf Scholz"]),
    # the genitive of a name named in the same text
    ("Angela Merkels Nachfolger lobte Angela Merkel.", "de", ["Angela Merkel"]),
    # function words, nouns after an article, places, organisations and calendar words are no people
    ("Sie Fragen gern? Von Risiken sprach niemand.", "de", []),
    ("Die Rose Blüten sind rot, die Tage Ruhe bringen.", "de", []),
    ("Die Art der Kooperation war neu.", "de", []),
    ("Er las die New York Times in Sierra Leone.", "de", []),
    ("Sie arbeitet bei der Rice University und der Media Group.", "de", []),
    ("Mitte August Regen, im Juni Sonne.", "de", []),
])
def test_what_a_persons_name_is(body: str, language: str, expected: list[str]) -> None:
    assert _people(body, language) == expected



def test_a_line_of_given_names_makes_no_endless_name() -> None:
    """Hostile input: a name has at most four given names, three particles and two surnames."""
    people = _people("Ein Satz: " + "Anna " * 5000 + "von " * 50 + "Schmidt.", "de")
    assert people and all(len(name.split()) <= 6 for name in people)


SPORTS = (
    "Otelul Galati beat Hapoel Haifa in the first leg of the cup tie on Wednesday, and the league leaders now "
    "face Sparta Rotterdam in the next round of the competition. Sydney Jones, the coach, said the standings "
    "would look different by the end of the season."
)


def test_a_town_and_a_word_that_is_no_name_is_the_towns_club_in_a_sports_report() -> None:
    entities = ENRICHER.enrich(article(SPORTS, title="Cup holders through to the next round")).entities
    assert {"Otelul Galati", "Hapoel Haifa", "Sparta Rotterdam"} <= set(entities.organization)
    assert "Sydney Jones" in entities.person  # a given name opens it: a person, though Sydney is a city


def test_outside_a_sports_report_the_model_keeps_its_people() -> None:
    body = "Hapoel Haifa, a lawyer, said on Wednesday that the contract had been signed in the spring."
    assert ENRICHER.enrich(article(body)).entities.person == ("Hapoel Haifa",)
