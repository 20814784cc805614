"""Step 4: sports reports — teams are organizations, listed athletes are people (one document at a time).

Sports copy (results, standings, squads, scorers) is where a small NER model fails most: a team is
written as its home town ("Hartford 4 Boston 2") and long lists of foreign names are typed at random.
A document counts as a sports report when it uses at least three distinct sports words (league,
goals, standings, innings, …: ingest/vocab/sports_words.tsv); only then do the line patterns below
apply, so a shipping or commodity table ("Dampier 150,000 tonnes") keeps its ports as places.

Line patterns (each name is a run of capitalised words; countries, and the nations of ingest/vocab/nations.txt
("Scotland"), stay locations — national teams):
- results     "Arsenal 2 Derby 2", "Bochum 2 (Stickroth 30th) Bayer Leverkusen 2"   → both teams
              "Charleroi (Belgium) 75 Estudiantes Madrid (Spain) 82"
- standings   "Rangers 14 11 2 1 35 12 35", "MIAMI 14 4 .778 -"                        → the team
- fixtures    "West Bromwich v Bolton", "PHOENIX AT NEW JERSEY"                        → both teams
- athletes    "Vitor Baia (Barcelona, Spain)", "1. Katja Seizinger (Germany) 180"      → person (+ club)
- scorers     "(Stickroth 30th pen, Wosz 89th)"                                          → people
- squads      "Defenders - Dan Petrescu, Daniel Prodan."                                 → people
- line-ups    "Japan: 19 - Kenichi Shimokawa, 2 - Hiroshige Yanagimoto, 3 - Naoki Soma"  → people
              "Charleroi - Eric Cleymans 18, Ron Ellis 18, Jacques Stas 14"
              rows split by semicolons, a substitute in brackets, a hyphenated particle
              "Syria: 24 - Salem Bitar, 3 - Bachar Srour; 4 - Hassan Abbas (9 - Louay Taleb 69), 8 - Nihad al-Boushi"
              a line listing three or more players: names of two to four words, or names with a number
              (shirt, points, minute), for three in four items or more
Names the model missed are added as new candidates; candidates overlapping a found name are replaced
by one candidate covering the whole name ("Sheffield" → "Sheffield Wednesday").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest import vocab
from ingest.enrich.entities import NAME_JOINS, NAME_PREFIXES, Candidate, Found, overlay
from ingest.enrich.gazetteer import Gazetteer
from ingest.records import EntityType, TextField

# words of sports reports (ingest/vocab/sports_words.tsv): three distinct ones make a document a sports
# report; a role word labels a list of players ("Defenders - ...") and is no name alone
_SPORTS_ROWS = vocab.table("sports_words")
SPORTS_WORDS = frozenset(row[0] for row in _SPORTS_ROWS if "report" in row[1:])
ROLE_WORDS = frozenset(row[0] for row in _SPORTS_ROWS if "role" in row[1:])
NATIONS = frozenset(vocab.entries("nations"))  # no states, but national teams: England, Scotland, Wales
_JOINS = "|".join(NAME_JOINS)
_PREFIXES = "|".join(NAME_PREFIXES)
_NAME = rf"[A-Z][\w'’.&-]*(?:[ \t]+(?:(?:{_JOINS})[ \t]+)?(?:(?:{_PREFIXES})-)?[A-Z][\w'’.&-]*)*"
_SCORE = r"\d{1,3}(?:[ \t]*\([^)\n]*\))?"
_FROM = r"(?:[ \t]*\([^)\n]*\))?"  # the team's country after its name: "Charleroi (Belgium) 75"
_RESULT = re.compile(
    rf"^[ \t]*(?P<a>{_NAME}){_FROM}[ \t]+{_SCORE}[ \t]+(?P<b>{_NAME}){_FROM}[ \t]+{_SCORE}[ \t.]*$", re.M
)
_CELL = r"(?:\d+(?:[ \t]+1/2)?|\.\d+|-)"
_STANDING = re.compile(rf"^[ \t]*(?:\d+[.=][ \t]*)?(?P<a>{_NAME})(?:[ \t]+{_CELL}){{3,}}[ \t]*$", re.M)
_VERSUS = r"(?:v|vs\.?|at|AT|V|VS)"
_FIXTURE = re.compile(rf"^(?:[^:\n]*:[ \t]*)?(?P<a>{_NAME})[ \t]+{_VERSUS}[ \t]+(?P<b>{_NAME})[ \t.]*$", re.M)
_ATHLETE = re.compile(rf"(?P<p>{_NAME})[ \t]*\((?P<a>{_NAME})(?:,[ \t]*(?P<b>{_NAME}))?\)")
_SCORER = re.compile(rf"(?:\(|,[ \t]*|and[ \t]+)(?P<p>{_NAME})[ \t]+\d{{1,3}}(?:st|nd|rd|th)\b")
_SQUAD = re.compile(r"^[ \t]*(?P<role>[A-Z][a-z]+)[ \t]*[-:][ \t]+(?P<list>[^\n]+)$", re.M)
_LIST_NAME = re.compile(rf"(?:^|,[ \t]*)(?P<p>{_NAME})(?=[ \t]*(?:,|\.?$|\())")
_WORD = re.compile(r"[a-z]+")
_LIST_LINE = re.compile(r"^(?:[^\n:]{1,40}?(?::|[ \t]-)[ \t]+)?(?P<list>[^\n]*,[^\n]*)$", re.M)
# items split by commas, and by semicolons between a line-up's rows ("3 - Bachar Srour; 4 - Hassan Abbas")
_LIST_ITEM = re.compile(r"(?:(?!\band\b|;[ \t]+[\dA-Z])[^,])+")
_SENTENCE_END = re.compile(r"[a-z]{3}\.[ \t]")  # "M Horan. F Sheahan": two names, a full stop typed for a comma
_SHIRT = r"\d{1,2}[ \t]*-[ \t]*"
_PLAYER = re.compile(
    rf"(?:{_SHIRT})?(?P<p>{_NAME})(?:[ \t]*\((?:[ \t]*{_SHIRT}(?P<sub>{_NAME})[ \t]+\d{{1,3}}[ \t]*\)|[^)]*\)))?"
    r"(?P<num>[ \t]+\d{1,3}(?:st|nd|rd|th)?(?:[ \t]+pen)?)?[ \t.]*"
)

def is_sports(texts: dict[TextField, str]) -> bool:
    """Three distinct sports words, a plural counting as its singular ("semifinals" as "semifinal")."""
    words = {w for text in texts.values() for w in _WORD.findall(text.lower())}
    words |= {w[:-1] for w in words if w.endswith("s")}
    return len(words & SPORTS_WORDS) >= 3


def apply_sports(
    cands: list[Candidate], cased: dict[TextField, str], sources: dict[TextField, str], gaz: Gazetteer
) -> list[Candidate]:
    """Candidates re-typed (and completed) from the line patterns of a sports report."""
    if not is_sports(cased):
        return cands
    out = [c for c in cands if not _is_role_label(c)]
    for field, text in cased.items():
        found = sorted(set(_found(text, gaz)))
        out = overlay(out, found, field, text, sources[field])
    return out


def _is_role_label(cand: Candidate) -> bool:
    return cand.cased.lower() in ROLE_WORDS


def _found(text: str, gaz: Gazetteer) -> Iterator[Found]:
    for pattern in (_RESULT, _STANDING, _FIXTURE):
        for m in pattern.finditer(text):
            for group in ("a", "b"):
                if m.groupdict().get(group):
                    yield _team(m, group, gaz)
    yield from _athletes(text, gaz)
    for m in _SCORER.finditer(text):
        if gaz.place(m["p"]) is None:
            yield m.start("p"), m.end("p"), "person"
    for m in _SQUAD.finditer(text):
        if m["role"].lower() in ROLE_WORDS:
            base = m.start("list")
            for item in _LIST_NAME.finditer(m["list"]):
                yield base + item.start("p"), base + item.end("p"), "person"
    yield from _player_lists(text, gaz)


def _player_lists(text: str, gaz: Gazetteer) -> Iterator[Found]:
    """The players of a line that lists three or more of them (three in four of its items at least)."""
    for line in _LIST_LINE.finditer(text):
        items = [_player(item, line.start("list")) for item in _LIST_ITEM.finditer(line["list"])]
        players = [item for item in items if item]
        if len(players) >= 3 and len(players) >= 0.75 * len(items):
            yield from ((s, e, "person") for item in players for s, e, name in item if gaz.place(name) is None)


def _player(item: re.Match[str], base: int) -> list[tuple[int, int, str]]:
    """The players a list item names: two to four words, or any name with a number after it; and the
    substitute a line-up gives in brackets ("8 - Masakiyo Maezono (7 - Yasuto Honda 71)")."""
    text = item.group()
    lead = len(text) - len(text.lstrip())
    m = _PLAYER.fullmatch(text.strip())
    if m is None or not (m["num"] or 2 <= len(m["p"].split()) <= 4) or _SENTENCE_END.search(m["p"]):
        return []
    start = base + item.start() + lead
    return [(start + m.start(g), start + m.end(g), m[g]) for g in ("p", "sub") if m[g]]


def _team(m: re.Match[str], group: str, gaz: Gazetteer) -> Found:
    etype: EntityType = "location" if _nation(m[group], gaz) else "organization"
    return m.start(group), m.end(group), etype


def _nation(name: str, gaz: Gazetteer) -> bool:
    """A country or a nation that fields its own teams ("Scotland"): its team is a location, not a club."""
    return gaz.country(name) is not None or " ".join(name.lower().split()) in NATIONS


def _athletes(text: str, gaz: Gazetteer) -> Iterator[Found]:
    """'Name (Country)' → person, location; 'Name (Club[, Country])' → person, club, location."""
    for m in _ATHLETE.finditer(text):
        words = m["p"].split()
        if not 2 <= len(words) <= 4 or gaz.place(m["p"]) is not None or gaz.place(words[0]) is not None:
            continue
        yield m.start("p"), m.end("p"), "person"
        if _nation(m["a"], gaz):
            yield m.start("a"), m.end("a"), "location"
        else:
            yield m.start("a"), m.end("a"), "organization"
        if m["b"] and _nation(m["b"], gaz):
            yield m.start("b"), m.end("b"), "location"
