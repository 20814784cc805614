"""The entity post-processing steps, in order, for one article (title and body together).

spaCy spans ─entities.candidates─▶ entities.close_names ─▶ junk.drop_junk ─▶ repair.repair_types
  ─▶ people.town_clubs ─▶ sports.apply_sports
  ─▶ datelines.dateline_places ─▶ agencies.agency_names ─▶ repair.known_places ─▶ merge.merge_places
  ─▶ canonical.canonicalise ─▶ acronyms.link_acronyms ─▶ merge.merge_people ─▶ merge.settle
  ─▶ merge.surname_mentions
  ─▶ Entities (each canonical name once per type) + EntityMentions (offsets into title/body)
"""

from __future__ import annotations

from typing import Any

from ingest.enrich.acronyms import link_acronyms
from ingest.enrich.agencies import agency_names
from ingest.enrich.canonical import canonicalise
from ingest.enrich.datelines import dateline_places
from ingest.enrich.entities import Candidate, candidates, close_names
from ingest.enrich.gazetteer import Gazetteer
from ingest.enrich.junk import drop_junk
from ingest.enrich.merge import merge_people, merge_places, settle, surname_mentions
from ingest.enrich.people import town_clubs
from ingest.enrich.repair import known_places, repair_types
from ingest.enrich.sports import apply_sports
from ingest.records import Entities, EntityMention, TextField

_ORDER = ("person", "organization", "location", "misc")


def resolve_entities(
    docs: dict[TextField, Any], cased: dict[TextField, str], sources: dict[TextField, str], gaz: Gazetteer,
    dateline: str | None = None,
) -> list[Candidate]:
    """Final candidates for one article; `docs[f]` is spaCy's doc of `cased[f]`, the re-cased `sources[f]`
    (the same length), `dateline` the article's. The texts are handed on because `doc.text` is rebuilt token
    by token on each call."""
    cands: list[Candidate] = []
    for field, doc in docs.items():
        cands.extend(candidates(doc, field, sources[field], cased[field]))
    cands = drop_junk(close_names(cands, cased, sources))
    cands = town_clubs(repair_types(cands, cased, gaz), cased, gaz)
    cands = apply_sports(cands, cased, sources, gaz)
    cands = dateline_places(cands, cased, sources, dateline)
    cands = agency_names(cands, cased, sources)
    cands = known_places(cands, cased, gaz)
    cands = merge_places(cands, cased, gaz)
    cands = canonicalise(cands, gaz)
    cands = link_acronyms(cands)
    cands = merge_people(cands, gaz)
    return surname_mentions(settle(cands), cased, sources)


def assemble(
    cands: list[Candidate], extra_locations: tuple[str, ...] = ()
) -> tuple[Entities, tuple[EntityMention, ...]]:
    """`Entities` in order of first mention (title first) and the mentions, sorted by position."""
    names: dict[str, dict[str, None]] = {t: {} for t in _ORDER}
    for cand in cands:
        if cand.type is not None:
            names[cand.type].setdefault(cand.canonical, None)
    for place in extra_locations:
        names["location"].setdefault(place, None)
    entities = Entities(**{t: tuple(v) for t, v in names.items()})
    mentions = tuple(
        EntityMention(c.text, c.type, c.canonical, c.field, c.start, c.end)
        for c in sorted(cands, key=lambda c: (c.field != "title", c.start))
        if c.type is not None
    )
    return entities, mentions
