"""Kibana saved objects (no Kibana runs here): every field they use exists in the real index mappings
with a usable type, every reference resolves, and the import request is a well-formed multipart POST —
sent over real HTTP to a small recording server."""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from conftest import ingest_cli, jsonl
from elasticsearch import Elasticsearch

from ingest import index, kibana
from ingest.config import Settings


def test_objects_are_complete_and_references_resolve() -> None:
    objects = kibana.load_objects()
    kinds = {(o["type"], o["id"]) for o in objects}
    assert ("index-pattern", "news-articles") in kinds and ("search", "news-articles-latest") in kinds
    assert ("map", "news-places-map") in kinds
    titles = {o["attributes"]["title"]: o for o in objects if o["type"] == "dashboard"}
    assert set(titles) == {"News", "Ingestion"}
    assert len(json.loads(titles["News"]["attributes"]["panelsJSON"])) >= 7
    assert kibana.unresolved_references(objects) == []
    views = kibana.view_indices(objects)
    assert views == {"news-articles": "articles", "news-ledger": "articles-ledger", "news-runs": "articles-runs",
                     "news-alerts": "articles-alerts"}
    articles = next(o for o in objects if o["id"] == "news-articles")["attributes"]
    assert articles["timeFieldName"] == "published_at" and json.loads(articles["fieldFormatMap"])


def test_a_broken_reference_is_reported() -> None:
    objects = kibana.load_objects()
    dash = next(o for o in objects if o["id"] == "news-dashboard")
    dash["references"][0]["id"] = "no-such-visualisation"
    assert any("no-such-visualisation" in p for p in kibana.unresolved_references(objects))


def test_every_field_exists_in_the_real_mappings(settings: Settings, es: Elasticsearch) -> None:
    index.ensure_index(es, settings)
    objects = kibana.load_objects(settings)
    assert kibana.view_indices(objects)["news-articles"] == settings.index_alias
    uses = kibana.field_uses(objects)
    used = {(u.field, u.use) for u in uses}
    assert {("locations_geo.location", "geo_point"), ("published_at", "time"), ("entities.person", "terms"),
            ("reason.keyword", "terms"), ("kind", "terms"), ("counts.rejected", "metric"), ("state", "query"),
            ("matched_at", "time"), ("watch", "terms"), ("status", "terms")} <= used
    assert kibana.check_live(es, objects) == []


def test_an_unmapped_or_wrongly_typed_field_is_reported(settings: Settings, es: Elasticsearch) -> None:
    index.ensure_index(es, settings)
    objects = kibana.load_objects(settings)
    top = next(o for o in objects if o["id"] == "news-top-people")
    top["attributes"]["visState"] = top["attributes"]["visState"].replace("entities.person", "title")
    places = next(o for o in objects if o["id"] == "news-places-map")
    places["attributes"]["layerListJSON"] = places["attributes"]["layerListJSON"].replace(
        "locations_geo.location", "locations_geo.nowhere")
    problems = kibana.check_live(es, objects)
    assert any("'title' cannot serve as terms" in p for p in problems)
    assert any("locations_geo.nowhere" in p and "not mapped" in p for p in problems)


def test_kibana_check_command(settings: Settings, es: Elasticsearch) -> None:
    index.ensure_index(es, settings)
    result = ingest_cli(settings, "kibana", "check")
    assert "0 problem(s)" in result.stdout
    exported = jsonl(ingest_cli(settings, "kibana", "export").stdout)
    assert {o["attributes"]["title"] for o in exported if o["type"] == "index-pattern"} == {
        settings.index_alias, settings.ledger_index, settings.runs_index, settings.alerts_index}


class Recorder(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []  # noqa: RUF012 - shared by the handler instances of one server
    answer: dict[str, Any] = {}  # noqa: RUF012

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Recorder.requests.append({"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)})
        payload = json.dumps(Recorder.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def kibana_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_import_sends_a_well_formed_multipart_request(settings: Settings, kibana_server: str) -> None:
    objects = kibana.load_objects(settings)
    Recorder.answer = {"success": True, "successCount": len(objects)}
    env = {"KIBANA_URL": kibana_server}
    target = kibana.KibanaTarget.from_env(settings, env)
    answer = kibana.send(kibana.import_request(objects, target))
    assert answer["successCount"] == len(objects)

    (request,) = Recorder.requests
    assert request["path"] == "/api/saved_objects/_import?overwrite=true"
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["kbn-xsrf"] == "true"
    assert headers["authorization"].startswith("Basic ")
    assert headers["content-type"].startswith("multipart/form-data; boundary=")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + headers["content-type"].encode() + b"\r\n\r\n" + request["body"])
    (part,) = list(message.iter_parts())
    assert part.get_param("name", header="content-disposition") == "file"
    assert part.get_filename().endswith(".ndjson")
    sent = [json.loads(line) for line in part.get_payload(decode=True).decode().splitlines()]
    assert sent == objects


def test_import_command_reports_kibana_errors(settings: Settings, kibana_server: str) -> None:
    Recorder.answer = {"success": False, "successCount": 3,
                       "errors": [{"type": "map", "id": "news-places-map", "error": {"type": "unsupported_type"}}]}
    result = ingest_cli(settings, "kibana", "import", check=False, env={"KIBANA_URL": kibana_server})
    assert result.returncode == 1
    assert "news-places-map" in result.stderr
    assert Recorder.requests and Recorder.requests[0]["path"].startswith("/api/saved_objects/_import")
