"""Places named in a text that no NER model reads: the gazetteer's names, looked up word by word.

    scan_places(text, "body", gaz, names)   → location candidates ("Hamburg", "Den Haag", "Lissabon")

For a language without a spaCy model (`Settings.spacy_models`) this is where its places come from; people
and organisations need a model. A place is a run of one to four words that starts and ends with a capital
letter and whose text is one of `names` (`localnames.scannable`: countries, and cities big enough not to be
mistaken for common words), the longest first, never overlapping; the run stays within a line and between
punctuation. The candidates go through the same canonical names and map resolution as NER's.
"""

from __future__ import annotations

import re

from ingest.enrich.entities import Candidate
from ingest.enrich.gazetteer import Gazetteer, unaccented_key
from ingest.records import TextField

MAX_WORDS = 4  # "Rio de Janeiro", "Frankfurt am Main", "Bosnien und Herzegowina"
_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*")
_GAP = re.compile(r" +")  # what may stand between the words of one name


def scan_places(text: str, field: TextField, gaz: Gazetteer, names: frozenset[str]) -> list[Candidate]:
    words = list(_WORD.finditer(text))
    found: list[Candidate] = []
    i = 0
    while i < len(words):
        size = _longest_name(text, words, i, names) if words[i].group()[0].isupper() else 0
        if size:
            start, end = words[i].start(), words[i + size - 1].end()
            name = text[start:end]
            canonical = gaz.country(name) or gaz.alias(name) or gaz.place(name) or name
            found.append(Candidate(field, start, end, name, name, "LOC", "location", canonical))
        i += size or 1
    return found


def _longest_name(text: str, words: list[re.Match[str]], i: int, names: frozenset[str]) -> int:
    """How many words from `i` on make a name of `names` (0: none)."""
    for size in range(min(MAX_WORDS, len(words) - i), 0, -1):
        last = words[i + size - 1]
        if not last.group()[0].isupper():
            continue
        if any(not _GAP.fullmatch(text[words[k].end():words[k + 1].start()]) for k in range(i, i + size - 1)):
            continue
        if unaccented_key(text[words[i].start():last.end()]) in names:
            return size
    return 0
