"""People named in a text that no NER model reads: a known given name, then a surname.

    scan_people(text, "body", gaz, scannable("de"), "de")   → person candidates ("Olaf Scholz",
                                                               "Ursula von der Leyen")

For a language without a spaCy model (`Settings.spacy_models`) this is where its people come from, beside
the places of scan.py. A person is a run of words on one line, one space apart:
- a given name (`given_names`), then more given names or initials ("Recep Tayyip", "George W."), hyphened
  ones too ("Hans-Peter"); not a function word of the language ("Sie", "Von": spaCy's stop words), not right
  after one of its articles ("die Rose": determiners.tsv), not the end of a place's name ("New York Times");
- after a single given name, the particles of a surname ("von der", "de", "Le": the `surname` flag of
  ingest/vocab/name_particles.tsv; "der" only after another: "Art der Kooperation" is no name);
- the surname: a capitalised word with a small letter (no acronym: "Olaf SPD") that is not a particle, a
  country, a month or a weekday (a place may be: "George W. Bush", "Paris Hilton"). A
  second surname is taken only when it is a known one ("Pedro Sánchez Pérez"): in a German clause a noun
  often follows the name ("hat Olaf Scholz Angst"). Given names alone: the last is the surname ("Thomas
  Martin").
The whole is no place ("Sierra Leone", nor does it end on a place's word: "Canal Square", place_words.tsv)
and no organisation: neither its last word nor the next is an organisation's ("Rice University", "Media
Group": organization_words.tsv).
A name that ends in the genitive "s" of a name found in the same text is that person ("Angela Merkels").

Given names and surnames: the first and last names of every locale of Faker's person providers (MIT), in
scripts with capital letters (Latin, Cyrillic, Greek, Armenian…); a given name is at least three letters and
not a country ("Jordan", "Georgia"), a title ("General", "Admiral": person_titles.tsv), or the full name of a
month or a weekday in a language read here ("August", "Juni").
The candidates go through the same surname mentions as NER's ("Scholz" alone, later, is Olaf Scholz).

The same name lists tell, for any model, what a "person" is not (`town_clubs`): in a sports report, a city's
name and a word that is no given name ("Rapid Vienna", "Vancouver Canucks") is the town's club.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import cache

from ingest.dates.months import full_month_names
from ingest.dates.weekdays import full_weekday_names
from ingest.enrich.entities import SURNAME_OPENERS, SURNAME_PARTICLES, Candidate
from ingest.enrich.gazetteer import Gazetteer, gazetteer, unaccented_key
from ingest.enrich.localnames import stop_words
from ingest.enrich.repair import ORG_SUFFIXES, PERSON_TITLE_ROWS, PLACE_SUFFIXES
from ingest.enrich.scan import after_article, determiners, words_of
from ingest.enrich.sports import is_sports
from ingest.records import TextField

_MIN_GIVEN = 3  # letters: "Al", "Bo", "Li" are words too often
_MAX_GIVEN = 4  # given names and initials of one person ("Luís Roberto", "John F."): a line of them is a list
_MAX_PARTICLES = 3  # "van de la"
_ONE_SPACE = " "
_CLUB_TOWN = 100_000  # people: a city this large fields clubs


def scan_people(text: str, field: TextField, gaz: Gazetteer, places: Mapping[str, frozenset[str]],
                language: str | None = None) -> list[Candidate]:
    """`places`: the names scan.py looks for (`localnames.scannable`), which no person's name is."""
    words = words_of(text)
    articles, stop = determiners(language), stop_words(language) if language else frozenset()
    found: list[Candidate] = []
    i = 0
    while i < len(words):
        size = 0 if after_article(text, words, i, articles) else _name_at(text, words, i, gaz, places, stop)
        if size:
            start, end = words[i].start(), words[i + size - 1].end()
            while text[end - 1] in "'’":  # "Olaf Scholz’ Kabinett"
                end -= 1
            name = text[start:end]
            found.append(Candidate(field, start, end, name, name, "PER", "person", name))
        i += size or 1
    return found


def genitives(cands: list[Candidate]) -> list[Candidate]:
    """"Angela Merkels" beside "Angela Merkel" in one text is her name in the genitive."""
    names = {c.canonical for c in cands if c.type == "person"}
    return [replace(c, canonical=c.canonical[:-1]) if c.type == "person" and c.canonical.endswith("s")
            and c.canonical[:-1] in names else c for c in cands]


def town_clubs(cands: list[Candidate], texts: Mapping[TextField, str], gaz: Gazetteer) -> list[Candidate]:
    """In a sports report, a "person" the model found that is a city's name and a word that is no person's
    name is the town's club: an organization ("Rapid Vienna", "PSV Eindhoven", "Vancouver Canucks"). Not when
    the name opens on a given name ("Sydney Smith"), nor when the model found the city's word alone as a
    person elsewhere in the report (a player's surname); with the city first, only a plural nickname makes a
    club ("Leeds Rhinos", not "Salem Bitar"). A player whose given name the lists lack and whose surname is
    a city's ("Andriy Shevchenko") is misread: the lists have no given name of his, the model no other clue."""
    if not is_sports(dict(texts)):
        return cands
    alone = {c.cased for c in cands if c.type == "person" and " " not in c.cased}
    return [replace(c, type="organization", label="ORG") if c.type == "person" and _town_club(c.cased, gaz, alone)
            else c for c in cands]


def _town_club(name: str, gaz: Gazetteer, alone: set[str]) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4 or gaz.place(name) is not None or words[0] in given_names():
        return False
    if _city(words[0], gaz, alone):
        return words[-1].endswith("s") and words[-1] not in surnames()
    return any(_city(word, gaz, alone) for word in words[1:])


