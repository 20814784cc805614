"""Golden cases for the readers: fixture articles written for these tests plus the mission seed."""

from __future__ import annotations

import json
from pathlib import Path

import factories
import pytest

from ingest.errors import UnsupportedFormat
from ingest.normalise import normalise
from ingest.parse import detect_format
from ingest.parse.dateline import read_lead
from ingest.records import Article, Rejection

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = ROOT / "seeds" / "000_c4ea0415e5f2f1cc.txt"


def read(path: Path) -> list[Article | Rejection]:
    return factories.read(path.read_bytes(), path.name)


def one(path: Path) -> Article:
    docs = read(path)
    assert len(docs) == 1 and isinstance(docs[0], Article)
    return docs[0]


def test_mission_seed() -> None:
    a = one(SEED)
    assert a.title is not None and a.title.strip("'") == (
        "US focused on pressing Pak to take sustained, irreversible actions against terrorists")
    assert a.publisher == "Business Standard"
    assert a.agency == "Press Trust of India"
    assert a.dateline == "Washington"
    assert a.section == ("PTI Stories", "National", "News")
    assert a.published_at is not None and a.published_at.isoformat() == "2019-03-16T10:10:00+05:30"
    paragraphs = a.body.split("\n\n")
    assert paragraphs[0].startswith("The is now focused")
    assert paragraphs[-1].endswith("instrument of state policy.")
    for absent in ("You are here", "Business Standard", "Press Trust of India", "First Published", "syndicated"):
        assert absent not in a.body
    assert "elided_words" in a.quality_flags and "syndicated" in a.quality_flags


def test_html_jsonld_graph_article() -> None:
    a = one(FIXTURES / "html" / "jsonld_graph.html")
    assert a.title == "Harbour bridge reopens after repairs"
    assert a.published_at is not None and a.published_at.isoformat() == "2021-05-02T18:30:00+01:00"
    assert a.published_at_source == "jsonld"
    assert a.authors == ("Jane Doe", "Sam Roe")
    assert a.publisher == "The Coastal Courier"
    assert a.section == ("Local",)
    assert a.language == "en"
    assert a.url == "https://www.coastalcourier.example.co.uk/news/2021/05/02/harbour-bridge"
    assert a.body.startswith("The harbour bridge reopened")
    assert "within the budget agreed last year" in a.body
    for absent in ("Related stories", "Ferry timetable", "Reader comment", "All rights reserved", "Cookie",
                   "By Jane Doe"):
        assert absent not in a.body


def test_html_wire_lead_gives_dateline_and_agency() -> None:
    a = one(FIXTURES / "html" / "wire_lead_credit.html")
    assert (a.dateline, a.agency) == ("Bruselas", "Agencia EFE")
    assert a.body.startswith("Bruselas, 7 oct (EFE).- Los ministros")  # the page's text as printed
    assert "syndicated" in a.quality_flags


@pytest.mark.parametrize(("lead", "dateline"), [
    ("SANCIONES –", None),  # a kicker in capitals
    ("VALENCIA –", "Valencia"),  # a known town, no agency credited
])
def test_html_capitals_before_a_dash_are_a_dateline_when_they_name_a_place(
    tmp_path: Path, lead: str, dateline: str | None
) -> None:
    page = tmp_path / "lead.html"
    page.write_text((FIXTURES / "html" / "wire_lead_credit.html").read_text("utf-8")
                    .replace("Bruselas, 7 oct (EFE).-", lead), "utf-8")
    assert (one(page).dateline, one(page).agency) == (dateline, None)


def test_html_meta_and_time_element_windows_1252() -> None:
    a = one(FIXTURES / "html" / "meta_time.html")
    assert a.title == "Stadtrat beschließt neuen Radweg"
    assert a.published_at is not None and a.published_at.isoformat() == "2022-11-06T23:00:00+01:00"
    assert a.published_at_source == "time"
    assert a.publisher == "Kurier am Fluss"
    assert a.authors == ("Erika Muster",)
    assert a.language == "de"
    assert "Flussufers beschlossen" in a.body and "Impressum" not in a.body


def test_json_news_please_record() -> None:
    a = one(FIXTURES / "json" / "newsplease.json")
    assert a.title == "Rail strike called off after late talks"
    assert a.published_at_source == "record" and a.published_at is not None
    assert a.published_at.date().isoformat() == "2023-02-07"
    assert a.authors == ("Ann Smith", "Raj Patel")
    assert a.language == "en"
    assert a.url == "https://www.railnews.example/2023/02/07/strike-off"


def test_json_list_with_html_body_and_nested_keys() -> None:
    docs = read(FIXTURES / "json" / "list.json")
    assert [d.source.record for d in docs] == [0, 1]
    first, second = docs
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.body == "The museum opened its new wing on Friday.\n\nEntry is free for the first month."
    assert first.published_at is not None and first.published_at.isoformat() == "2022-09-16T10:00:00+02:00"
    assert second.title == "Harvest festival returns"


