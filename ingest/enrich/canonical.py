"""Step 5: the canonical name of every candidate (what `Article.entities` lists).

- a country name or alias → the country's common name ("US", "U.S.", "America" → "United States";
  "Pak" → "Pakistan"; "Britain" → "United Kingdom");
- a nationality word stays misc, in the singular ("Pakistanis" → "Pakistani", "Indian" → "Indian"):
  it says something about a country without naming it as a place, as CoNLL and ACE annotate it;
- any other name: its text as NER read it (all-caps lines re-cased: "JAPAN" → "Japan"), with quotes
  straightened and whitespace collapsed.
Acronyms and partial names are linked to their full forms afterwards (acronyms.py, merge.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.enrich.entities import Candidate
from ingest.enrich.gazetteer import Gazetteer

_SPACES = re.compile(r"\s+")


def canonicalise(cands: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    return [replace(c, canonical=canonical_name(c, gaz)) for c in cands]


def canonical_name(cand: Candidate, gaz: Gazetteer) -> str:
    if cand.canonical:
        return cand.canonical
    name = clean(cand.cased)
    if cand.type == "location":  # a localised name ("Gênes", "Deutschland") becomes the English one
        return gaz.country(name) or gaz.alias(name) or name
    if cand.type == "misc" and gaz.is_demonym(name):
        return singular_demonym(name)
    return name


def clean(name: str) -> str:
    return _SPACES.sub(" ", name.replace("’", "'")).strip()


def singular_demonym(word: str) -> str:
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        return word[:-1]
    return word
