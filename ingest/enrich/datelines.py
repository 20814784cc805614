"""After step 4 (sports): the dateline names where the story was filed, and that is a place, whatever the
model made of it ("WHISTLER, British Columbia", "AL-AIN, United Arab Emirates").

- A dateline line of its own among the body's first lines (`ingest.parse.dateline.dateline_line`:
  "CANBERRA 1996-12-06"): its place, and the region or country after the comma, are locations. The model
  reads such a line without a sentence around it and often calls a small town an organization or a person.
- A name alone on the line right over that dateline line is the writer's byline: a person.
- The town of the dateline (the article's `dateline` field, or that line) mentioned in the story ("the
  downhill at Whistler") is that place too, except in a sports report, where a town also names its club
  ("Leeds beat Wimbledon").
- The wire desk's sign-off under the story ("-- Jane Roe, Moscow Newsroom +7 095 941 8520"): the writer is
  a person; a desk named as such ("Moscow Newsroom") is an organization, a town's newsroom or bureau in
  lower case ("Mexico City newsroom") is that town.
A town too small for the gazetteer is still a place here, and so is each part of the article's dateline
("Al-Ain, United Arab Emirates", "Tallahassee, Fla."), which the analyst sees among the places even when the
dateline was printed over the story rather than in it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.enrich.entities import Candidate, Found, overlay
from ingest.enrich.gazetteer import Gazetteer
from ingest.enrich.sports import is_sports
from ingest.parse.bylines import sign_off
from ingest.parse.dateline import dateline_line
from ingest.records import TextField

_FIRST_LINES = 3  # a dateline stands over the story: after a byline or a standfirst line at most
_LAST_LINES = 2  # a sign-off closes the story
# a part of a dateline that names a place: one to four words, the first capitalised, no figures
_PLACE_PART = re.compile(r"[A-Z][^\W\d_]*\.?(?:[ '’.-]+[^\W\d_]+\.?){0,3}")
_BYLINE = re.compile(r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|da|di|del|van|von|le|la|bin|al)){1,3}")


def dateline_places(
    cands: list[Candidate], cased: dict[TextField, str], sources: dict[TextField, str], dateline: str | None
) -> list[Candidate]:
    """Candidates with the dateline's places as locations."""
    source = sources.get("body", "")
    found, line_dateline = _dateline_line(source)
    found += _sign_off(source)
    if found:
        cands = overlay(cands, found, "body", cased["body"], source, sentence_stops=False)
    places = {_key(part) for text in (dateline, line_dateline) if text for part in text.split(",")} - {""}
    if not places or is_sports(cased):
        return cands
    return [replace(c, type="location", label="GPE") if c.type != "location" and _key(c.cased) in places else c
            for c in cands]


def dateline_names(dateline: str | None, gaz: Gazetteer) -> tuple[str, ...]:
    """The places of the article's dateline, by the gazetteer's name when it knows them and as printed when it
    does not: "Bombay, India" → ("Mumbai", "India"), "Tembau Denpasar, Bali" → ("Tembau Denpasar", "Bali")."""
    if not dateline:
        return ()
    names = []
    for printed in dateline.replace("|", ",").split(","):
        part = printed.strip(" -—–:")
        if (place := gaz.place(part.strip("."))) is not None:
            names.append(place)
        elif _PLACE_PART.fullmatch(part):
            names.append(part)
    return tuple(dict.fromkeys(names))


def _dateline_line(source: str) -> tuple[list[Found], str | None]:
    """The place and region of a dateline line among the body's first lines (and the byline over it), and
    the dateline it gives."""
    start = 0
    above: tuple[int, str] | None = None  # the line over this one: where it starts, its text
    for line in source.split("\n")[:_FIRST_LINES]:
        found = dateline_line(line.strip())
        if found is not None:
            lead = len(line) - len(line.lstrip())
            spans: list[Found] = [(start + lead + s, start + lead + e, "location")
                                  for s, e in (found.place, found.region or (0, 0)) if e > s]
            if above is not None and (byline := _BYLINE.fullmatch(above[1].strip())) is not None:
                first = above[0] + len(above[1]) - len(above[1].lstrip())
                spans.append((first + byline.start(), first + byline.end(), "person"))
            return spans, found.dateline
        above = (start, line)
        start += len(line) + 1
    return [], None


def _sign_off(source: str) -> list[Found]:
    """The writer and the desk of a sign-off line among the body's last lines."""
    lines = source.split("\n")
    start = len(source) - sum(len(line) + 1 for line in lines[-_LAST_LINES:]) + 1
    for line in lines[-_LAST_LINES:]:
        found = sign_off(line.strip())
        if found is not None:
            base = start + len(line) - len(line.lstrip())
            spans: list[Found] = []
            if found.writer is not None:
                spans.append((base + found.writer[0], base + found.writer[1], "person"))
            if found.named_desk:
                spans.append((base + found.desk[0], base + found.desk[1], "organization"))
            else:
                spans.append((base + found.place[0], base + found.place[1], "location"))
            return spans
        start += len(line) + 1
    return []


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()
