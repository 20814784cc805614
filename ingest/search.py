"""What analysts get from `ingest search` (docs/architecture.md, "Search"): the request is built here,
the command line only parses arguments and prints.

    result = search(es, "articles", SearchRequest(query='attacked "suicide bomber" -Kabul', facets=True))

The query language is Elasticsearch's `simple_query_string` with a safe set of operators: `+` / `|` (and /
or), `-` (not), `"…"` (phrase), `( )`, `*` (prefix); no fuzzy or slop operators, and a malformed query never
raises (the parser ignores what it cannot read). Words are matched stemmed (hunspell en_US, "attacked" finds
"attack"); a quoted phrase is matched on the `.exact` sub-fields, so "bomber attacked" stays exact. Articles in
the other languages of `ingest.languages` are also matched stemmed in their own language ("Haus" finds
"Häuser" in a German article; there a quoted phrase matches the stemmed words too); `language` keeps one
language's articles and searches its fields only.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from elasticsearch import Elasticsearch

from ingest.errors import IngestError
from ingest.index import classified_errors
from ingest.languages import (
    ANALYSED_FIELDS,
    OWN_FIELDS,
    copy_field,
    primary_language,
    search_fields,
    stemmed_language,
)

Sort = Literal["relevance", "date"]

TEXT_FIELDS = ("title^3", "lead^2", "body", "entity_names^2", "publisher.text", "dateline.text")
QUERY_FLAGS = "AND|OR|NOT|PHRASE|PRECEDENCE|WHITESPACE|ESCAPE|PREFIX"
BOOSTS = {"title": "^3", "lead": "^2"}  # of the per-language copies, as of the fields they copy
HIGHLIGHT_FIELDS = ("title", "lead", "body")
FILTER_FIELDS = {
    "person": "entities.person", "organization": "entities.organization",
    "location": "entities.location", "publisher": "publisher",
}
FACET_FIELDS = {
    "people": "entities.person", "organisations": "entities.organization",
    "places": "entities.location", "publishers": "publisher", "languages": "language",
}
# not shown in hits; the per-language copies are not stored by the current template, but an index made from an
# older one (schema 2, `dynamic: false`) keeps them in `_source` until `ingest reindex`
HIDDEN_FIELDS = ["mentioned_ranges", "story_bands", "story_signature",
                 *(copy_field(f, code) for code in OWN_FIELDS for f in ANALYSED_FIELDS)]


@dataclass(frozen=True)
class SearchRequest:
    query: str | None = None
    person: tuple[str, ...] = ()
    organization: tuple[str, ...] = ()
    location: tuple[str, ...] = ()
    publisher: tuple[str, ...] = ()
    since: str | None = None  # published on or after (YYYY[-MM[-DD]])
    until: str | None = None  # published on or before
    mentions: str | None = None  # mentions a day inside YYYY[-MM[-DD]] or A..B
    language: str | None = None  # ISO 639-1 ("de"): only articles in it ("de-AT" counts)
    size: int = 10
    sort: Sort | None = None  # None: by relevance with a query, by date without
    facets: bool = False
    facet_size: int = 10
    collapse: bool = False  # one article per story_id
    tags: tuple[str, str] = ("<em>", "</em>")  # around highlighted words
    fragments: int = 3


@dataclass(frozen=True)
class Hit:
    article: dict[str, Any]
    highlight: dict[str, list[str]] = field(default_factory=dict)
    story_size: int | None = None  # with collapse: how many indexed articles share this story


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    stories: int | None = None  # with collapse: distinct stories in the result set

    def to_json(self) -> dict[str, Any]:
        """{"total", "hits": [article + "highlight"], "facets"?, "stories"?} — the `--json` shape."""
        hits = []
        for hit in self.hits:
            doc = dict(hit.article)
            if hit.highlight:
                doc["highlight"] = hit.highlight
            if hit.story_size is not None:
                doc["story_size"] = hit.story_size
            hits.append(doc)
        out: dict[str, Any] = {"total": self.total, "hits": hits}
        if self.facets:
            out["facets"] = {k: [{"value": v, "count": n} for v, n in rows] for k, rows in self.facets.items()}
        if self.stories is not None:
            out["stories"] = self.stories
        return out


def date_range(text: str) -> tuple[str, str]:
    """'2019' / '2019-02' / '2019-02-14' / 'A..B' → (gte, lt) as ISO dates."""
    if ".." in text:
        first, _, last = text.partition("..")
        return date_range(first)[0], date_range(last)[1]
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not match:
        raise IngestError(f"not a date: {text!r} (use YYYY, YYYY-MM, YYYY-MM-DD or A..B)")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    try:
        if day:
            start = date(year, month, day)
            end = start + timedelta(days=1)
        elif month:
            start = date(year, month, 1)
            end = start + timedelta(days=calendar.monthrange(year, month)[1])
        else:
            start, end = date(year, 1, 1), date(year + 1, 1, 1)
    except ValueError as exc:
        raise IngestError(f"not a date: {text!r} ({exc})") from exc
    return start.isoformat(), end.isoformat()


def text_query(text: str, language: str | None = None) -> dict[str, Any]:
    """Every term in any text field: the English-stemmed fields and the copies stemmed in `language`, or in
    every language when it is None (a copy exists only in its own language's articles)."""
    fields = [*TEXT_FIELDS, *search_fields(stemmed_language(language), BOOSTS)]
    return {"simple_query_string": {
        "query": text, "default_operator": "and", "fields": fields,
        "flags": QUERY_FLAGS, "quote_field_suffix": ".exact", "lenient": True,
    }}


def filters(req: SearchRequest) -> list[dict[str, Any]]:
    """Entity / publisher filters (keyword, or the phrase inside the name), published and mentioned dates."""
    out: list[dict[str, Any]] = []
    for name, fld in FILTER_FIELDS.items():
        for value in getattr(req, name):
            out.append({"bool": {"should": [{"term": {fld: value}}, {"match_phrase": {f"{fld}.text": value}}],
                                 "minimum_should_match": 1}})
    published: dict[str, str] = {}
    if req.since:
        published["gte"] = date_range(req.since)[0]
    if req.until:
        published["lt"] = date_range(req.until)[1]
    if published:
        out.append({"range": {"published_at": published}})
    if req.mentions:
        gte, lt = date_range(req.mentions)
        out.append({"range": {"mentioned_ranges": {"gte": gte, "lt": lt, "relation": "intersects"}}})
    if req.language:
        out.append(language_filter(req.language))
    return out


def language_filter(language: str) -> dict[str, Any]:
    """Articles in `language` ("de"), declared as a bare code or with a region ("de-AT", "de_CH")."""
    code = primary_language(language) or language
    return {"bool": {"should": [{"term": {"language": code}}, {"prefix": {"language": f"{code}-"}},
                                {"prefix": {"language": f"{code}_"}}], "minimum_should_match": 1}}


def query(req: SearchRequest) -> dict[str, Any]:
    must = [text_query(req.query, req.language)] if req.query else [{"match_all": {}}]
    return {"bool": {"must": must, "filter": filters(req)}}


def highlight(req: SearchRequest) -> dict[str, Any]:
    """Fragments from the stemmed field, its exact sub-field and its copies in other languages alike (a phrase
    matches `.exact`, "Haus" marks "Häuser" through `body_de`)."""
    fields = {f: {"matched_fields": [f, f"{f}.exact", *(copy_field(f, code) for code in OWN_FIELDS)],
                  "number_of_fragments": 0 if f == "title" else req.fragments}
              for f in HIGHLIGHT_FIELDS}
    return {"type": "unified", "pre_tags": [req.tags[0]], "post_tags": [req.tags[1]], "fragment_size": 160,
            "order": "score",
            "max_analyzed_offset": 1_000_000, "fields": fields}


def request_body(req: SearchRequest) -> dict[str, Any]:
    """The whole search request (keyword arguments of `Elasticsearch.search`)."""
    by_date = req.sort == "date" or (req.sort is None and not req.query)
    body: dict[str, Any] = {
        "query": query(req), "size": req.size, "track_total_hits": True,
        "source_excludes": HIDDEN_FIELDS,
        "sort": [{"published_at": {"order": "desc", "missing": "_last"}}, "_score"] if by_date else None,
    }
    if req.query:
        body["highlight"] = highlight(req)
    aggs: dict[str, Any] = {}
    if req.facets:
        aggs.update({name: {"terms": {"field": fld, "size": req.facet_size}} for name, fld in FACET_FIELDS.items()})
    if req.collapse:
        body["collapse"] = {"field": "story_id", "inner_hits": {"name": "story", "size": 0}}
        aggs["stories"] = {"cardinality": {"field": "story_id"}}
    if aggs:
        body["aggs"] = aggs
    return body


def search(es: Elasticsearch, alias: str, req: SearchRequest) -> SearchResult:
    with classified_errors(f"searching {alias}"):
        response = es.search(index=alias, **request_body(req))
    return parse_response(response, req)


def parse_response(response: Any, req: SearchRequest) -> SearchResult:
    hits = [Hit(hit["_source"], dict(hit.get("highlight") or {}), _story_size(hit) if req.collapse else None)
            for hit in response["hits"]["hits"]]
    aggs = response.get("aggregations") or {}
    facets = {name: [(str(b["key"]), int(b["doc_count"])) for b in aggs[name]["buckets"]]
              for name in FACET_FIELDS if name in aggs}
    stories = int(aggs["stories"]["value"]) if "stories" in aggs else None
    return SearchResult(int(response["hits"]["total"]["value"]), hits, facets, stories)


def _story_size(hit: dict[str, Any]) -> int:
    return int(hit.get("inner_hits", {}).get("story", {}).get("hits", {}).get("total", {}).get("value", 1))
