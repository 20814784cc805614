"""Writes `articles.ndjson`, the Kibana saved objects `ingest kibana import` loads (docs/architecture.md).

    .venv/bin/python ingest/mappings/kibana/build.py     # after changing a visualisation here

Kibana keeps visualisation state as JSON strings inside JSON; writing them by hand invites mistakes, so
they are built here from plain dicts. Objects (ids are stable, import overwrites them):
- data views `news-articles` (the alias, time field `published_at`, field formats, heavy fields hidden),
  `news-ledger` (time `updated_at`), `news-runs` (time `started_at`) and `news-alerts` (the watches' alerts,
  time `matched_at`);
- saved search `news-articles-latest` (useful columns, newest first);
- dashboard `news-dashboard` "News": articles over time, top people / organisations / places,
  publishers, languages, quality flags, a map of locations (`locations_geo.location`), alerts by watch and
  delivery; its free-text search reaches every language's stemmed copies (`body_de`, …: the data view's
  default, all fields);
- dashboard `ingestion-dashboard` "Ingestion": runs over time (indexed and rejected files per run),
  files by state, rejected files by kind (`kind`: stable, it groups) and stage, and each kind's commonest
  reasons (`reason`: words for people, with sizes and paths, so it does not group by itself).
Aggregation-based visualisations and a Maps map: both import into Kibana 8 and 9 and are migrated there.
tests/test_kibana.py checks every field named here against the real index mappings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ARTICLES, LEDGER, RUNS, ALERTS = "news-articles", "news-ledger", "news-runs", "news-alerts"
INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"


def data_view(view_id: str, title: str, name: str, *, time_field: str, formats: dict[str, Any],
              hidden: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "index-pattern", "id": view_id, "attributes": {
        "title": title, "name": name, "timeFieldName": time_field,
        "fieldFormatMap": json.dumps(formats), "sourceFilters": json.dumps([{"value": f} for f in hidden]),
    }, "references": [], "managed": False, "coreMigrationVersion": "8.8.0", "typeMigrationVersion": "8.0.0"}


def search_source(query: str = "") -> dict[str, str]:
    return {"searchSourceJSON": json.dumps({"query": {"query": query, "language": "kuery"}, "filter": [],
                                            "indexRefName": INDEX_REF})}


def terms(agg_id: str, field: str, size: int, schema: str = "segment", label: str = "") -> dict[str, Any]:
    return {"id": agg_id, "enabled": True, "type": "terms", "schema": schema, "params": {
        "field": field, "size": size, "order": "desc", "orderBy": "1", "otherBucket": False,
        "missingBucket": False, **({"customLabel": label} if label else {})}}


def count(label: str = "Articles") -> dict[str, Any]:
    return {"id": "1", "enabled": True, "type": "count", "schema": "metric", "params": {"customLabel": label}}


def total(agg_id: str, field: str, label: str) -> dict[str, Any]:
    return {"id": agg_id, "enabled": True, "type": "sum", "schema": "metric",
            "params": {"field": field, "customLabel": label}}


def over_time(field: str) -> dict[str, Any]:
    return {"id": "2", "enabled": True, "type": "date_histogram", "schema": "segment", "params": {
        "field": field, "interval": "auto", "min_doc_count": 1, "extended_bounds": {}}}


def bar_params(metrics: tuple[str, ...] = ("1",)) -> dict[str, Any]:
    """A vertical bar chart of the metric aggregations with these ids, stacked."""
    return {
        "type": "histogram", "addTooltip": True, "addLegend": len(metrics) > 1, "legendPosition": "right",
        "grid": {"categoryLines": False},
        "categoryAxes": [{"id": "CategoryAxis-1", "type": "category", "position": "bottom", "show": True,
                          "scale": {"type": "linear"}, "labels": {"show": True, "truncate": 100}, "title": {}}],
        "valueAxes": [{"id": "ValueAxis-1", "name": "LeftAxis-1", "type": "value", "position": "left",
                       "show": True, "scale": {"type": "linear", "mode": "normal"},
                       "labels": {"show": True, "rotate": 0, "filter": False, "truncate": 100}, "title": {}}],
        "seriesParams": [{"show": True, "type": "histogram", "mode": "stacked", "data": {"id": metric},
                          "valueAxis": "ValueAxis-1"} for metric in metrics],
        "times": [], "addTimeMarker": False,
    }


TABLE = {"perPage": 10, "showPartialRows": False, "showMetricsAtAllLevels": False, "showTotal": False,
         "totalFunc": "sum", "percentageCol": ""}
PIE = {"type": "pie", "addTooltip": True, "addLegend": True, "legendPosition": "right", "isDonut": True,
       "labels": {"show": True, "values": True, "last_level": True, "truncate": 100}}


def visualisation(vis_id: str, title: str, vis_type: str, *, params: dict[str, Any],
                  aggs: list[dict[str, Any]], view: str, query: str = "") -> dict[str, Any]:
    state = {"title": title, "type": vis_type, "params": params, "aggs": aggs}
    return {"type": "visualization", "id": vis_id, "attributes": {
        "title": title, "description": "", "visState": json.dumps(state), "uiStateJSON": "{}", "version": 1,
        "kibanaSavedObjectMeta": search_source(query),
    }, "references": [{"name": INDEX_REF, "type": "index-pattern", "id": view}], "managed": False}


def places_map(map_id: str) -> dict[str, Any]:
    layers = [
        {"id": "basemap", "type": "EMS_VECTOR_TILE", "label": None, "visible": True, "alpha": 1,
         "minZoom": 0, "maxZoom": 24, "sourceDescriptor": {"type": "EMS_TMS", "isAutoSelect": True},
         "style": {"type": "EMS_VECTOR_TILE"}},
        {"id": "places", "type": "GEOJSON_VECTOR", "label": "Places mentioned", "visible": True, "alpha": 0.75,
         "minZoom": 0, "maxZoom": 24, "joins": [],
         "sourceDescriptor": {"type": "ES_GEO_GRID", "id": "places-grid", "geoField": "locations_geo.location",
                              "requestType": "point", "resolution": "COARSE", "metrics": [{"type": "count"}],
                              "applyGlobalQuery": True, "applyGlobalTime": True,
                              "indexPatternRefName": "layer_1_source_index_pattern"},
         "style": {"type": "VECTOR", "properties": {}, "isTimeAware": True}},
    ]
    state = {"zoom": 1.4, "center": {"lon": 20, "lat": 25}, "timeFilters": {"from": "now-30y", "to": "now"},
             "refreshConfig": {"isPaused": True, "interval": 0}, "query": {"query": "", "language": "kuery"},
             "filters": [], "settings": {}}
    return {"type": "map", "id": map_id, "attributes": {
        "title": "News: places mentioned", "description": "Locations of the articles (locations_geo)",
        "layerListJSON": json.dumps(layers), "mapStateJSON": json.dumps(state), "uiStateJSON": "{}",
    }, "references": [{"name": "layer_1_source_index_pattern", "type": "index-pattern", "id": ARTICLES}],
        "managed": False}


def dashboard(dash_id: str, title: str, panels: list[tuple[str, str, int, int, int, int]],
              time_from: str) -> dict[str, Any]:
    """panels: (type, id, x, y, w, h) on Kibana's 48-column grid."""
    panel_json = [{"panelIndex": str(i), "gridData": {"x": x, "y": y, "w": w, "h": h, "i": str(i)},
                   "embeddableConfig": {"enhancements": {}}, "panelRefName": f"panel_{i}"}
                  for i, (_, _, x, y, w, h) in enumerate(panels)]
    return {"type": "dashboard", "id": dash_id, "attributes": {
        "title": title, "description": "", "panelsJSON": json.dumps(panel_json),
        "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "hidePanelTitles": False}),
        "timeRestore": True, "timeFrom": time_from, "timeTo": "now",
        "refreshInterval": {"pause": True, "value": 0},
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"},
                                                                  "filter": []})},
    }, "references": [{"name": f"panel_{i}", "type": kind, "id": ref} for i, (kind, ref, *_) in enumerate(panels)],
        "managed": False}


