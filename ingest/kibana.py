"""Kibana saved objects: load them from the package, check them against the index mappings, import them.

    ingest kibana import        POST /api/saved_objects/_import?overwrite=true (multipart, `kbn-xsrf`)
    ingest kibana check         every field the objects use exists in the live indices with a usable type

The objects (`ingest/mappings/kibana/articles.ndjson`, written by `build.py` beside it) name the default
indices (`articles`, `articles-ledger`, `articles-runs`, `articles-alerts`); `load_objects` points the data views at the
configured alias instead. Kibana is found at KIBANA_URL (default http://127.0.0.1:5601) with
KIBANA_USERNAME / KIBANA_PASSWORD or KIBANA_API_KEY, else the Elasticsearch credentials (ES_USERNAME /
ES_PASSWORD / ES_API_KEY), as Kibana accepts the same users.
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from ingest import variables as v
from ingest.config import Settings
from ingest.errors import IngestError, TerminalError, TransientError

OBJECTS = "articles.ndjson"
DEFAULT_TITLES = {"articles": "alias", "articles-ledger": "ledger", "articles-runs": "runs",
                  "articles-alerts": "alerts"}
Use = Literal["time", "format", "hidden", "column", "sort", "terms", "date_histogram", "metric", "geo_point",
              "query"]
NUMERIC = {"long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long"}


@dataclass(frozen=True)
class FieldUse:
    """One field a saved object relies on, what for, and through which data view."""

    object_id: str
    view: str  # data view id
    field: str
    use: Use


@dataclass(frozen=True)
class KibanaTarget:
    url: str
    username: str | None = None
    password: str | None = None
    api_key: str | None = None

    @classmethod
    def from_env(cls, settings: Settings, env: Mapping[str, str] | None = None) -> KibanaTarget:
        env = os.environ if env is None else env
        username = v.KIBANA_USERNAME.read(env)
        api_key = v.KIBANA_API_KEY.read(env) or (None if username else settings.es_api_key)
        return cls(url=(v.KIBANA_URL.read(env) or v.KIBANA_URL.default).rstrip("/"),
                   username=username or settings.es_username,
                   password=v.KIBANA_PASSWORD.read(env) or settings.es_password, api_key=api_key)

    def auth_header(self) -> str | None:
        if self.api_key:
            return f"ApiKey {self.api_key}"
        if self.username:
            token = base64.b64encode(f"{self.username}:{self.password or ''}".encode()).decode()
            return f"Basic {token}"
        return None


@dataclass(frozen=True)
class ImportRequest:
    url: str
    headers: dict[str, str]
    body: bytes


def load_objects(settings: Settings | None = None) -> list[dict[str, Any]]:
    """The saved objects, with data views pointed at the settings' alias, ledger and run indices."""
    text = resources.files("ingest").joinpath("mappings", "kibana", OBJECTS).read_text("utf-8")
    objects = [json.loads(line) for line in text.splitlines() if line.strip()]
    if settings is None:
        return objects
    titles = {"articles": settings.index_alias, "articles-ledger": settings.ledger_index,
              "articles-runs": settings.runs_index, "articles-alerts": settings.alerts_index}
    for obj in objects:
        if obj["type"] == "index-pattern":
            obj["attributes"]["title"] = titles.get(obj["attributes"]["title"], obj["attributes"]["title"])
    return objects


def view_indices(objects: list[dict[str, Any]]) -> dict[str, str]:
    """data view id → the index pattern (alias or index) it reads."""
    return {o["id"]: o["attributes"]["title"] for o in objects if o["type"] == "index-pattern"}


def unresolved_references(objects: list[dict[str, Any]]) -> list[str]:
    """References to objects not in the set, and panels / index refs that name no reference."""
    known = {(o["type"], o["id"]) for o in objects}
    problems = [f"{o['type']} {o['id']}: reference {r['name']} → {r['type']} {r['id']} is not in the set"
                for o in objects for r in o.get("references", []) if (r["type"], r["id"]) not in known]
    for obj in objects:
        names = {r["name"] for r in obj.get("references", [])}
        problems += [f"{obj['type']} {obj['id']}: uses {name!r}, which no reference names"
                     for name in _ref_names(obj) if name not in names]
    return problems


def _ref_names(obj: dict[str, Any]) -> Iterator[str]:
    attrs = obj["attributes"]
    source = attrs.get("kibanaSavedObjectMeta", {}).get("searchSourceJSON")
    if source and (ref := json.loads(source).get("indexRefName")):
        yield ref
    if "panelsJSON" in attrs:
        yield from (p["panelRefName"] for p in json.loads(attrs["panelsJSON"]))
    if "layerListJSON" in attrs:
        for layer in json.loads(attrs["layerListJSON"]):
            if ref := layer.get("sourceDescriptor", {}).get("indexPatternRefName"):
                yield ref


def field_uses(objects: list[dict[str, Any]]) -> list[FieldUse]:
    """Every field the objects name: time fields, formats, columns, sorts, aggregations, map layers, queries."""
    uses: list[FieldUse] = []
    for obj in objects:
        uses += list(_uses_of(obj))
    return uses


