"""After step 4 (sports): the dateline names where the story was filed, and that is a place, whatever the
model made of it ("WHISTLER, British Columbia", "AL-AIN, United Arab Emirates").

- A dateline line of its own among the body's first lines (`ingest.parse.dateline.dateline_line`:
  "CANBERRA 1996-12-06"): its place, and the region or country after the comma, are locations. The model
  reads such a line without a sentence around it and often calls a small town an organization or a person.
- The town of the dateline (the article's `dateline` field, or that line) mentioned in the story ("the
  downhill at Whistler") is that place too, except in a sports report, where a town also names its club
  ("Leeds beat Wimbledon").
A town too small for the gazetteer is still a place here.
"""

from __future__ import annotations

from dataclasses import replace

from ingest.enrich.entities import Candidate, Found, overlay
from ingest.enrich.sports import is_sports
from ingest.parse.dateline import dateline_line
from ingest.records import TextField

_FIRST_LINES = 3  # a dateline stands over the story: after a byline or a standfirst line at most


def dateline_places(
    cands: list[Candidate], cased: dict[TextField, str], sources: dict[TextField, str], dateline: str | None
) -> list[Candidate]:
    """Candidates with the dateline's places as locations."""
    source = sources.get("body", "")
    found, line_dateline = _dateline_line(source)
    if found:
        cands = overlay(cands, found, "body", cased["body"], source, sentence_stops=False)
    places = {_key(part) for text in (dateline, line_dateline) if text for part in text.split(",")} - {""}
    if not places or is_sports(cased):
        return cands
    return [replace(c, type="location", label="GPE") if c.type != "location" and _key(c.cased) in places else c
            for c in cands]


def _dateline_line(source: str) -> tuple[list[Found], str | None]:
    """The place and region of a dateline line among the body's first lines, and the dateline it gives."""
    start = 0
    for line in source.split("\n")[:_FIRST_LINES]:
        found = dateline_line(line.strip())
        if found is not None:
            lead = len(line) - len(line.lstrip())
            spans = [span for span in (found.place, found.region) if span is not None]
            return [(start + lead + s, start + lead + e, "location") for s, e in spans], found.dateline
        start += len(line) + 1
    return [], None


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()
