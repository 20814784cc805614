"""Step 2: drop spans that are not names, and cut prefixes that are not part of one.

Dropped: spans without letters or mostly digits ("1996-12-06", "2-1"); single characters;
time-zone abbreviations ("IST", "GMT", "EDT"); pronouns and other function words tagged as names
("We", "He") and honorifics standing alone ("Mr") — lists in ingest/vocab (docs/architecture.md,
Vocabularies); bare calendar words ("Friday", "March") tagged as a name; spans written all in lower
case ("the day"); table headers of short all-caps abbreviations ("W L PCT GB").
Cut: a leading "Post"/"Pre" ("Post Balakot" → "Balakot"), which then must be confirmed
as a name by a later step (type left undecided unless the rest is a known mention).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest import vocab
from ingest.dates.zones import is_zone_abbreviation
from ingest.enrich.entities import CALENDAR_WORDS, Candidate
from ingest.enrich.repair import PERSON_TITLE_ROWS

# words that standing alone are not a name: ingest/vocab/function_words.txt and the forms of address of
# person_titles.tsv ("Mr", "Dr")
NOT_NAMES_ALONE = frozenset(vocab.entries("function_words")) | {t.title for t in PERSON_TITLE_ROWS if t.not_a_name}
_PREFIX = re.compile(r"^(?:post|pre)[\s-]+(?=[A-Z])", re.IGNORECASE)
_DIGITISH = re.compile(r"[\d\W_]")


def drop_junk(cands: list[Candidate]) -> list[Candidate]:
    kept = []
    for cand in map(cut_prefix, cands):
        if not is_junk(cand.cased, cand.text):
            kept.append(cand)
    return kept


def cut_prefix(cand: Candidate) -> Candidate:
    match = _PREFIX.match(cand.cased)
    if not match or match.end() >= len(cand.cased):
        return cand
    cut = match.end()
    return replace(cand, start=cand.start + cut, text=cand.text[cut:], cased=cand.cased[cut:], type=None, label="")


def _is_header(cased: str) -> bool:
    """A table header of abbreviations ("W L PCT GB", "P W D L F A PTS"): three or more short all-caps words."""
    words = cased.split()
    return len(words) >= 3 and all(len(w) <= 3 and w.isalpha() and w.isupper() for w in words)


def is_junk(cased: str, text: str) -> bool:
    letters = sum(1 for ch in cased if ch.isalpha())
    if _is_header(cased):
        return True
    if letters < 2 or len(_DIGITISH.findall(cased)) > letters:
        return True
    if is_zone_abbreviation(text.strip(".")) and text.isupper():
        return True
    lower = cased.lower()
    if (lower in NOT_NAMES_ALONE and not text.isupper()) or lower in CALENDAR_WORDS:
        return True
    return not any(ch.isupper() for ch in cased)