def _uses_of(obj: dict[str, Any]) -> Iterator[FieldUse]:
    attrs, oid = obj["attributes"], obj["id"]
    if obj["type"] == "index-pattern":
        yield FieldUse(oid, oid, attrs["timeFieldName"], "time")
        yield from (FieldUse(oid, oid, f, "format") for f in json.loads(attrs.get("fieldFormatMap") or "{}"))
        yield from (FieldUse(oid, oid, f["value"], "hidden") for f in json.loads(attrs.get("sourceFilters") or "[]"))
        return
    refs = {r["name"]: r["id"] for r in obj.get("references", [])}
    source = json.loads(attrs.get("kibanaSavedObjectMeta", {}).get("searchSourceJSON") or "{}")
    view = refs.get(source.get("indexRefName", ""), "")
    query = source.get("query", {}).get("query", "")
    yield from (FieldUse(oid, view, f, "query") for f in re.findall(r"([\w.]+)\s*:", query))
    yield from (FieldUse(oid, view, f, "column") for f in attrs.get("columns", []))
    yield from (FieldUse(oid, view, f, "sort") for f, _ in attrs.get("sort", []))
    if "visState" in attrs:
        for agg in json.loads(attrs["visState"]).get("aggs", []):
            if fld := agg.get("params", {}).get("field"):
                kind = agg["type"]
                yield FieldUse(oid, view, fld, kind if kind in ("terms", "date_histogram") else "metric")
    for layer in json.loads(attrs.get("layerListJSON") or "[]"):
        desc = layer.get("sourceDescriptor", {})
        if fld := desc.get("geoField"):
            yield FieldUse(oid, refs.get(desc.get("indexPatternRefName", ""), ""), fld, "geo_point")


def field_problems(uses: list[FieldUse], caps: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[str]:
    """Checks uses against `_field_caps` answers: {view id: {field: {type: {aggregatable, …}}}}."""
    problems = []
    for use in uses:
        fields = caps.get(use.view)
        if fields is None:
            problems.append(f"{use.object_id}: data view {use.view!r} is not one of the checked indices")
            continue
        if use.field not in fields:
            problems.append(f"{use.object_id}: field {use.field!r} ({use.use}) is not mapped in {use.view}")
            continue
        if reason := _incompatible(use.use, fields[use.field]):
            problems.append(f"{use.object_id}: field {use.field!r} cannot serve as {use.use}: {reason}")
    return problems


def _incompatible(use: Use, caps: Mapping[str, Any]) -> str | None:
    types = set(caps)
    aggregatable = all(c.get("aggregatable") for c in caps.values())
    if use in ("time", "date_histogram") and types != {"date"}:
        return f"type {'/'.join(sorted(types))}, not date"
    if use == "geo_point" and types != {"geo_point"}:
        return f"type {'/'.join(sorted(types))}, not geo_point"
    if use == "metric" and not types <= NUMERIC:
        return f"type {'/'.join(sorted(types))}, not numeric"
    if use in ("terms", "sort", "date_histogram", "metric") and not aggregatable:
        return "not aggregatable (text, or no doc values)"
    if use == "query" and not all(c.get("searchable") for c in caps.values()):
        return "not searchable"
    return None


def check_live(es: Any, objects: list[dict[str, Any]]) -> list[str]:
    """Field problems of the objects against the live indices their data views name."""
    caps: dict[str, dict[str, Any]] = {}
    for view, pattern in view_indices(objects).items():
        caps[view] = dict(es.field_caps(index=pattern, fields="*")["fields"])
    return unresolved_references(objects) + field_problems(field_uses(objects), caps)


def import_request(objects: list[dict[str, Any]], target: KibanaTarget, boundary: str | None = None) -> ImportRequest:
    """The saved-objects import call: multipart/form-data with one `file` part holding the NDJSON."""
    boundary = boundary or f"ingest-{uuid.uuid4().hex}"
    ndjson = "".join(json.dumps(o, ensure_ascii=False, sort_keys=True) + "\n" for o in objects).encode()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{OBJECTS}\"\r\n"
            f"Content-Type: application/ndjson\r\n\r\n").encode() + ndjson + f"\r\n--{boundary}--\r\n".encode()
    headers = {"kbn-xsrf": "true", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    if auth := target.auth_header():
        headers["Authorization"] = auth
    return ImportRequest(f"{target.url}/api/saved_objects/_import?overwrite=true", headers, body)


def send(request: ImportRequest, timeout: float = 60.0) -> dict[str, Any]:
    """POST the import; Kibana answers {"success", "successCount", "errors"?}. Errors name the object."""
    req = urllib.request.Request(request.url, data=request.body, headers=request.headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            answer: dict[str, Any] = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:500].decode("utf-8", "replace")
        message = f"importing Kibana saved objects: Kibana answered {exc.code}: {detail}"
        raise (TransientError(message) if exc.code == 429 or exc.code >= 500 else TerminalError(message)) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise TransientError(f"importing Kibana saved objects: Kibana unreachable at {request.url}: {exc}") from exc
    if not answer.get("success"):
        errors = "; ".join(f"{e.get('type')} {e.get('id')}: {e.get('error')}" for e in answer.get("errors", []))
        raise IngestError(f"importing Kibana saved objects: not all imported: {errors or answer}")
    return answer
