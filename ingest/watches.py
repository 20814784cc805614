"""Watches: saved searches kept in Elasticsearch (`<alias>-watches`), one document per watch, its id the
watch's name (docs/architecture.md, "Watchlists and alerts").

A watch is a query in the syntax of `ingest search` with the same filters, and where to tell its owner
(a webhook URL, e-mail addresses). How a query and filters become an Elasticsearch query lives in
`ingest.search` only: `Watch.request()` builds the `SearchRequest` and `search.query` does the rest.
A watch can be added before the alias's first run: its indices are created here when missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan

from ingest import index, search
from ingest.config import Settings
from ingest.errors import IngestError, TerminalError
from ingest.notify import redact_url

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
# The filters of `ingest search` a watch may carry: every SearchRequest field but the query and how results
# are shown (so a filter search gains, such as a language, is a watch filter too).
PRESENTATION = {"query", "size", "sort", "facets", "facet_size", "collapse", "tags", "fragments"}
FILTERS = tuple(f.name for f in fields(search.SearchRequest) if f.name not in PRESENTATION)


@dataclass(frozen=True)
class Watch:
    name: str
    query: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)  # SearchRequest field → value (lists as lists)
    webhook: str | None = None
    email: tuple[str, ...] = ()
    created_at: str | None = None

    def request(self) -> search.SearchRequest:
        """The watch as the search it saves (validated: a bad date says which watch)."""
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in self.filters.items()
                                  if k in FILTERS}
        req = search.SearchRequest(query=self.query or None, **values)
        try:
            search.filters(req)
        except IngestError as exc:
            raise TerminalError(f"watch {self.name}: {exc}") from exc
        return req

    def es_query(self) -> dict[str, Any]:
        return search.query(self.request())

    @property
    def channels(self) -> tuple[str, ...]:
        return (("webhook",) if self.webhook else ()) + (("email",) if self.email else ())

    def to_doc(self) -> dict[str, Any]:
        return {"name": self.name, "query": self.query, "filters": self.filters, "webhook": self.webhook,
                "email": list(self.email), "created_at": self.created_at}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Watch:
        return cls(name=str(doc["name"]), query=doc.get("query"), filters=dict(doc.get("filters") or {}),
                   webhook=doc.get("webhook"), email=tuple(doc.get("email") or ()), created_at=doc.get("created_at"))

    def shown(self) -> dict[str, Any]:
        """For listings and logs: the webhook URL redacted."""
        doc = self.to_doc()
        doc["webhook"] = redact_url(self.webhook) if self.webhook else None
        return doc


def make_watch(name: str, query: str | None, filters: Mapping[str, Any], webhook: str | None,
               email: tuple[str, ...]) -> Watch:
    """A validated watch; a bad name, address, URL or filter is a TerminalError saying which and why."""
    if not NAME.fullmatch(name):
        raise TerminalError(f"watch name {name!r}: use letters, digits, '_', '.', '-' (up to 100, first a letter "
                            "or digit)")
    if webhook and not re.match(r"https?://[^/\s]+", webhook):
        raise TerminalError(f"watch {name}: webhook {redact_url(webhook)} is not an http(s) URL")
    bad = [a for a in email if not EMAIL.fullmatch(a)]
    if bad:
        raise TerminalError(f"watch {name}: not an e-mail address: {', '.join(bad)}")
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise TerminalError(f"watch {name}: unknown filter(s) {', '.join(unknown)} (known: {', '.join(FILTERS)})")
    kept = {k: list(v) if isinstance(v, tuple | list) else v for k, v in filters.items() if v not in (None, (), [])}
    watch = Watch(name=name, query=query or None, filters=kept, webhook=webhook or None, email=email,
                  created_at=datetime.now(UTC).isoformat())
    watch.request()
    return watch


def ensure_indices(es: Elasticsearch, settings: Settings) -> None:
    index.ensure_plain_indices(es, index.watch_indices(settings))


def add(es: Elasticsearch, settings: Settings, watch: Watch, *, wait: bool = True) -> bool:
    """Store the watch (replacing one of the same name, keeping its creation time); True if it is new. With
    `wait`, return once searches see it."""
    ensure_indices(es, settings)
    with index.classified_errors(f"storing watch {watch.name}"):
        old = es.options(ignore_status=404).get(index=settings.watches_index, id=watch.name)
        doc = watch.to_doc()
        if old.get("found"):
            doc["created_at"] = old["_source"].get("created_at") or doc["created_at"]
        doc["updated_at"] = datetime.now(UTC).isoformat()
        es.index(index=settings.watches_index, id=watch.name, document=doc, refresh="wait_for" if wait else False)
    return not old.get("found")


def remove(es: Elasticsearch, settings: Settings, name: str) -> bool:
    """Delete the watch (its alerts stay, as a record); False when there was none."""
    with index.classified_errors(f"removing watch {name}"):
        found = es.options(ignore_status=404).delete(index=settings.watches_index, id=name, refresh="wait_for")
    return bool(found.get("result") == "deleted")


def all_watches(es: Elasticsearch, settings: Settings) -> Iterator[Watch]:
    """Every watch, by name; none when the index does not exist yet."""
    with index.classified_errors("reading watches"):
        if not es.indices.exists(index=settings.watches_index):
            return
        hits = scan(es, index=settings.watches_index, query={"query": {"match_all": {}}, "sort": [{"name": "asc"}]},
                    size=1000, preserve_order=True)
        for hit in hits:
            yield Watch.from_doc(hit["_source"])
