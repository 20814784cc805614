"""Step 1 of entity post-processing: spaCy spans → `Candidate`s with clean edges.

A candidate is a working record inside enrich: where the span is (field, start, end), its text as
printed (`text`) and as NER saw it after case repair (`cased`), spaCy's label, our type (None while
undecided) and the canonical name (filled by later steps). Later steps (junk, repair, canonical,
acronyms, merge) each take and return a list of candidates.

Label mapping: PERSON (PER) → person; ORG → organization; GPE, LOC, FAC → location; NORP, EVENT, PRODUCT,
WORK_OF_ART, LAW, LANGUAGE (MISC) → misc; in brackets the labels of the other languages' models. Number and
date labels are dropped, except a capitalised span with no digit and no calendar word ("Jaish-e-Mohammed"
tagged DATE): that is kept with an undecided type for the repair step to settle from its context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ingest import vocab
from ingest.dates.months import names_in
from ingest.dates.weekdays import weekday_names_in
from ingest.records import EntityType, TextField

LABELS: dict[str, EntityType] = {
    "PERSON": "person",
    "PER": "person",  # the labels of spaCy's models for other languages (WikiNER: PER, ORG, LOC, MISC)
    "ORG": "organization",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
    "NORP": "misc",
    "EVENT": "misc",
    "PRODUCT": "misc",
    "WORK_OF_ART": "misc",
    "LAW": "misc",
    "LANGUAGE": "misc",
    "MISC": "misc",
}
# small words inside one name ("Bank of England", "Rio de Janeiro"): no initial of its acronym; those that
# `joins` a name runs on across in a list line (ingest/vocab/name_particles.tsv)
_PARTICLE_ROWS = vocab.table("name_particles")
NAME_PARTICLES = frozenset(row[0] for row in _PARTICLE_ROWS)
NAME_JOINS = tuple(row[0] for row in _PARTICLE_ROWS if "joins" in row[1:])
NAME_PREFIXES = tuple(row[0] for row in _PARTICLE_ROWS if "prefix" in row[1:])
SURNAME_PARTICLES = frozenset(row[0] for row in _PARTICLE_ROWS if "surname" in row[1:])
SURNAME_OPENERS = SURNAME_PARTICLES - {row[0] for row in _PARTICLE_ROWS if "second" in row[1:]}  # not "der"
_SURNAME_RUN = re.compile(  # " der Vijver", " Gras": the rest of a surname after its particle
    rf"(?:[ \t]+(?i:{'|'.join(sorted(SURNAME_PARTICLES))}))*[ \t]+[A-Z][\w'’-]+"
)
_NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
CALENDAR_WORDS = frozenset(
    [
        *names_in("en"),  # month names and abbreviations (ingest/vocab/months.tsv)
        *(name.lower() for name in weekday_names_in("en")),  # full names only: "Sun" is a newspaper
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "day",
        "days",
        "decade",
        "century",
        "morning",
        "evening",
        "afternoon",
        "night",
        "hour",
        "hours",
        "minute",
        "minutes",
        "season",
        "quarter",
    ]
)

_SEPARATOR = re.compile(
    r"\s*\n\s*|\s+[-–—/]\s+|\s+(?:at|v|vs\.?|versus|where|against|beat)\s+(?=[A-Z])|\s*[()\[\]]\s*"
    r"|(?:^|\s+)[\d.,:+-]*\d[\d.,:+-]*(?=\s|$)\s*"
)
_LOWER_WORDS = re.compile(r"(?:[a-z][\w.-]*\s+)+(?=[A-Z])")
_LEADING = re.compile(r"^(?:the\s+|non-|anti-|pro-|ex-|[\"'“”‘’(\[\-–—.,:;]+\s*)", re.IGNORECASE)
_TRAILING = re.compile(
    r"(?:['’]s|['’]|-based|-led|-born|-backed|-owned|-run|-style|[\"“”‘’)\]\-–—,:;]+)$", re.IGNORECASE
)


@dataclass(frozen=True)
class Candidate:
    field: TextField
    start: int
    end: int
    text: str  # as printed in the field
    cased: str  # as NER saw it (all-caps lines re-cased)
    label: str  # spaCy's label
    type: EntityType | None
    canonical: str = ""

    def moved(self, start: int, end: int, source: str, cased_source: str) -> Candidate:
        return replace(self, start=start, end=end, text=source[start:end], cased=cased_source[start:end])


def candidates(doc: Any, field: TextField, source: str, cased: str) -> list[Candidate]:
    """Candidates from one spaCy doc of `cased`, the re-cased `source` (same length)."""
    found: list[Candidate] = []
    for ent in doc.ents:
        label = ent.label_
        etype = LABELS.get(label)
        if etype is None and not (label in _NUMERIC_LABELS and _misread_name(ent.text)):
            continue
        for start, end in split_span(cased, ent.start_char, ent.end_char):
            if _is_slug(source, start, end):
                continue
            cand = Candidate(field, start, end, source[start:end], cased[start:end], label, etype)
            cand = trim(cand, source, cased)
            if cand.end > cand.start:
                found.append(cand)
    return found


def split_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut where no name runs on: line breaks, ' - ' and ' / ' separators, linking words between two
    names ("Victoria at Bellerive Oval", "Nicol v Eyles"), brackets, numbers
    ("Hartford 4 Boston 2" → Hartford, Boston; "Greg Blewett 57" → Greg Blewett), and without the
    lower-case words spaCy sometimes takes in front ("defender Hassan Abbas" → Hassan Abbas)."""
    pieces = []
    pos = start
    for sep in _SEPARATOR.finditer(text, start, end):
        pieces.append((pos, sep.start()))
        pos = sep.end()
    pieces.append((pos, end))
    out = []
    for piece_start, b in pieces:
        lead = _LOWER_WORDS.match(text, piece_start, b)
        a = lead.end() if lead else piece_start
        if b > a and any(ch.isupper() for ch in text[a:b]):
            out.append((a, b))
    return out


