"""Step 3: settle each candidate's type from general gazetteers and from the words just before it.

In order, for every candidate:
1. a country name or alias ("US", "Pak", "Britain") is a location, whatever spaCy said;
2. a nationality word ("Pakistanis", "Indian") is misc (it describes, it does not name a place);
3. a head noun or title just before the span decides an undecided or misread type:
   "terror group Jaish-e-Mohammed" → organization, "President Trump" → person, "city of X" → location;
4. an undecided span that is a known place (city ≥ 15000 people, state, subdivision, region) is a
   location; a PERSON span that is such a place and whose last word is no person's surname in the
   same document is a location too;
Spans still undecided are settled after acronym linking (merge.settle).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.enrich.entities import Candidate
from ingest.enrich.gazetteer import Gazetteer
from ingest.records import EntityType, TextField

ORG_NOUNS = frozenset(
    [
        "group",
        "groups",
        "outfit",
        "organisation",
        "organization",
        "party",
        "company",
        "firm",
        "bank",
        "agency",
        "militia",
        "movement",
        "network",
        "union",
        "council",
        "committee",
        "club",
        "airline",
        "newspaper",
        "daily",
        "magazine",
        "broadcaster",
        "channel",
        "ministry",
        "department",
        "institute",
        "university",
        "college",
        "school",
        "league",
        "federation",
        "association",
        "alliance",
        "front",
        "army",
        "brigade",
        "coalition",
        "corporation",
        "carrier",
        "insurer",
        "lender",
        "bloc",
        "conglomerate",
        "retailer",
        "startup",
        "regulator",
        "court",
        "exchange",
    ]
)
PERSON_TITLES = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "president",
        "minister",
        "secretary",
        "chancellor",
        "premier",
        "senator",
        "governor",
        "mayor",
        "king",
        "queen",
        "prince",
        "princess",
        "sheikh",
        "general",
        "gen.",
        "colonel",
        "col.",
        "captain",
        "capt.",
        "lieutenant",
        "judge",
        "justice",
        "ambassador",
        "envoy",
        "spokesman",
        "spokeswoman",
        "chairman",
        "chairwoman",
        "chief",
        "coach",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "pope",
        "rev.",
        "father",
        "sir",
        "lord",
        "lady",
        "leader",
    ]
)
PLACE_NOUNS = frozenset(
    ["city", "town", "village", "district", "province", "state", "region", "county", "capital", "port"]
)
_LOWER = re.compile(r"\b[a-z]+\b")
_NUMBER = re.compile(r"[\d.,:/-]*\d[\d.,:/-]*")
_LAST_WORDS = re.compile(r"([A-Za-z.]+)\s*(?:of\s+)?$")


def repair_types(cands: list[Candidate], texts: dict[TextField, str], gaz: Gazetteer) -> list[Candidate]:
    surnames = {w for c in cands if c.type == "person" and " " in c.cased.strip() for w in c.cased.split()}
    lower = {f: set(_LOWER.findall(t)) for f, t in texts.items()}
    kept = [c for c in cands if not _common_word(c, lower[c.field], surnames)]
    return [_table_type(_repair(c, texts[c.field], gaz, surnames), texts[c.field], gaz) for c in kept]


def _common_word(cand: Candidate, lower: set[str], surnames: set[str]) -> bool:
    """'Attendance', 'State': one capitalised word the document also uses in lower case."""
    word = cand.cased
    return (
        cand.type != "location"
        and word.isalpha()
        and not word.isupper()
        and word not in surnames
        and word.lower() in lower
    )


def _repair(cand: Candidate, text: str, gaz: Gazetteer, surnames: set[str]) -> Candidate:
    name = cand.cased
    country = gaz.country(name)
    if country is not None and cand.label != "NORP":
        return replace(cand, type="location", canonical=country)
    if cand.type != "misc" and gaz.is_demonym(name):
        return replace(cand, type="misc")
    cue = _context_type(text, cand.start)
    if cue is not None and (cand.type is None or cand.type not in (cue, "misc")):
        return replace(cand, type=cue)
    place = gaz.place(name)
    if place is not None and cand.type is None:
        return replace(cand, type="location")
    if place is not None and cand.type == "person" and name.split()[-1] not in surnames:
        return replace(cand, type="location")
    return cand


def _table_type(cand: Candidate, text: str, gaz: Gazetteer) -> Candidate:
    """In a results or standings line ("Hartford 4 Boston 2", "Ajax Amsterdam 15 10 3 2 31 12 33")
    names of places are teams: organizations. Countries stay locations (national teams)."""
    if cand.type not in ("location", "person") or gaz.country(cand.cased) is not None:
        return cand
    if cand.type == "person" and gaz.place(cand.cased.split()[-1]) is None:
        return cand
    line_start = text.rfind("\n", 0, cand.start) + 1
    line_end = text.find("\n", cand.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if not is_table_line(line):
        return cand
    return replace(cand, type="organization", canonical="")


def is_table_line(line: str) -> bool:
    if len(line) > 150:
        return False
    tokens = line.split()
    numbers = sum(1 for t in tokens if _NUMBER.fullmatch(t))
    words = sum(1 for t in tokens if t.isalpha() and t.islower() and len(t) > 2)
    return numbers >= 2 and words <= 1


def _context_type(text: str, start: int) -> EntityType | None:
    """The type implied by the word right before a span ('group', 'President', 'city of')."""
    match = _LAST_WORDS.search(text, max(0, start - 30), start)
    if match is None:
        return None
    word = match.group(1).lower()
    if word in ORG_NOUNS:
        return "organization"
    if word in PERSON_TITLES:
        return "person"
    if word in PLACE_NOUNS and match.group(0).rstrip().endswith("of"):
        return "location"
    return None
