"""Authors, publisher, section, language, canonical URL and country of a page, from its metadata."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from ingest.parse.html.metadata import PageMeta, names, text_value
from ingest.parse.wire import canonical_agency

_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
                "byl", "citation_author", "twitter:creator")
_SECTION_META = ("article:section", "og:article:section", "section", "parsely-section", "sailthru.tags",
                 "category", "news_keywords_section")
_BY = re.compile(r"^\s*(?:by|von|par|por|di|door|av)\s+", re.I)
# country-code TLDs that are used as generic names and say nothing about the publisher's country
_GENERIC_TLDS = frozenset({"co", "io", "tv", "me", "fm", "ai", "ly", "cc", "ws", "to", "app", "am", "gg"})


def authors(soup: BeautifulSoup, page: PageMeta, publisher: str | None) -> tuple[str, ...]:
    found = names(page.article_value("author"))
    if not found:
        for key in _AUTHOR_META:
            found += [v for v in page.meta.get(key, ()) if v.strip()]
            if found:
                break
    if not found:
        found = _byline_elements(soup)
    out: list[str] = []
    for raw in found:
        for name in _split_authors(raw):
            if name and name != publisher and name not in out:
                out.append(name)
    return tuple(out[:10])


def _byline_elements(soup: BeautifulSoup) -> list[str]:
    found: list[str] = []
    for tag in soup.select('[rel="author"], [itemprop="author"], .byline a, .author-name', limit=3):
        if isinstance(tag, Tag):
            text = tag.get_text(" ", strip=True)
            if 2 <= len(text) <= 80:
                found.append(text)
    return found


def _split_authors(raw: str) -> list[str]:
    raw = raw.strip()
    if raw.startswith(("http://", "https://", "@")) or len(raw) > 120:
        return []
    raw = _BY.sub("", raw)
    parts = re.split(r"\s*(?:,|;|\band\b|\bund\b|&|\|)\s*", raw)
    return [re.sub(r"\s+", " ", p).strip(" .") for p in parts if len(p.strip()) > 1]


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


def url_country(url: str | None) -> str | None:
    """'https://www.example.co.uk/…' → 'GB': the country of the host's country-code top-level domain."""
    host = urlsplit(url or "").hostname or ""
    tld = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    if len(tld) == 2 and tld not in _GENERIC_TLDS:
        return "GB" if tld == "uk" else tld.upper()
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
