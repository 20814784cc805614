"""Page metadata as the page states it: JSON-LD objects, <meta> tags, microdata, canonical link, lang.

Collected once into a `PageMeta`; the title, date and field pickers read from it in their order of trust
(JSON-LD, then meta, then page elements).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ingest.parse.html.dom import Element, first, words
from ingest.parse.sniff import nesting_depth

# schema.org types whose JSON-LD object describes the article itself
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
    "techarticle", "scholarlyarticle", "report", "review", "medicalwebpage", "posting", "blog",
})
PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "collectionpage", "videoobject", "event"})


@dataclass
class PageMeta:
    """Everything the page declares about itself, keys lower-cased."""

    articles: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD article objects, page order
    pages: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD WebPage & co.
    orgs: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD Organization / WebSite
    meta: dict[str, list[str]] = field(default_factory=dict)  # name|property|itemprop → contents
    canonical: str | None = None
    lang: str | None = None
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)  # JSON-LD "@id" → object, for references

    def first(self, *names: str) -> str | None:
        """The first non-empty <meta> content among `names` (in the order given)."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value.strip():
                    return value.strip()
        return None

    def article_value(self, key: str) -> Any:
        """`key` of the first JSON-LD article object that has it, else of a WebPage object."""
        for obj in [*self.articles, *self.pages]:
            value = self.resolve(obj.get(key))
            if value not in (None, "", [], {}):
                return value
        return None

    def resolve(self, value: Any) -> Any:
        """A JSON-LD reference ({"@id": "…#/schema/person/1"}, as Yoast writes authors) → the object it names."""
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, dict) and set(value) == {"@id"}:
            return self.nodes.get(str(value["@id"]), value)
        return value


def read_meta(document: Element) -> PageMeta:
    page = PageMeta()
    for obj in _jsonld_objects(document):
        if isinstance(obj.get("@id"), str) and len(obj) > 1:
            page.nodes.setdefault(obj["@id"], obj)
        kinds = {t.lower() for t in _types(obj)}
        if kinds & ARTICLE_TYPES:
            page.articles.append(obj)
        elif kinds & PAGE_TYPES:
            page.pages.append(obj)
        elif kinds & {"organization", "newsmediaorganization", "website", "corporation"}:
            page.orgs.append(obj)
    for tag in document.iter("meta", "link"):
        _read_tag(tag, page)
    html = first(document, "html")
    if html is not None:
        lang = html.get("lang") or html.get("xml:lang")
        page.lang = str(lang).strip() or None if lang else None
    return page


def _read_tag(tag: Element, page: PageMeta) -> None:
    if tag.tag == "link":
        rel = words(tag, "rel") or []
        if "canonical" in rel and tag.get("href") and page.canonical is None:
            page.canonical = str(tag.get("href")).strip() or None
        return
    key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
    content = tag.get("content")
    if key and content is not None:
        page.meta.setdefault(str(key).strip().lower(), []).append(str(content))


_JSONLD = re.compile(r"ld\+json", re.I)


def _jsonld_objects(document: Element) -> Iterator[dict[str, Any]]:
    for script in document.iter("script"):
        if _JSONLD.search(script.get("type") or ""):
            yield from _flatten(_loads(script.text or ""), 0)


_MAX_JSONLD_DEPTH = 100  # schema.org objects nest a few levels; deeper is not metadata (and no recursion)


def _loads(text: str) -> Any:
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    if text.startswith("//<![CDATA["):
        text = text.removeprefix("//<![CDATA[").removesuffix("//]]>")
    if nesting_depth(text) > _MAX_JSONLD_DEPTH:
        return None
    for attempt in (text, re.sub(r",\s*([}\]])", r"\1", text), re.sub(r"[\x00-\x1f]", " ", text)):
        try:
            return json.loads(attempt)
        except (ValueError, RecursionError):
            continue
    return None


def _flatten(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Top-level objects, list items and @graph members (one level of nesting is enough in practice)."""
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)
        if "@type" in data:
            yield data
            main = data.get("mainEntity")
            if isinstance(main, dict) and set(_types(main)) & ARTICLE_TYPES:
                yield main


def _types(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("@type")
    if isinstance(kind, str):
        return [kind.lower()]
    if isinstance(kind, list):
        return [str(k).lower() for k in kind]
    return []


def person_names(value: Any) -> list[str]:
    """The names of the JSON-LD objects in `value` typed Person (also when typed Person and Organization, as
    Yoast writes the owner of a personal site)."""
    objects = value if isinstance(value, list) else [value]
    return [n for obj in objects if isinstance(obj, dict) and "person" in _types(obj) for n in names(obj)]


def names(value: Any) -> list[str]:
    """Person/organization names from a JSON-LD value: "A", {"name": "A"}, ["A", {"name": "B"}]."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        name = value.get("name")
        return names(name) if isinstance(name, str | list) else []
    if isinstance(value, list):
        return [n for item in value for n in names(item)]
    return []


def text_value(value: Any) -> str | None:
    """A plain string from a JSON-LD value that may be a list or a {"@value": ...} object."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value:
        return text_value(value[0])
    if isinstance(value, dict):
        return text_value(value.get("@value") or value.get("name"))
    if isinstance(value, int | float):
        return str(value)
    return None
