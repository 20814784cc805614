"""Step 3: settle each candidate's type from general gazetteers and from the words just before it.

In order, for every candidate:
0. a title or role opening a person's span is cut ("Defender Hassan Abbas" → "Hassan Abbas", a person);
   a company's legal form before a name makes it an organization and joins it ("PT Tambang Timah");
   a name ending in an organisation word ("Budapest Bank", "Zywiec SA") or shaped "Ministry of X" is
   an organization; one ending in a place word ("Bellerive Oval", "Red Sea") is a location;
1. a country name or alias ("US", "Pak", "Britain") is a location, whatever spaCy said;
2. a nationality word ("Pakistanis", "Indian") is misc (it describes, it does not name a place);
3. a head noun or title just before the span decides an undecided or misread type:
   "terror group Jaish-e-Mohammed" → organization, "President Trump" → person, "city of X" → location;
4. an undecided span that is a known place (city ≥ 15000 people, state, subdivision, region) is a
   location; a PERSON span that is such a place and whose last word is no person's surname in the
   same document, nor a name a title makes a person ("President Clinton"), is a location too;
After the sports step, `known_places`: a person or organization span that is such a place right after
"in", "at" or "near" is a location; so is a person span that is such a place anywhere outside a sports
report (where a town also names its club: "Leeds beat Wimbledon"). An organization elsewhere keeps its
type: companies are named after towns ("Nokia", "Toyota", "Halifax"). A name a title makes a person
anywhere in the document ("President Clinton") stays a person.
Spans still undecided are settled after acronym linking (merge.settle).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest import vocab
from ingest.enrich.entities import Candidate
from ingest.enrich.gazetteer import Gazetteer
from ingest.enrich.sports import is_sports
from ingest.records import EntityType, TextField

# words that make a name an organization (ingest/vocab/organization_words.tsv): right before it ("group"),
# as its last word ("Bank", "SA"), as the head of "X of Y" ("Ministry of Defence")
_ORG_WORDS = vocab.table("organization_words")
ORG_NOUNS = frozenset(row[0] for row in _ORG_WORDS if "before" in row[1:])
ORG_SUFFIXES = frozenset(row[0] for row in _ORG_WORDS if "last" in row[1:])
ORG_HEADS = frozenset(row[0] for row in _ORG_WORDS if "head" in row[1:])
LEGAL_FORMS = frozenset(row[0].upper() for row in _ORG_WORDS if "first" in row[1:])  # "PT", "OAO", in capitals
_LEGAL_FORM = re.compile(rf"\b(?:{'|'.join(sorted(LEGAL_FORMS))})\.?[ \t]+$")  # right before a name


@dataclass(frozen=True)
class PersonTitle:
    """A row of ingest/vocab/person_titles.tsv (docs/architecture.md, Vocabularies)."""

    title: str  # lower case, no full stop: "mr", "president"
    abbreviation: bool  # also written with a full stop ("mr.")
    says_person: bool  # right before a span, the span is a person ("President Macron")
    cut: bool  # cut from the front of a person's name ("Defender Hassan Abbas" → "Hassan Abbas")
    not_a_name: bool  # standing alone, not a name ("Mr")

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.title, f"{self.title}.") if self.abbreviation else (self.title,)


def _person_titles() -> tuple[PersonTitle, ...]:
    rows = (tuple(row) + ("",) * (5 - len(row)) for row in vocab.table("person_titles"))
    return tuple(PersonTitle(title, abbr == "abbreviation", cue == "person", cut == "cut", alone == "not a name")
                 for title, abbr, cue, cut, alone in rows)


PERSON_TITLE_ROWS = _person_titles()
# words right before a span that say "person", as printed (lower case): "mr", "mr.", "president"
PERSON_TITLES = frozenset(form for t in PERSON_TITLE_ROWS if t.says_person for form in t.forms)
# titles and roles cut from the front of a person's name, compared without a full stop
STRIPPED_TITLES = frozenset(t.title for t in PERSON_TITLE_ROWS if t.cut)

# words that make a name a place (ingest/vocab/place_words.tsv): before "of" ("city of X"), as its last
# word ("Bellerive Oval", "Red Sea")
_PLACE_WORDS = vocab.table("place_words")
PLACE_NOUNS = frozenset(row[0] for row in _PLACE_WORDS if "of" in row[1:])
PLACE_SUFFIXES = frozenset(row[0] for row in _PLACE_WORDS if "last" in row[1:])
_LOWER = re.compile(r"\b[a-z]+\b")
_AT_PLACE = re.compile(r"\b(?:in|at|near)\s+$")
_LAST_WORDS = re.compile(r"([A-Za-z.]+)\s*(?:of\s+)?$")


def repair_types(cands: list[Candidate], texts: dict[TextField, str], gaz: Gazetteer) -> list[Candidate]:
    surnames = {w for c in cands if c.type == "person" and " " in c.cased.strip() for w in c.cased.split()}
    lower = {f: set(_LOWER.findall(t)) for f, t in texts.items()}
    kept = [c for c in cands if not _common_word(c, lower[c.field], surnames)]
    kept = [_type_by_form(_legal_form(_strip_title(c), texts[c.field]), gaz) for c in kept]
    people = surnames | _titled(kept, texts)
    return [_repair(c, texts[c.field], gaz, people) for c in kept]


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


def _strip_title(cand: Candidate) -> Candidate:
    words = cand.cased.split()
    if len(words) < 2 or cand.type not in ("person", None) or words[0].rstrip(".").lower() not in STRIPPED_TITLES:
        return cand
    if not words[1][:1].isupper():
        return cand
    cut = cand.cased.index(words[1], len(words[0]))
    return replace(cand, start=cand.start + cut, text=cand.text[cut:], cased=cand.cased[cut:], type="person")


def _legal_form(cand: Candidate, text: str) -> Candidate:
    """'PT Tambang Timah', 'OAO Gazprom': a company's legal form before the name makes it an organization,
    and is part of its name (spaCy often leaves it out)."""
    if cand.type == "misc":
        return cand
    words = cand.cased.split()
    if len(words) > 1 and words[0].rstrip(".") in LEGAL_FORMS:
        return replace(cand, type="organization")
    form = _LEGAL_FORM.search(text, max(0, cand.start - 6), cand.start)
    if form is None:
        return cand
    start = form.start()
    return replace(cand, start=start, text=text[start : cand.start] + cand.text, cased=text[start : cand.end],
                   type="organization")


def _type_by_form(cand: Candidate, gaz: Gazetteer) -> Candidate:
    """'Budapest Bank', 'Ministry of Defence': the form of the name says organization; 'Bellerive Oval',
    'Red Sea': it says place."""
    words = cand.cased.replace(".", "").split()
    if len(words) < 2 or cand.type == "misc":
        return cand
    if words[-1].lower() in PLACE_SUFFIXES:
        return replace(cand, type="location")
    if cand.type == "organization" or gaz.place(cand.cased) is not None:
        return cand
    if words[-1].lower() in ORG_SUFFIXES or (words[0].lower() in ORG_HEADS and words[1] == "of"):
        return replace(cand, type="organization")
    return cand


def _repair(cand: Candidate, text: str, gaz: Gazetteer, people: set[str]) -> Candidate:
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
    if place is not None and cand.type == "person" and name.split()[-1] not in people and name not in people:
        return replace(cand, type="location")
    return cand


def known_places(cands: list[Candidate], texts: dict[TextField, str], gaz: Gazetteer) -> list[Candidate]:
    """A person or organization span that is a known place is the place after "in", "at" or "near" ("talks
    in Bangui"); a person span that is one is the place anywhere outside a sports report (see above)."""
    clubs = is_sports(texts)
    titled = _titled(cands, texts)
    return [replace(c, type="location") if _named_place(c, texts[c.field], gaz, clubs, titled) else c for c in cands]


def _titled(cands: list[Candidate], texts: dict[TextField, str]) -> set[str]:
    """Names a title makes a person somewhere in the document ("President Clinton" → "Clinton")."""
    return {c.cased for c in cands if c.type in ("person", None) and _context_type(texts[c.field], c.start) == "person"}


def _named_place(cand: Candidate, text: str, gaz: Gazetteer, clubs: bool, titled: set[str]) -> bool:
    """A place's name, unless a title makes it a person somewhere in the document ("President Clinton")."""
    if cand.type not in ("person", "organization") or cand.cased in titled or gaz.place(cand.cased) is None:
        return False
    at_place = _AT_PLACE.search(text, max(0, cand.start - 8), cand.start) is not None
    return at_place or (cand.type == "person" and not clubs)


def _context_type(text: str, start: int) -> EntityType | None:
    """The type implied by the word right before a span ('group', 'President', 'city of')."""
    match = _LAST_WORDS.search(text, max(0, start - 30), start)
    if match is None:
        return None
    word, of = match.group(1).lower(), match.group(0).rstrip().endswith("of")
    if word in ORG_NOUNS:
        return "organization"
    if word in PERSON_TITLES and not of:  # "Secretary of State": the office, not a person
        return "person"
    if word in PLACE_NOUNS and of:
        return "location"
    return None
