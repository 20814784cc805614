"""Quality flags: what an analyst should know before trusting an article."""

from __future__ import annotations

import re

from ingest.records import Article

# "The is now focused", "between and escalated": a determiner or preposition directly followed by a
# verb, conjunction or another function word, where a scraper removed the linked name in between.
_FUNCTION = r"(?:the|a|an|with|between|and|by|of|to|from|in|on|for|told|including)"
_NEXT = (
    r"(?:is|are|was|were|has|have|had|said|says|told|stood|may|will|would|can|could|"
    r"and|or|but|to|that|in|on|at|of|for|as|have|not|the)"
)
_ELIDED = re.compile(rf"\b{_FUNCTION}\s+{_NEXT}\b", re.I)
_ELISION_ALLOWED = re.compile(r"\b(?:and (?:the|to|that|in|on|at|of|for|as|not)|"
                              r"(?:of|in|on|for|from|to|with|by) the|the (?:and|or))\b", re.I)


def suspected_elisions(text: str) -> int:
    """How many places read like a word was cut out ("The is now", "between and escalated")."""
    hits = 0
    for match in _ELIDED.finditer(text):
        if not _ELISION_ALLOWED.fullmatch(match.group(0)):
            hits += 1
    return hits


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
    if "syndicated" in hints or article.agency:
        flags.append("syndicated")
    return tuple(flags)
