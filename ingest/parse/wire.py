"""News agencies (wire services) and the marks of a syndicated story (docs/architecture.md, Vocabularies).

The agencies are data: `ingest/vocab/agencies.tsv` (canonical name, short forms, home country), read here
and nowhere else. They name the agency of a story ('PTI' → 'Press Trust of India'), hint at the country whose
clock a printed time follows (PTI's "IST" is India Standard Time), and feed the one pattern that recognises
a syndication mark in text: a note that the story came from a feed ("auto-generated from a syndicated
feed", "has not been edited by"), a wire credit before a dash ("(Reuters) -", "(AFP) —") or "via Reuters".
Whether an article is syndicated is decided once, from these facts, in `ingest/normalise/quality.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest import vocab


@dataclass(frozen=True)
class Agency:
    name: str  # canonical: "Press Trust of India"
    short_forms: tuple[str, ...]  # "PTI"; other spellings of the name
    country: str  # ISO 3166 alpha-2 of the agency's home country

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.short_forms)


@cache
def agencies() -> tuple[Agency, ...]:
    """The rows of agencies.tsv. A name or short form written twice (in one row or two, in any case) is an
    error of the table."""
    found = tuple(Agency(name, tuple(f.strip() for f in forms.split(",") if f.strip()), country)
                  for name, forms, country in vocab.table("agencies"))
    seen: set[str] = set()
    for form in (form.casefold() for agency in found for form in agency.forms):
        if form in seen:
            raise ValueError(f"ingest/vocab/agencies.tsv: {form!r} appears twice (case is ignored)")
        seen.add(form)
    return found


@cache
def _by_form() -> dict[str, Agency]:
    return {form.casefold(): agency for agency in agencies() for form in agency.forms}


def canonical_agency(text: str | None) -> str | None:
    """'PTI' → 'Press Trust of India'; an unknown name → None."""
    agency = _agency(text)
    return agency.name if agency else None


def agency_country(text: str | None) -> str | None:
    """'PTI' → 'IN': the home country of the agency a name or short form names."""
    agency = _agency(text)
    return agency.country if agency else None


def _agency(text: str | None) -> Agency | None:
    if not text:
        return None
    return _by_form().get(re.sub(r"\s+", " ", text).strip(" .()-").casefold())


# phrases of a note saying the text came from a feed, not from the publisher's newsroom
_NOTE = (r"syndicated (?:feed|content|copy)|auto-generated from|has not been edited by"
         r"|published from a wire agency feed|distributed by")


@cache
def _syndication_mark() -> re.Pattern[str]:
    forms = sorted({re.escape(form) for agency in agencies() for form in agency.forms}, key=len, reverse=True)
    names = "|".join(forms)
    # "via" is ordinary prose ("via app", "via PA systems"): after it the agency's name must be printed as
    # the table spells it; a name in parentheses before a dash is a wire credit whatever its case
    return re.compile(rf"(?i:{_NOTE})|\bvia (?:{names})\b|(?i:\((?:{names})\)\s*[-–—:])")


def syndication_mark(text: str) -> bool:
    """The text holds a syndication note or a wire credit ("(Reuters) -", "via AP")."""
    return _syndication_mark().search(text) is not None
