"""`ingest search` on the real Elasticsearch node: stemming, phrases, operators, highlights, facets, sort,
places with coordinates. The seed is indexed once per module through the real `ingest run`."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, ingest_cli, jsonl

from ingest import index, search
from ingest.config import Settings

OTHER = """Harbour ferry returns after storm repairs

The harbour ferry between the two islands returned to service on Monday after three weeks of repairs to
its hull, which was damaged when a winter storm drove the vessel onto rocks near the northern pier.

The operator said the first crossing left at seven in the morning with forty passengers on board, and
that the timetable would return to normal by the end of the week once a second crew had been trained.

Shop owners on the smaller island said the weeks without a ferry had cost them most of their winter
trade, and the council has promised a fund to help businesses that lost income during the closure.
"""


@pytest.fixture(scope="module")
def indexed(es_connection: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    source = tmp_path_factory.mktemp("search") / "seeds"
    source.mkdir()
    shutil.copy(SEED, source / SEED.name)
    (source / "ferry.txt").write_text(OTHER)
    settings = Settings(es_url=es_connection["url"], es_username=es_connection["username"],
                        es_password=es_connection["password"], index_alias=f"t-{uuid.uuid4().hex[:10]}",
                        source=str(source))
    report = jsonl(ingest_cli(settings, "run", "--json").stdout)[0]
    assert report["counts"]["indexed_docs"] == 2
    return settings


def found(settings: Settings, text: str | None = None, **options: Any) -> dict[str, Any]:
    """What `ingest search --json` prints, from the same function, in this process (the command itself is
    run by the tests that check its printing)."""
    request = search.SearchRequest(query=text, **options)
    return search.search(index.connect(settings), settings.index_alias, request).to_json()


def cli(settings: Settings, *args: str) -> dict[str, Any]:
    return dict(jsonl(ingest_cli(settings, "search", *args, "--json").stdout)[0])


def total(settings: Settings, text: str | None = None, **options: Any) -> int:
    return int(found(settings, text, **options)["total"])


def test_english_stemming_finds_other_forms(indexed: Settings) -> None:
    assert total(indexed, "attacked") == 1  # the seed says "attack"
    assert total(indexed, "convinced") == 1  # the seed says "convince"
    assert total(indexed, "repaired") == 1  # the ferry story says "repairs"
    assert total(indexed, "Pakistan's") == 1


def test_quoted_phrases_stay_exact(indexed: Settings) -> None:
    assert total(indexed, "terrorist group operating") == 1  # stemmed words, any order
    assert total(indexed, '"terrorist groups operating"') == 1  # the seed's own words
    assert total(indexed, '"terrorist group operating"') == 0  # a phrase is not stemmed
    assert total(indexed, '"Jaish-e-Mohammed"') == 1


def test_boolean_operators_and_exclusions(indexed: Settings) -> None:
    assert total(indexed, "Pakistan -Pompeo") == 0
    assert total(indexed, "Pakistan -ferry") == 1
    assert total(indexed, "Pompeo | ferry") == 2
    assert total(indexed, "(Pompeo | ferry) +storm") == 1
    assert total(indexed, "terror*") == 1
    # a malformed query is read leniently, never an error: what can be read still decides
    assert total(indexed, 'Pakistan "Pompeo ( -') == 1
    assert total(indexed, 'harbour "ferry ( -') == 1
    assert total(indexed, 'unbalanced "quote ( -') == 0  # words neither story has


def test_hits_carry_highlighted_fragments(indexed: Settings) -> None:
    result = cli(indexed, "attacked")
    (hit,) = result["hits"]
    fragments = hit["highlight"]["body"]
    assert fragments and all("<em>" in f for f in fragments)
    assert any("<em>attack</em>" in f for f in fragments)
    assert "story_bands" not in hit and "mentioned_ranges" not in hit
    human = ingest_cli(indexed, "search", "attacked").stdout
    assert "**attack**" in human  # not a terminal: the match is marked with asterisks


def test_facets_count_the_result_set(indexed: Settings) -> None:
    facets = cli(indexed, "--facets")["facets"]
    assert {"value": "Pakistan", "count": 1} in facets["places"]
    assert {"value": "Pompeo", "count": 1} in facets["people"]
    assert {"value": "Jaish-e-Mohammed", "count": 1} in facets["organisations"]
    assert {"value": "Business Standard", "count": 1} in facets["publishers"]
    assert found(indexed, "ferry", facets=True)["facets"]["people"] == []
    human = ingest_cli(indexed, "search", "--facets").stdout
    assert "places: " in human and "Pakistan (1)" in human


def test_sort_by_date_or_relevance(indexed: Settings) -> None:
    query = "ferry | harbour | island | storm | Pakistan"  # the ferry story matches four words, the seed one
    by_date = found(indexed, query, sort="date")["hits"]
    assert [h["title"].startswith("Harbour ferry") for h in by_date] == [False, True]  # undated last
    by_relevance = cli(indexed, query, "--sort", "relevance")["hits"]
    assert [h["title"].startswith("Harbour ferry") for h in by_relevance] == [True, False]


def test_organisation_and_mentioned_month_filter(indexed: Settings) -> None:
    assert int(cli(indexed, "--organization", "Jaish-e-Mohammed", "--mentions", "2019-02")["total"]) == 1
    assert total(indexed, organization=("Jaish-e-Mohammed",), mentions="2019-04") == 0


def test_places_carry_coordinates(indexed: Settings, es_connection: dict[str, str]) -> None:
    (seed,) = found(indexed, "Pakistan")["hits"]
    places = {p["name"]: p for p in seed["locations_geo"]}
    assert places["Pakistan"]["location"]["lat"] == pytest.approx(33.7, abs=0.1)
    assert places["India"]["country"] == "IN"
    assert "Jammu and Kashmir" not in places  # a region without a point in the gazetteer
    es = index.connect(indexed)
    near = es.search(index=indexed.index_alias, query={"geo_distance": {
        "distance": "50km", "locations_geo.location": {"lat": 33.68, "lon": 73.05}}})  # near Islamabad
    assert near["hits"]["total"]["value"] == 1


def test_search_runs_from_any_folder(indexed: Settings, tmp_path: Path) -> None:
    """Mappings are package data: nothing is read relative to the working directory."""
    from conftest import ingest_process

    result = ingest_process(indexed, "search", "attacked", "--json", cwd=tmp_path)
    assert jsonl(result.stdout)[0]["total"] == 1
