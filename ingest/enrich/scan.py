"""Places named in a text that no NER model reads: the gazetteer's names, looked up word by word.

    scan_places(text, "body", gaz, names)   → location candidates ("Hamburg", "Den Haag", "Lissabon")

For a language without a spaCy model (`Settings.spacy_models`) this is where its places come from (its people:
people.py; organisations need a model). A place is a run of one to four words that starts and ends with a
capital letter and whose text is one of `names` (`localnames.scannable`: countries, and cities big enough not
to be mistaken for common words), the longest first, never overlapping; the run stays within a line and
between punctuation; a case ending after an apostrophe is not part of the name ("Ankara'da"). A one-word town
right after an article of the language is a common noun ("die Hunde", "das Essen":
`ingest/vocab/determiners.tsv`), and so is one right before a month name or a year ("Mitte Januar", "Ende
2026"), and so is one a capitalised word that is no place follows ("Victoria Beckham"); a country is always a
country ("die Schweiz"). A printed accent must be the name's own ("Länder" is not Lander, Wyoming).
The candidates go through the same canonical names and map resolution as NER's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from ingest import vocab
from ingest.dates.months import names_in
from ingest.enrich.entities import Candidate
from ingest.enrich.gazetteer import Gazetteer, unaccented_key, without_accents
from ingest.records import TextField

MAX_WORDS = 4  # "Rio de Janeiro", "Frankfurt am Main", "Bosnien und Herzegowina"
_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*")
_GAP = re.compile(r" +")  # what may stand between the words of one name


def scan_places(text: str, field: TextField, gaz: Gazetteer, names: Mapping[str, frozenset[str]],
                language: str | None = None) -> list[Candidate]:
    """`names`: folded name → the forms it is printed in (`localnames.scannable`)."""
    words = words_of(text)
    articles, dated = determiners(language), _date_follows(language)
    found: list[Candidate] = []
    i = 0
    while i < len(words):
        size = _longest_name(text, words, i, names) if words[i].group()[0].isupper() else 0
        if size:
            start, end = words[i].start(), words[i + size - 1].end()
            name = text[start:end]
            country = gaz.country(name)
            if country or size > 1 or not (after_article(text, words, i, articles) or dated.match(text, end)
                                           or _names_on(text, words, i, names)):
                canonical = country or gaz.alias(name) or gaz.place(name) or name
                found.append(Candidate(field, start, end, name, name, "LOC", "location", canonical))
        i += size or 1
    return found


def words_of(text: str) -> list[re.Match[str]]:
    """The words of a text that may be names or parts of names (hyphened words are one), case endings cut."""
    return [_without_suffix(text, word) for word in _WORD.finditer(text)]


def _without_suffix(text: str, word: re.Match[str]) -> re.Match[str]:
    """A name with a case ending after an apostrophe is the name ("Ankara'da", "İstanbul'un", "London's"); an
    apostrophe inside a name stays ("N'Djamena", "d'Ivoire")."""
    cut = max(word.group().rfind("'"), word.group().rfind("’"))
    tail = word.group()[cut + 1 :]
    if cut <= 0 or not (tail.isalpha() and tail.islower()):
        return word
    return _WORD.match(text, word.start(), word.start() + cut) or word


@cache
def determiners(language: str | None) -> frozenset[str]:
    """The articles of a language (`ingest/vocab/determiners.tsv`), lower case; none for an unknown one."""
    return frozenset(w for code, words in vocab.table("determiners") if code == language for w in words.split())


def _names_on(text: str, words: list[re.Match[str]], i: int, names: Mapping[str, frozenset[str]]) -> bool:
    """A capitalised word that is no place right after words[i] (a space between): a first name or the start
    of a longer name ("Victoria Beckham", "Alexandria Ocasio-Cortez"), not a town."""
    if i + 1 >= len(words) or text[words[i].end():words[i + 1].start()] != " ":
        return False
    following = words[i + 1].group()
    return following[0].isupper() and unaccented_key(following) not in names


def after_article(text: str, words: list[re.Match[str]], i: int, articles: frozenset[str]) -> bool:
    """The word before words[i], on the same line and with only spaces between, is an article ("l'" too)."""
    if i == 0 or not articles:
        return False
    before = words[i - 1]
    gap = text[before.end():words[i].start()]
    word = before.group().lower()
    return (_GAP.fullmatch(gap) is not None and word in articles) or (gap == "" and word[-1:] in "'’"
                                                                     and word.replace("’", "'") in articles)


@cache
def _date_follows(language: str | None) -> re.Pattern[str]:
    """A month name of the language or a year right after a word: "Mitte Januar", "Ende 2026" are dates."""
    months = "|".join(sorted(map(re.escape, names_in(language or "en", abbreviations=False)), key=len, reverse=True))
    return re.compile(rf" +(?:(?:{months})\b|\d{{4}}\b)", re.IGNORECASE)


def _longest_name(text: str, words: list[re.Match[str]], i: int, names: Mapping[str, frozenset[str]]) -> int:
    """How many words from `i` on make a name of `names` (0: none)."""
    for size in range(min(MAX_WORDS, len(words) - i), 0, -1):
        last = words[i + size - 1]
        if not last.group()[0].isupper():
            continue
        if any(not _GAP.fullmatch(text[words[k].end():words[k + 1].start()]) for k in range(i, i + size - 1)):
            continue
        printed = text[words[i].start():last.end()]
        forms = names.get(unaccented_key(printed))
        if forms is not None and _fits(printed, forms):
            return size
    return 0


def _fits(printed: str, forms: frozenset[str]) -> bool:
    """Printed as a known form, or without any accent ("Zurich" for "Zürich"; "Länder" is not "Lander")."""
    folded = " ".join(printed.casefold().split())
    return folded in forms or without_accents(printed) == printed