def objects() -> list[dict[str, Any]]:
    hidden = ("story_bands", "story_signature", "mentioned_ranges", "entity_mentions")
    views = [
        data_view(ARTICLES, "articles", "News articles", time_field="published_at", hidden=hidden, formats={
            "url": {"id": "url", "params": {"type": "a", "labelTemplate": "{{value}}"}},
            "source.url": {"id": "url", "params": {"type": "a"}},
            "word_count": {"id": "number", "params": {"pattern": "0,0"}},
            "published_at": {"id": "date", "params": {"pattern": "YYYY-MM-DD HH:mm Z"}},
        }),
        data_view(LEDGER, "articles-ledger", "Ingestion ledger (one document per file)", time_field="updated_at",
                  formats={"size": {"id": "bytes", "params": {}}}),
        data_view(RUNS, "articles-runs", "Ingestion runs", time_field="started_at", formats={}),
        data_view(ALERTS, "articles-alerts", "Watch alerts (one document per watch and story)",
                  time_field="matched_at", formats={
                      "url": {"id": "url", "params": {"type": "a", "labelTemplate": "{{value}}"}},
                      "published_at": {"id": "date", "params": {"pattern": "YYYY-MM-DD HH:mm Z"}}}),
    ]
    latest = {"type": "search", "id": "news-articles-latest", "attributes": {
        "title": "News articles: latest", "description": "",
        "columns": ["title", "publisher", "language", "entities.person", "entities.organization",
                    "entities.location", "story_id", "quality.flags"],
        "sort": [["published_at", "desc"]], "kibanaSavedObjectMeta": search_source(),
    }, "references": [{"name": INDEX_REF, "type": "index-pattern", "id": ARTICLES}], "managed": False}
    tops = (("people", "entities.person"), ("organisations", "entities.organization"),
            ("places", "entities.location"), ("publishers", "publisher"))
    news = [
        visualisation("news-over-time", "Articles over time", "histogram", params=bar_params(),
                      aggs=[count(), over_time("published_at")], view=ARTICLES),
        *(visualisation(f"news-top-{name}", f"Top {name}", "table", params=TABLE, view=ARTICLES,
                        aggs=[count(), terms("2", field, 15, "bucket", name.capitalize())]) for name, field in tops),
        visualisation("news-quality-flags", "Quality flags", "pie", params=PIE, view=ARTICLES,
                      aggs=[count(), terms("2", "quality.flags", 10)]),
        visualisation("news-languages", "Languages", "pie", params=PIE, view=ARTICLES,
                      aggs=[count(), terms("2", "language", 12)]),
        places_map("news-places-map"),
        visualisation("news-alerts-by-watch", "Alerts by watch and delivery", "table", params=TABLE, view=ALERTS,
                      aggs=[count("Stories"), terms("2", "watch", 25, "bucket", "Watch"),
                            terms("3", "status", 5, "bucket", "Delivery")]),
    ]
    ingestion = [
        visualisation("ingestion-runs-over-time", "Runs over time: files indexed and rejected", "histogram",
                      params=bar_params(("1", "3")), view=RUNS,
                      aggs=[total("1", "counts.indexed_files", "Files indexed"), over_time("started_at"),
                            total("3", "counts.rejected", "Files rejected")]),
        visualisation("ingestion-files-by-state", "Files by state", "pie", params=PIE, view=LEDGER,
                      aggs=[count("Files"), terms("2", "state", 10)]),
        visualisation("ingestion-rejected-by-kind", "Rejected files by kind", "table", params=TABLE,
                      view=LEDGER, query='state : "rejected"',
                      aggs=[count("Files"), terms("2", "kind", 40, "bucket", "Kind"),
                            terms("3", "stage", 10, "bucket", "Stage")]),
        visualisation("ingestion-rejected-by-reason", "Rejected files: each kind's commonest reasons", "table",
                      params=TABLE, view=LEDGER, query='state : "rejected"',
                      aggs=[count("Files"), terms("2", "kind", 40, "bucket", "Kind"),
                            terms("3", "reason.keyword", 3, "bucket", "Reason")]),
    ]
    news_panels = [("visualization", "news-over-time", 0, 0, 48, 12), ("map", "news-places-map", 0, 12, 28, 20),
                   ("visualization", "news-top-places", 28, 12, 20, 20),
                   ("visualization", "news-top-people", 0, 32, 16, 16),
                   ("visualization", "news-top-organisations", 16, 32, 16, 16),
                   ("visualization", "news-top-publishers", 32, 32, 16, 16),
                   ("visualization", "news-quality-flags", 0, 48, 12, 14),
                   ("visualization", "news-languages", 12, 48, 12, 14),
                   ("search", "news-articles-latest", 24, 48, 24, 14),
                   ("visualization", "news-alerts-by-watch", 0, 62, 48, 14)]
    ingestion_panels = [("visualization", "ingestion-runs-over-time", 0, 0, 48, 14),
                        ("visualization", "ingestion-files-by-state", 0, 14, 16, 16),
                        ("visualization", "ingestion-rejected-by-kind", 16, 14, 32, 16),
                        ("visualization", "ingestion-rejected-by-reason", 0, 30, 48, 16)]
    return [*views, latest, *news, *ingestion,
            dashboard("news-dashboard", "News", news_panels, "now-30y"),
            dashboard("ingestion-dashboard", "Ingestion", ingestion_panels, "now-7d")]


def main() -> None:
    lines = [json.dumps(obj, ensure_ascii=False, sort_keys=True) for obj in objects()]
    (HERE / "articles.ndjson").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