def test_jsonl_bad_line_is_its_own_rejection() -> None:
    docs = read(FIXTURES / "json" / "export.jsonl")
    assert [type(d).__name__ for d in docs] == ["Article", "Rejection", "Article"]
    bad = docs[1]
    assert isinstance(bad, Rejection) and bad.stage == "parse" and "line 2" in bad.reason
    third = docs[2]
    assert isinstance(third, Article) and third.publisher == "Example Times" and third.section == ("World",)


@pytest.mark.parametrize(("name", "title", "phrase"), [
    ("cp1252.txt", "Café owners welcome “fair” rent deal", "the city – a relief"),
    ("utf16.txt", "Snow closes mountain pass", "heavy snow fell overnight"),
])
def test_text_encodings(name: str, title: str, phrase: str) -> None:
    a = one(FIXTURES / "text" / name)
    assert a.title == title
    assert phrase in a.body


def test_text_wire_lead_byline_and_est() -> None:
    a = one(FIXTURES / "text" / "wire_lead.txt")
    assert a.title == "Ministers agree on new climate fund"
    assert a.authors == ("Tom Brown",)
    assert a.agency == "Reuters" and a.dateline == "Washington"
    assert a.published_at is not None and a.published_at.isoformat() == "2021-03-03T16:05:00-05:00"
    assert a.body.startswith("Finance ministers")
    assert "Copyright" not in a.body and "syndicated" in a.quality_flags


def test_text_pti_lead_ist() -> None:
    a = one(FIXTURES / "text" / "pti_lead.txt")
    assert a.agency == "Press Trust of India" and a.dateline == "New Delhi"
    assert a.modified_at is not None and a.modified_at.isoformat() == "2021-03-03T18:42:00+05:30"
    assert a.body.startswith("The government on Wednesday")


STORY_TEXT = "Parliament approved the budget on Tuesday after a long debate about schools and roads. " * 3
RECORD = json.dumps({"title": "Budget", "text": STORY_TEXT})


@pytest.mark.parametrize(("name", "data", "fmt"), [
    ("page.txt", f"<!DOCTYPE html><html><body><h1>Budget</h1><p>{STORY_TEXT}</p></body></html>".encode(), "html"),
    ("record.txt", RECORD.encode(), "json"),
    ("list.txt", f"[\n  {RECORD}]".encode(), "json"),
    ("story.txt", f"[Updated] Budget approved\n\n{STORY_TEXT}".encode(), "text"),  # a bracket is not JSON
    ("page.html", RECORD.encode(), "json"),  # an API answer saved as .html: a page never opens with '{"'
    ("record.json", f"<!DOCTYPE html><html><body><p>{STORY_TEXT}</p></body></html>".encode(), "html"),
    ("noext", b'{"title": "Budget"}', "json"),
    ("utf16.txt", f"Budget approved\n\n{STORY_TEXT}".encode("utf-16-le"), "text"),  # NULs, but text
])
def test_format_from_extension_then_content(name: str, data: bytes, fmt: str) -> None:
    assert detect_format(name, data) == fmt


def test_binary_content_is_refused_whatever_its_name() -> None:
    with pytest.raises(UnsupportedFormat, match="binary content"):
        detect_format("story.txt", bytes(range(256)) * 4)


def test_wire_lead_with_an_accented_place_and_a_date() -> None:
    lead = read_lead("ZÜRICH, March 3 (AP) - Café owners said the rules were unfair.")
    assert lead is not None and (lead.dateline, lead.agency) == ("Zürich", "Associated Press")
    assert lead.rest.startswith("Café owners")
    spain = read_lead("MÁLAGA, Spain (EFE) — Firefighters")
    assert spain is not None and spain.dateline == "Málaga, Spain"


def _json_article(record: dict[str, object]) -> Article:
    docs = factories.raw_documents(json.dumps(record), "export.json", fmt="json")
    assert len(docs) == 1
    return normalise(docs[0])


def test_json_newsapi_shape() -> None:
    a = _json_article({"status": "ok", "articles": [{
        "title": "Budget", "content": STORY_TEXT, "publishedAt": "2021-03-12T09:30:00Z",
        "source": {"id": None, "name": "Example Wire"}, "author": "Jane Doe", "url": "https://news.example.com/b"}]})
    assert a.published_at is not None and a.published_at.isoformat() == "2021-03-12T09:30:00+00:00"
    assert a.publisher == "Example Wire" and a.url == "https://news.example.com/b" and a.authors == ("Jane Doe",)


def test_json_trafilatura_shape_url_in_source_and_country_from_it() -> None:
    a = _json_article({
        "title": "Haushalt", "text": STORY_TEXT, "date": "2021-03-12", "author": "Jane Doe; John Roe",
        "sitename": "Beispiel", "source": "https://www.example.de/haushalt", "categories": "Politik;Lokal"})
    assert a.url == "https://www.example.de/haushalt" and a.publisher == "Beispiel"
    assert a.published_at is not None and a.published_at.isoformat() == "2021-03-12T00:00:00+01:00"  # German clock
    assert a.authors == ("Jane Doe", "John Roe") and a.section == ("Politik", "Lokal")
    no_name = _json_article({"text": STORY_TEXT, "source": "https://www.example.de/haushalt"})
    assert no_name.publisher is None  # a URL is not a publisher's name
