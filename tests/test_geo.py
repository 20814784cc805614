"""Location entities → coordinates from the offline gazetteer (no Elasticsearch, no network)."""

from __future__ import annotations

import pytest

from ingest.enrich.geo import resolve_places


def where(locations: list[str], dateline: str | None = None) -> dict[str, tuple[str, str]]:
    return {p.name: (p.country, p.kind) for p in resolve_places(locations, dateline)}


def test_countries_are_drawn_at_their_capital() -> None:
    (pakistan,) = resolve_places(["Pakistan"])
    assert pakistan.country == "PK" and pakistan.kind == "country"
    assert pakistan.location.lat == pytest.approx(33.72, abs=0.05)  # Islamabad
    assert pakistan.location.lon == pytest.approx(73.04, abs=0.05)


def test_a_mentioned_us_state_settles_a_city_name() -> None:
    assert where(["Paris", "Texas"])["Paris"] == ("US", "city")
    assert where(["Paris"])["Paris"] == ("FR", "city")  # 2.1 million against 25,000: a dominant namesake
    assert where(["Paris"], dateline="Paris, Texas")["Paris"] == ("US", "city")


def test_ambiguous_names_without_context_are_left_out() -> None:
    assert "Georgia" not in where(["Georgia"])  # the country or the US state
    assert "Birmingham" not in where(["Birmingham"])  # England or Alabama, neither ten times the other
    assert "Hyderabad" not in where(["Hyderabad", "India", "Pakistan"])  # both countries are mentioned


def test_context_picks_between_namesakes() -> None:
    assert where(["Georgia", "Atlanta"])["Georgia"] == ("US", "state")
    assert where(["Georgia", "Tbilisi"])["Georgia"] == ("GE", "country")
    assert where(["Birmingham", "United Kingdom"])["Birmingham"] == ("GB", "city")
    assert where(["Hyderabad", "Pakistan"])["Hyderabad"] == ("PK", "city")


def test_country_names_beat_small_towns_and_areas_have_no_point() -> None:
    assert where(["Lebanon"])["Lebanon"] == ("LB", "country")
    assert where(["Middle East", "Jammu and Kashmir", "Narnia"]) == {}


def test_washington_is_the_capital_not_the_state() -> None:
    places = where(["United States", "Washington"], dateline="Washington")
    assert places["Washington"] == ("US", "city")
