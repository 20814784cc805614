"""The words of a byline, for every reader (docs/architecture.md, Vocabularies): the words that open it ("By",
"Von", "di", "Door", "Author:") and the words that join its names ("and", "und", "et", "y", "och").

The words are data: `ingest/vocab/byline_words.tsv` (words, opener or label, languages) and
`ingest/vocab/name_joiners.tsv` (words, what they join, languages), read here and nowhere else. One pattern,
`byline_opening`, matches the opening words at the start of a text with what follows them (a space or a
colon: "By Jane Doe", "Von: Hans Müller", "Author: Jane Doe"); one function, `split_names`, cuts a run of
names at the joiners, commas, semicolons and bars. Each reader adds what makes the opening words safe, since
some openers also open sentences ("Di recente …", "Door de storm …"): the plain-text reader takes a whole
line only when it opens with an opener and the names after it look like names (a label is not enough there:
"Interview: Angela Merkel" is a headline); the HTML reader strips the words from an author it already found,
and drops a leading body paragraph only when it is short, holds the first author found and is no sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

from ingest import vocab

BylineKind = Literal["opener", "label"]
Joins = Literal["names", "full names"]


@dataclass(frozen=True)
class BylineWords:
    words: str  # lower case: "by", "written by", "author"
    kind: BylineKind  # "opener": a word for "by"; "label": the name of the field ("Author")
    languages: tuple[str, ...]  # ISO 639-1


@cache
def byline_words() -> tuple[BylineWords, ...]:
    """The rows of byline_words.tsv. A kind other than opener or label is an error of the table."""
    found: list[BylineWords] = []
    for words, kind, languages in vocab.table("byline_words"):
        if kind not in ("opener", "label"):
            raise ValueError(f"ingest/vocab/byline_words.tsv: {words!r} has kind {kind!r}, not opener or label")
        found.append(BylineWords(words, "opener" if kind == "opener" else "label", tuple(languages.split())))
    return tuple(found)


@cache
def byline_opening(kinds: tuple[BylineKind, ...] = ("opener", "label")) -> re.Pattern[str]:
    """The words of these kinds that open a byline and what follows them (a space, or a colon), at the start
    of a text, any case: "By ", "Von: ", "Written by ", "Author: ", "Interview ". Longer words are tried first
    ("ein beitrag von" before "beitrag von")."""
    rows = sorted((w.words for w in byline_words() if w.kind in kinds), key=len, reverse=True)
    words = "|".join(r"\s+".join(map(re.escape, words.split())) for words in rows)
    return re.compile(rf"(?:{words})(?:\s*:\s*|\s+)", re.I)


def without_byline_words(text: str) -> str:
    """`text` without the words that open it as a byline ("By Jane Doe" → "Jane Doe"); else `text`."""
    match = byline_opening().match(text)
    return text[match.end():] if match else text


def trimmed_name(text: str) -> str:
    """A name without the spaces, colons and full stops around it, save the full stop of an initial or a short
    abbreviation that ends it ("Perry Bacon Jr.", "Nicolas Gutierrez C."; "Jane Doe." → "Jane Doe")."""
    name = re.sub(r"\s+", " ", text).strip(" .:")
    return name + "." if ends_with_abbreviation(text.rstrip(" :")) else name


def ends_with_abbreviation(name: str) -> bool:
    """The name ends with an initial or a short abbreviation and its full stop: "Nicolas Gutierrez C.",
    "Perry Bacon Jr." (a full stop that ends no sentence)."""
    return bool(_SHORT_LAST_WORD.search(name))


@dataclass(frozen=True)
class NameJoiner:
    words: str  # lower case: "and", "&", "im gespräch mit"
    joins: Joins  # "full names": only between names of two words or more ("José Ortega y Gasset" is one)
    languages: tuple[str, ...]  # ISO 639-1, "-" for a sign


@cache
def name_joiners() -> tuple[NameJoiner, ...]:
    """The rows of name_joiners.tsv. A `joins` other than names or full names is an error of the table."""
    found: list[NameJoiner] = []
    for words, joins, languages in vocab.table("name_joiners"):
        if joins not in get_args(Joins):
            raise ValueError(f"ingest/vocab/name_joiners.tsv: {words!r} joins {joins!r}, not names or full names")
        found.append(NameJoiner(words, "names" if joins == "names" else "full names", tuple(languages.split())))
    return tuple(found)


@cache
def _joiner_pattern(joins: Joins) -> re.Pattern[str]:
    """The joiners of this kind between two names, with the spaces around them, any case (a word joins only as a
    whole word: "Anderson" holds no "and")."""
    rows = sorted((j.words for j in name_joiners() if j.joins == joins), key=len, reverse=True)
    words = "|".join(r"\s+".join(map(re.escape, w.split())) if w[0].isalnum() else re.escape(w) for w in rows)
    separators = r"\s*[,;|]\s*|" if joins == "names" else ""
    return re.compile(rf"{separators}\s*(?<!\w)(?:{words})(?!\w)\s*", re.I)


def split_names(text: str) -> list[str]:
    """The names in a run of them: "Jane Doe, Sam Roe and Eva Berg", "Jean Dupont et Marie Curie", "Juan Pérez y
    María López" (but "José Ortega y Gasset" is one name), stripped; empty parts left out."""
    names: list[str] = []
    for part in _joiner_pattern("names").split(text):
        pieces = _joiner_pattern("full names").split(part)
        whole = len(pieces) == 1 or any(len(piece.split()) < 2 for piece in pieces)
        names += [part] if whole else pieces
    return [name.strip() for name in names if name.strip()]


_SHORT_LAST_WORD = re.compile(r"(?:^|\s)\w{1,2}\.$")


_SIGN_OFF_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|da|di|del|van|von|le|la|bin|al)){1,3}"  # "Simona de Logu"
_SIGN_OFF = re.compile(
    rf"--\s*(?:(?P<writer>{_SIGN_OFF_NAME})\s*,\s*)?(?P<desk>(?P<place>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,2}})\s+"
    r"(?P<unit>[Nn]ewsroom|[Bb]ureau|[Nn]ewsdesk))\b"
)


@dataclass(frozen=True)
class SignOff:
    """A wire desk's sign-off under a story ("-- Jane Roe, Moscow Newsroom +7 095 941 8520"): where the
    writer, the desk and the desk's town stand in the line, as (start, end)."""

    writer: tuple[int, int] | None
    desk: tuple[int, int]
    place: tuple[int, int]
    named_desk: bool  # "Moscow Newsroom": the desk's own name; "Mexico City newsroom": the town's newsroom


def sign_off(line: str) -> SignOff | None:
    """The line is a sign-off ("-- Jane Roe, Moscow Newsroom …", "-- Chicago newsdesk 312-408 8720")."""
    match = _SIGN_OFF.match(line)
    if match is None:
        return None
    writer = match.span("writer") if match["writer"] else None
    return SignOff(writer, match.span("desk"), match.span("place"), match["unit"] == "Newsroom")