def _city(word: str, gaz: Gazetteer, alone: set[str]) -> bool:
    """A city large enough to field clubs (not a village a surname shares: "Soma", "Ali"), whose name is no
    person's name ("Jackson", "Mary", "van"), and no player's surname in this report."""
    return (word[:1].isupper() and gaz.population.get(unaccented_key(word), 0) >= _CLUB_TOWN
            and word not in alone and word not in given_names() and word not in surnames())


def _name_at(  # noqa: PLR0917 - one scan's state, passed down
    text: str, words: list[re.Match[str]], i: int, gaz: Gazetteer, places: Mapping[str, frozenset[str]],
    stop: frozenset[str],
) -> int:
    """How many words from `i` on make a person's name (0: none)."""
    first = words[i].group()
    if not _is_given(first, stop) or _ends_place(text, words, i, gaz, places):
        return 0
    j = i + 1
    while (j - i < _MAX_GIVEN and _next(text, words, j)
           and (_is_given(words[j].group(), stop) or _is_initial(text, words[j]))):
        j += 1  # more given names; the last of them may be the surname ("Thomas Martin")
    k = j
    if j == i + 1:  # the particles of one given name's surname ("Ursula von der Leyen", "Marine Le Pen")
        while (k - j < _MAX_PARTICLES and _next(text, words, k)
               and (particle := words[k].group().lower()) in SURNAME_PARTICLES
               and (k > j or particle in SURNAME_OPENERS) and _next(text, words, k + 1)):
            k += 1
    end = 0
    if _next(text, words, k) and _is_surname(words[k].group(), gaz):
        end = k + 1
        second = words[end].group() if _next(text, words, end) else ""
        if second in surnames() and _is_surname(second, gaz):  # "Pedro Sánchez Pérez"
            end += 1
    elif k == j and j - i >= 2 and _is_surname(words[j - 1].group(), gaz):
        end = j  # given names only: the last is the surname ("Thomas Martin")
    if not end or not _is_person(text, words, i, end, places):
        return 0
    return end - i


def _is_person(text: str, words: list[re.Match[str]], i: int, end: int, places: Mapping[str, frozenset[str]]) -> bool:
    """Not a place ("Sierra Leone", "Canal Square"), not an organisation ("Rice University", "Media Group")."""
    if unaccented_key(text[words[i].start():words[end - 1].end()]) in places:
        return False
    after = words[end].group().lower() if _next(text, words, end) else ""
    last = words[end - 1].group().lower()
    return last not in ORG_SUFFIXES and last not in PLACE_SUFFIXES and after not in ORG_SUFFIXES


def _ends_place(text: str, words: list[re.Match[str]], i: int, gaz: Gazetteer,
                places: Mapping[str, frozenset[str]]) -> bool:
    """words[i] is the last word of a place's name ("New York Times", "Los Angeles")."""
    for before in range(1, 4):
        if i - before < 0 or not _next(text, words, i - before + 1):
            return False
        name = text[words[i - before].start():words[i].end()]
        if unaccented_key(name) in places or gaz.place(name):
            return True
    return False


def _next(text: str, words: list[re.Match[str]], j: int) -> bool:
    """words[j] exists and follows words[j-1] after one space, on the same line (or an initial's full stop:
    "John F. Kennedy")."""
    if not 0 < j < len(words):
        return False
    gap, before = text[words[j - 1].end():words[j].start()], words[j - 1].group()
    return gap == _ONE_SPACE or (gap == ". " and len(before) == 1 and before.isupper())


def _is_initial(text: str, word: re.Match[str]) -> bool:
    return word.end() - word.start() == 1 and word.group().isupper() and text[word.end():word.end() + 1] == "."


def _is_surname(word: str, gaz: Gazetteer) -> bool:
    """A capitalised word with a small letter, not a particle, month, weekday or country. (A place may be a
    surname, even after a given name that is a place too: "George Bush", "Paris Hilton".)"""
    return (word[:1].isupper() and any(c.islower() for c in word) and word.lower() not in SURNAME_PARTICLES
            and not _calendar_word(word) and gaz.country(word) is None)


def _is_given(word: str, stop: frozenset[str]) -> bool:
    """A given name ("Hans-Peter" too) that is no function word of the language ("Sie", "Von", "Allen")."""
    names = given_names()
    known = word in names or ("-" in word and all(part in names for part in word.split("-")))
    return known and unaccented_key(word) not in stop


@cache
def given_names() -> frozenset[str]:
    titles = {t.title for t in PERSON_TITLE_ROWS}
    gaz = gazetteer()
    return frozenset(
        name for name in _faker_names("first_names")
        if len(name) >= _MIN_GIVEN and name.lower() not in titles and gaz.country(name) is None
        and not _calendar_word(name)
    )


def _calendar_word(word: str) -> bool:
    """The full name of a month or a weekday in a language read here ("August", "Juni"; not "Marco")."""
    return word.casefold() in full_month_names() or word.casefold() in full_weekday_names()


@cache
def surnames() -> frozenset[str]:
    return _faker_names("last_names")


def _faker_names(kind: str) -> frozenset[str]:
    """Every name of Faker's person providers whose attribute starts with `kind` ("first_names",
    "first_names_female"…), one word in a script with capitals."""
    import faker.providers.person as providers

    names: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        provider = getattr(importlib.import_module(f"{providers.__name__}.{module.name}"), "Provider", None)
        for attr, value in vars(provider).items() if provider else ():
            if attr.startswith(kind) and isinstance(value, (tuple, list, dict, set, frozenset)):
                names.update(n for n in value if isinstance(n, str))
    return frozenset(n for n in names if n.isalpha() and n[:1].isupper() and n[1:].islower())