def _is_slug(source: str, start: int, end: int) -> bool:
    """The topic slug of a wire headline: 'SOCCER' in 'SOCCER - JAPAN GET LUCKY WIN', 'ALPINE
    SKIING-WOMEN' in 'ALPINE SKIING-WOMEN'S WORLD CUP' (an all-caps span opening the line)."""
    line_start = source.rfind("\n", 0, start) + 1
    if start != line_start or not source[start:end].isupper():
        return False
    return source[end : end + 3] == " - " or "-" in source[start:end]


def _misread_name(text: str) -> bool:
    if any(ch.isdigit() for ch in text) or not text[:1].isupper():
        return False
    words = re.findall(r"[A-Za-z]+", text.lower())
    return bool(words) and not any(w in CALENDAR_WORDS for w in words)


def trim(cand: Candidate, source: str, cased_source: str) -> Candidate:
    """Strip articles, possessives, quotes and affixes like 'non-' / '-based' from a span's edges."""
    start, end = cand.start, cand.end
    for _ in range(3):
        span = cased_source[start:end]
        lead = _LEADING.match(span)
        trail = _TRAILING.search(span)
        if not lead and not trail:
            break
        new_start = start + (lead.end() if lead else 0)
        new_end = end - (len(trail.group()) if trail else 0)
        if new_end - new_start < 1:
            break
        start, end = new_start, new_end
    while end > start and cased_source[end - 1].isspace():
        end -= 1
    if (start, end) == (cand.start, cand.end):
        return cand
    return cand.moved(start, end, source, cased_source)


Found = tuple[int, int, EntityType]  # a name a pattern found: start, end, type
_DOTTED_END = re.compile(r"(?:^|\s)(?:[^\W\d_]\.){2,}$")  # "U.S.", "D.C.": the last full stop is the abbreviation's


def overlay(cands: list[Candidate], found: list[Found], field: TextField, text: str, source: str,
            *, sentence_stops: bool = True) -> list[Candidate]:
    """Names found by a pattern of the text replace the candidates they overlap; names the model missed are
    added. `text` is the field as NER saw it, `source` as printed (the same length). With `sentence_stops`,
    a full stop ending a name ends the sentence and is cut off, unless the name ends in a dotted abbreviation
    ("U.S.", "Washington D.C."); else it is the name's ("Fla.", "N.J.")."""
    taken: list[Found] = []
    for start, end, etype in found:
        if not any(s < end and start < e for s, e, _ in taken):
            taken.append((start, end, etype))
    if not taken:
        return cands
    if sentence_stops:
        taken = [(s, e if _DOTTED_END.search(text[s:e]) else s + len(text[s:e].rstrip(".")), t)
                 for s, e, t in taken]
    kept = [c for c in cands if c.field != field or not any(s < c.end and c.start < e for s, e, _ in taken)]
    for start, end, etype in taken:
        label = {"person": "PERSON", "organization": "ORG"}.get(etype, "GPE")
        kept.append(Candidate(field, start, end, source[start:end], text[start:end], label, etype))
    return sorted(kept, key=lambda c: (c.field != "title", c.start))


def close_names(cands: list[Candidate], cased: dict[TextField, str], source: dict[TextField, str]) -> list[Candidate]:
    """A name does not end on the particle that opens a surname ("Gilbert Le", "Walter van der"): it runs on
    over the particles and the capitalised word after them ("Gilbert Le Gras", "Walter van der Vijver")."""
    out: list[Candidate] = []
    for cand in cands:
        if out and out[-1].field == cand.field and cand.start < out[-1].end:
            continue  # the rest of a surname spaCy gave on its own ("Vijver"), taken in above
        words = cand.cased.split()
        more = _SURNAME_RUN.match(cased[cand.field], cand.end)
        if (len(words) < 2 or words[-1].lower() not in SURNAME_PARTICLES or cand.type not in ("person", None)
                or more is None or any(c.field == cand.field and c.start < more.end() < c.end for c in cands)):
            out.append(cand)
            continue
        out.append(cand.moved(cand.start, more.end(), source[cand.field], cased[cand.field]))
    return out
