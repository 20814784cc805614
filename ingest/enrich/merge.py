"""Step 7: merge mentions of one entity inside a document.

- Places joined by "and" that form a known place ("Jammu" and "Kashmir" → "Jammu and Kashmir") become
  one location mention.
- A person named in full ("Mike Pompeo") and later by one part ("Pompeo", which spaCy may even tag as
  an organization or place) are one person: the short mention takes the full name as its canonical
  name and the person type. A part shared by two different full names in the document is left alone.
  A surname alone that spaCy called a product, a work or a group ("Takagi", "German" after "Mike
  German") is the person too; a demonym never is. Country names are never re-typed this way. A part shared
  by several full names ("Costa" after "Jorge Costa" and "Rui Costa") still takes the person type,
  keeping its own text as canonical name.
- A person's surname standing alone where NER saw no name ("VIEIRA SAVES ARSENAL" over a story about
  "Patrick Vieira") is a mention of that person (`surname_mentions`), with the same canonical name rule.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.enrich.entities import CALENDAR_WORDS, Candidate
from ingest.enrich.gazetteer import Gazetteer, unaccented_key
from ingest.enrich.junk import NOT_NAMES_ALONE
from ingest.records import TextField

_MIN_SURNAME = 3  # letters: "Li" or "Ng" alone would match too much


def merge_places(cands: list[Candidate], texts: dict[TextField, str], gaz: Gazetteer) -> list[Candidate]:
    out: list[Candidate] = []
    for cand in cands:
        prev = out[-1] if out else None
        if prev is not None and prev.field == cand.field and prev.type == cand.type == "location":
            text = texts[cand.field]
            joined = text[prev.start : cand.end]
            if text[prev.end : cand.start] == " and " and gaz.place(joined) is not None:
                out[-1] = replace(
                    prev,
                    end=cand.end,
                    text=prev.text + " and " + cand.text,
                    cased=joined,
                    canonical=gaz.place(joined) or joined,
                )
                continue
        out.append(cand)
    return out


def merge_people(cands: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    full: dict[str, set[str]] = {}
    surnames: set[str] = set()
    for cand in cands:
        words = cand.canonical.split()
        if cand.type == "person" and len(words) >= 2:
            surnames.add(words[-1])
            for word in (words[0], words[-1]):
                full.setdefault(word, set()).add(cand.canonical)
    if not full:
        return cands
    out = []
    for cand in cands:
        names = full.get(cand.canonical)
        misread = cand.type != "misc" or _misread_surname(cand, surnames, gaz)
        if names and gaz.country(cand.canonical) is None and misread:
            canonical = next(iter(names)) if len(names) == 1 else cand.canonical
            out.append(replace(cand, type="person", canonical=canonical))
        else:
            out.append(cand)
    return out


def _misread_surname(cand: Candidate, surnames: set[str], gaz: Gazetteer) -> bool:
    """The surname of a full name in the document, alone, where NER saw a product, work or group ("Takagi",
    "German" after "Mike German"); never a demonym ("Pakistanis")."""
    return cand.canonical in surnames and not gaz.is_demonym(cand.canonical)


def settle(cands: list[Candidate]) -> list[Candidate]:
    """Undecided spans take the type the same name has elsewhere in the document, or are dropped."""
    known = {unaccented_key(c.canonical): c.type for c in cands if c.type is not None}
    out = []
    for cand in cands:
        etype = cand.type or known.get(unaccented_key(cand.canonical))
        if etype is not None:
            out.append(replace(cand, type=etype))
    return out


def surname_mentions(
    cands: list[Candidate], cased: dict[TextField, str], sources: dict[TextField, str]
) -> list[Candidate]:
    """Mentions of a person by surname alone that NER missed: each capitalised occurrence of the last word of
    a full name, outside every other mention, is a mention of that person (of the surname itself when
    several full names share it)."""
    full: dict[str, set[str]] = {}
    for cand in cands:
        words = cand.cased.split()
        if cand.type == "person" and len(words) >= 2 and len(words[-1]) >= _MIN_SURNAME:
            full.setdefault(words[-1], set()).add(cand.canonical)
    names = {w: next(iter(n)) if len(n) == 1 else w for w, n in full.items()
             if w[:1].isupper() and w.lower() not in NOT_NAMES_ALONE and w.lower() not in CALENDAR_WORDS}
    if not names:
        return cands
    pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
                         + r")(?![\w'’-])")
    out = list(cands)
    for field, text in cased.items():
        taken = [(c.start, c.end) for c in cands if c.field == field]
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(a < end and start < b for a, b in taken):
                taken.append((start, end))
                out.append(Candidate(field, start, end, sources[field][start:end], match.group(), "PERSON", "person",
                                     names[match.group()]))
    return sorted(out, key=lambda c: (c.field != "title", c.start))
