"""Authors, publisher, section, language, canonical URL and country of a page, from its metadata."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lxml import etree

from ingest import vocab
from ingest.parse.bylines import without_byline_words
from ingest.parse.html import dom
from ingest.parse.html.dom import Element
from ingest.parse.html.metadata import PageMeta, names, text_value
from ingest.parse.html.titles import alphanumeric_key
from ingest.parse.urls import url_country
from ingest.parse.wire import canonical_agency

_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
                "byl", "citation_author", "twitter:creator")
_SECTION_META = ("article:section", "og:article:section", "section", "parsely-section", "sailthru.tags",
                 "category", "news_keywords_section")
_AUTHOR_SEPARATORS = re.compile(
    r"\s*(?:,|;|\band\b|\bund\b|&|\||\bim gespräch mit\b|\bin conversation with\b)\s*", re.I
)
_COMPANY = re.compile(
    r"\b(?:gmbh|ag|e\.\s?v|ev|kg|ltd|llc|inc|plc|s\.a|sa|srl|bv|oy|ab)\b\.?$|^www\.|\.(?:com|de|org|net|ch|at)$", re.I
)


def authors(
    document: Element, page: PageMeta, publisher: str | None, byline_tree: Element | None = None,
    sites: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """People who wrote the story: JSON-LD author, author <meta>, else the byline printed in the page
    (trafilatura's byline rules over `byline_tree`, the page as trafilatura reads it, then our own
    selectors). The site or a company (its name, "… GmbH", a domain) and placeholders ("admin",
    "Unknown") are not authors."""
    found = names(page.article_value("author"))
    if not found:
        for key in _AUTHOR_META:
            found += [v for v in page.meta.get(key, ()) if v.strip()]
            if found:
                break
    if not found and byline_tree is not None:
        found = _printed_byline(byline_tree)
    if not found:
        found = _byline_elements(document)
    not_people = {alphanumeric_key(s) for s in (publisher, *sites) if s}
    out: list[str] = []
    for raw in found:
        for name in _split_authors(raw):
            if name and name not in out and alphanumeric_key(name) not in not_people and not _not_a_person(name):
                out.append(name)
    return tuple(out[:10])


def _printed_byline(tree: Element) -> list[str]:
    """The byline as trafilatura's author rules find it (elements classed author/byline/… outside comments,
    figures and dates): one string, names separated by "; ". (trafilatura reads a copy of the tree.)"""
    from trafilatura.metadata import extract_author

    try:
        found = extract_author(tree)
    except (etree.ParserError, ValueError, TypeError):
        return []
    return [part for part in (found or "").split("; ") if part.strip()]


def _byline_elements(document: Element) -> list[str]:
    """The text of the first three elements that are `[rel="author"], [itemprop="author"], .byline a,
    .author-name` (as CSS selects them: class and a link's rel are lists of words)."""
    found: list[str] = []
    for tag in [el for el in document.xpath(_BYLINE_CANDIDATES) if _byline_element(el)][:3]:
        text = dom.text(tag, " ", strip=True)
        if 2 <= len(text) <= 80:
            found.append(text)
    return found


# a superset of the elements _byline_element accepts, found in C
_BYLINE_CANDIDATES = ("descendant-or-self::*[@rel or @itemprop or contains(@class, 'author-name')"
                      " or (self::a and ancestor::*[contains(@class, 'byline')])]")


def _byline_element(el: Element) -> bool:
    rel = dom.words(el, "rel")
    if (" ".join(rel) if isinstance(rel, list) else rel) == "author" or el.get("itemprop") == "author":
        return True
    if "author-name" in dom.classes(el).split():
        return True
    return el.tag == "a" and any("byline" in dom.classes(a).split() for a in el.iterancestors())


def _split_authors(raw: str) -> list[str]:
    raw = raw.strip()
    if raw.startswith(("http://", "https://", "@")) or len(raw) > 120:
        return []
    parts = _AUTHOR_SEPARATORS.split(without_byline_words(raw))
    return [re.sub(r"\s+", " ", without_byline_words(p.lstrip())).strip(" .:") for p in parts if len(p.strip()) > 1]


def _not_a_person(name: str) -> bool:
    """A company or a web address ('wegewerk GmbH', 'www.haufe.de'), or a placeholder ('admin')."""
    return bool(_COMPANY.search(name)) or alphanumeric_key(name) in _placeholders() or "@" in name


@cache
def _placeholders() -> frozenset[str]:
    """Names content systems print where an author should be: ingest/vocab/author_placeholders.txt."""
    return frozenset(alphanumeric_key(name) for name in vocab.entries("author_placeholders"))


def publisher(page: PageMeta) -> str | None:
    found = names(page.article_value("publisher"))
    if found:
        return found[0]
    site = page.first("og:site_name", "application-name")
    if site:
        return site
    for org in page.orgs:
        org_names = names(org.get("name"))
        if org_names:
            return org_names[0]
    return None


def agency(found_authors: tuple[str, ...], page: PageMeta) -> str | None:
    """A wire agency named as author or as the JSON-LD sourceOrganization."""
    for name in [*found_authors, *names(page.article_value("sourceOrganization"))]:
        canonical = canonical_agency(name)
        if canonical:
            return canonical
    return None


def section(page: PageMeta) -> tuple[str, ...]:
    value: Any = page.article_value("articleSection")
    found = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v.strip()]
    if not found:
        meta = page.first(*_SECTION_META)
        found = [meta] if meta else []
    return tuple(dict.fromkeys(s.strip() for s in found))[:5]


def language(page: PageMeta) -> str | None:
    value = text_value(page.article_value("inLanguage")) or page.lang
    value = value or page.first("og:locale", "content-language", "language", "dc.language")
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def canonical_url(page: PageMeta, fallback: str | None) -> str | None:
    candidates = [page.canonical, page.first("og:url"), text_value(page.article_value("url")), fallback]
    for cand in candidates:
        if cand and cand.startswith(("http://", "https://")):
            return cand
    return None


def country_hint(url: str | None, page: PageMeta) -> str | None:
    """ISO country: the host's country-code TLD, else a locale's region ('en_IN', lang="de-AT"), else a
    language spoken on one clock ('de' → DE: Germany, Austria and Switzerland share their offset)."""
    if (country := url_country(url)) is not None:
        return country
    for locale in (page.first("og:locale"), page.lang, text_value(page.article_value("inLanguage"))):
        match = re.fullmatch(r"([a-z]{2})[-_]([A-Za-z]{2})", (locale or "").strip())
        if match:
            return match[2].upper()
    return _ONE_CLOCK_LANGUAGES.get(language(page) or "")


# languages whose readers (nearly) all live on one UTC offset
_ONE_CLOCK_LANGUAGES = {"de": "DE", "it": "IT", "nl": "NL", "pl": "PL", "cs": "CZ", "ja": "JP", "ko": "KR",
                        "da": "DK", "sv": "SE", "fi": "FI", "el": "GR", "hu": "HU", "tr": "TR", "uk": "UA"}
