"""The words that open a byline ("By", "Von", "di", "Door", "Author:"), for every reader (docs/architecture.md,
Vocabularies).

The words are data: `ingest/vocab/byline_words.tsv` (words, opener or label, languages), read here and nowhere
else. One pattern, `byline_opening`, matches them at the start of a text with what follows them (a space after
an opener, a colon or a space after a label). Each reader adds what makes its use safe, since some openers also
open sentences ("Di recente …", "Door de storm …"): the plain-text reader takes a whole line only when it opens
with an opener and the names after it look like names (a label is not enough there: "Interview: Angela Merkel"
is a headline); the HTML reader strips the words from an author it already found, and drops a leading body
paragraph only when it is short, holds the first author found and is no sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ingest import vocab

BylineKind = Literal["opener", "label"]


@dataclass(frozen=True)
class BylineWords:
    words: str  # lower case: "by", "written by", "author"
    kind: BylineKind  # "opener": names follow after a space; "label": after a colon or a space
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
    """The words of these kinds that open a byline and what follows them, at the start of a text, any case:
    "By ", "Written by ", "Author: ", "Interview ". Longer words are tried first ("ein beitrag von" before
    "beitrag von")."""
    def alternatives(kind: BylineKind) -> str:
        rows = sorted((w.words for w in byline_words() if w.kind == kind), key=len, reverse=True)
        return "|".join(r"\s+".join(map(re.escape, words.split())) for words in rows)

    follows = {"opener": r"\s+", "label": r"(?:\s*:\s*|\s+)"}
    return re.compile("|".join(f"(?:{alternatives(kind)}){follows[kind]}" for kind in kinds), re.I)


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


_SHORT_LAST_WORD = re.compile(r"(?:^|\s)\w{1,2}\.$")
