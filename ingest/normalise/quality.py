"""Quality flags: what an analyst should know before trusting an article.

`elided_words` finds text where a scraper dropped linked names and left the grammar broken around the
hole: "The is now focused", "tensions between and escalated", "the UK and -- to highlight". Each pattern
is a word pair that well-formed English does not produce; a flag needs two such holes, so one typo or
one odd phrase in clean prose does not raise it (measured on the BBC corpus: see bench/elisions.py).

`syndicated` is decided here and only here: a wire agency the reader named (byline, field, "(Reuters) -"
lead), a syndication note the reader cut from the text (hint "syndicated"), or a syndication mark in the
opening of the body (`ingest.parse.wire.syndication_mark`).
"""

from __future__ import annotations

import re

from ingest.parse.wire import syndication_mark
from ingest.records import Article

_AUX = r"(?:is|are|was|were|has|have|had|said|says|will|would|can|could|should|must|and|or|but|of|at|to|from|by)"
_HOLES = (
    # a determiner directly before a verb, conjunction or preposition: "The is now", "the said."
    re.compile(rf"\b(?:[Tt]he|[Aa]n?)\s+{_AUX}\b(?![-'’])"),
    # a word that joins two things, with the first one missing: "between and", "both and", "including and"
    re.compile(r"\b(?:between|both|including|among)\s+and\b", re.I),
    # a list or sentence cut off before a dash or full stop: "the UK and -- to", "and ."
    re.compile(r"\b(?:and|or|of|the)\s+(?:--|—|–)\s"),
    re.compile(r"\b(?:the|and|of|with|between)\s+[.,;:](?=\s|$)", re.I),
)


def suspected_elisions(text: str) -> int:
    """How many places read like a word was cut out ("The is now", "between and escalated")."""
    return sum(len(pattern.findall(text)) for pattern in _HOLES)


def quality_flags(article: Article, hints: tuple[str, ...], short_body_words: int) -> tuple[str, ...]:
    flags: list[str] = []
    if article.published_at is None:
        flags.append("missing_date")
    if not article.title:
        flags.append("missing_title")
    if article.word_count < short_body_words:
        flags.append("short_body")
    if suspected_elisions(article.body) >= 2:
        flags.append("elided_words")
    if "syndicated" in hints or article.agency or syndication_mark(article.body[:600]):
        flags.append("syndicated")
    return tuple(flags)
