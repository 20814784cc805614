"""After the dateline step: a news agency named in the story is an organization, under the name the
`agency` field gives it ("Xinhua News Agency", "Xinhua" → Xinhua; "Reuter", the name its 1990s copy used,
→ Reuters).

The agencies and their forms are `ingest/vocab/agencies.tsv` (`ingest.parse.wire.agencies`). A form of two
or three letters ("AP", "PTI", "PPI": also a party, a price index) names too many other things; longer ones
are looked for as the table prints them or in capitals ("REUTER" signing a story), a word of their own. A
span the model read as a person keeps that reading: "Reuter" is also a surname ("Ernst Reuter").
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from ingest.enrich.entities import Candidate, Found, overlay
from ingest.parse.wire import agencies
from ingest.records import TextField

_MIN_FORM = 4  # characters: three-letter forms are acronyms of much else too ("PPI", "PTI", "AAP", "UNI")


@cache
def _by_form() -> dict[str, str]:
    return {form: agency.name for agency in agencies() for form in agency.forms if len(form) >= _MIN_FORM}


@cache
def _by_folded_form() -> dict[str, str]:
    """A span the model already read as a name: its case does not matter ("Xinhua news agency")."""
    return {form.casefold(): name for form, name in _by_form().items()}


@cache
def _pattern() -> re.Pattern[str]:
    forms = sorted({re.escape(f) for form in _by_form() for f in (form, form.upper())}, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(forms)})(?![\w-])")


def agency_names(cands: list[Candidate], cased: dict[TextField, str], sources: dict[TextField, str]) -> list[Candidate]:
    """Candidates that are an agency's name as organizations with its name; mentions the model missed added."""
    out = [_as_agency(c) for c in cands]
    for field, text in cased.items():
        taken = [c for c in out if c.field == field]
        found: list[Found] = [(m.start(), m.end(), "organization") for m in _pattern().finditer(text)
                              if not any(c.start < m.end() and m.start() < c.end for c in taken)]
        if found:
            out = overlay(out, found, field, text, sources[field], sentence_stops=False)
    return [_as_agency(c) for c in out]


def _as_agency(cand: Candidate) -> Candidate:
    name = _by_folded_form().get(" ".join(cand.cased.split()).casefold())
    if name is None or cand.type == "person":
        return cand
    return replace(cand, type="organization", label="ORG", canonical=name)
