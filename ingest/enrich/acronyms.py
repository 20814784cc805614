"""Step 6: link acronyms to their long forms inside one document (JeM ↔ Jaish-e-Mohammed).

An acronym is a one-word candidate of 2–8 characters with at least two capitals making up most of its
letters ("CRPF", "JeM", "UNHCR"). Its long form is another candidate in the same document whose
initials spell it, counting every part of a hyphenated name ("Jaish-e-Mohammed" → J-e-M) and trying
again without the small words inside a name (ingest/vocab/name_particles.tsv: "Central Reserve Police
Force" → CRPF; "Bank of England" → BE/BOE).
The acronym takes the long form's canonical name and type (the long form's type wins; if the long
form's type is undecided it takes the acronym's).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.enrich.entities import NAME_PARTICLES, Candidate

_PARTS = re.compile(r"[\s\-–]+")


def is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    if not 2 <= len(letters) <= 8 or not letters.isalpha():
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper >= 2 and upper * 2 >= len(letters)


def initials(name: str) -> set[str]:
    parts = [p for p in _PARTS.split(name) if p and p[0].isalpha()]
    if len(parts) < 2:
        return set()
    every = "".join(p[0] for p in parts).lower()
    content = "".join(p[0] for p in parts if p.lower() not in NAME_PARTICLES).lower()
    return {every, content} - {""}


def link_acronyms(cands: list[Candidate]) -> list[Candidate]:
    long_forms: dict[str, Candidate] = {}
    for cand in cands:
        if not is_acronym(cand.cased):
            for key in initials(cand.canonical or cand.cased):
                long_forms.setdefault(key, cand)
    if not long_forms:
        return cands
    out = []
    for cand in cands:
        key = re.sub(r"[^A-Za-z]", "", cand.cased).lower()
        long = long_forms.get(key) if is_acronym(cand.cased) else None
        if long is not None and (cand.type != "location" or long.type == "location"):
            etype = long.type or cand.type
            out.append(replace(cand, canonical=long.canonical or long.cased, type=etype))
        else:
            out.append(cand)
    return _adopt_types(out, long_forms)


def _adopt_types(cands: list[Candidate], long_forms: dict[str, Candidate]) -> list[Candidate]:
    """A long form spaCy could not type takes the type of its acronym."""
    typed = {c.canonical: c.type for c in cands if c.type is not None and is_acronym(c.cased)}
    return [replace(c, type=typed[c.canonical]) if c.type is None and c.canonical in typed else c for c in cands]
