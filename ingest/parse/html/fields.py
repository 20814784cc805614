"""Authors, publisher, section, language, canonical URL and country of a page, from its metadata."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from lxml import etree

from ingest import vocab
from ingest.dates import language_country
from ingest.parse.bylines import split_names, trimmed_name, without_byline_words
from ingest.parse.html import dom
from ingest.parse.html.dom import Element
from ingest.parse.html.metadata import PageMeta, names, person_names, text_value
from ingest.parse.html.titles import alphanumeric_key, split_parts
from ingest.parse.text import byline_line_names
from ingest.parse.urls import url_country
from ingest.parse.wire import canonical_agency

_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
                "byl", "citation_author", "twitter:creator")
_SECTION_META = ("article:section", "og:article:section", "section", "parsely-section", "sailthru.tags",
                 "category", "news_keywords_section")
_COMPANY = re.compile(
    r"\b(?:gmbh|ag|e\.\s?v|ev|e\.\s?g|eg|kg|ltd|llc|inc|plc|s\.a|sa|srl|bv|oy|ab)\b\.?$|^www\.|\.(?:com|de|org|net|ch|at)$",
    re.I,
)


def authors(
    document: Element, page: PageMeta, publisher: str | None, byline_tree: Element | None = None,
    sites: tuple[str, ...] = (), *, story: str = "",
) -> tuple[str, ...]:
    """People who wrote the story, from the first source, in order of trust, that signs it: JSON-LD author,
    each author <meta> in turn, the byline printed in the page (trafilatura's byline rules over `byline_tree`,
    the page as trafilatura reads it), then our own byline selectors. A source that names the site or a
    company (its name, "… GmbH", a domain) says the site signs the story: no author, and no later source is
    asked (but the name of a site whose JSON-LD publisher is a Person is that person's). A source that names
    no one (a handle "@site", an address "https://…", a placeholder "admin", "Unknown") is passed over for
    the next. Where no source names a person, a byline line ("Von Leonora Holling": an opener, a full name
    first) at the head of the `story` text does, or, where the site signs, also a byline element that is such
    a line: a content system fills the author fields with the site by default."""
    person_site = {alphanumeric_key(s) for s in person_names(page.article_value("publisher"))}
    not_people = _site_keys([s for s in (publisher, *sites) if s]) - person_site
    for found in _author_sources(document, page, byline_tree):
        signed = _signatures(found, not_people)
        if signed:
            return _named(signed) or _people(_byline_lines([*_byline_elements(document), *_head(story)]), not_people)
    return _people(_byline_lines(_head(story)), not_people)


def _head(story: str) -> list[str]:
    """The story's first four paragraphs."""
    return story.split("\n\n")[:4]


def _byline_lines(texts: list[str]) -> list[str]:
    """The names of the first of `texts` that is a byline line whose first name is a full name ('Von Leonora
    Holling'; not 'Von Risiken und Nebenwirkungen', 'Von der Redaktion')."""
    for paragraph in texts:
        found = byline_line_names(paragraph) if len(paragraph) < 160 else ()
        if found and len(found[0].split()) >= 2 and all(word[0].isupper() for word in found[0].split()):
            return list(found)
    return []


def _people(found: list[str], not_people: set[str]) -> tuple[str, ...]:
    return _named(_signatures(found, not_people))


def _named(signed: list[str | None]) -> tuple[str, ...]:
    """The people among the signatures (None: the site signs), at most ten."""
    return tuple(name for name in signed if name)[:10]


def _site_keys(site_names: list[str]) -> set[str]:
    """The site's names as an author line prints them (alphanumeric keys): whole, each part between
    separators ('Infoportal - Diakonie Deutschland' → 'Diakonie Deutschland'), a domain also without 'www.'
    and without its top-level label ('Fischerhütte | hejfish.com' → 'hejfish.com', 'hejfish')."""
    keys: set[str] = set()
    for form in {form for name in site_names for form in (name, *split_parts(name))}:
        keys.add(alphanumeric_key(form))
        domain = _DOMAIN.fullmatch(form)
        if domain:
            keys |= {alphanumeric_key(domain["host"]), alphanumeric_key(domain["name"])}
    return keys - {""}


_DOMAIN = re.compile(r"(?:www\.)?(?P<host>(?P<name>[\w-]+(?:\.[\w-]+)*?)\.[a-z]{2,})", re.I)


def _author_sources(document: Element, page: PageMeta, byline_tree: Element | None) -> Iterator[list[str]]:
    """The raw author strings of each source, most trusted first (each computed only when reached)."""
    yield names(page.article_value("author"))
    for key in _AUTHOR_META:
        yield [v for v in page.meta.get(key, ()) if v.strip()]
    if byline_tree is not None:
        yield _printed_byline(byline_tree)
    yield _byline_elements(document)


def _signatures(found: list[str], not_people: set[str]) -> list[str | None]:
    """Who signs in these raw author strings, in order: a person's name, or None for the site or a company;
    names that name no one are left out."""
    out: list[str | None] = []
    for raw in found:
        for name in _split_authors(raw):
            if not name or _no_one(name) or name in out:
                continue
            out.append(None if alphanumeric_key(name) in not_people or _COMPANY.search(name) else name)
    return out


def _printed_byline(tree: Element) -> list[str]:
    """The byline as trafilatura's author rules find it (elements classed author/byline/… outside comments,
    figures and dates), each name as the page prints it: trafilatura's normalised names ('Bo', 'ThE PaiN',
    'Tlow') found back in the element's text ('Bo2man', 'ThE_PaiN', 'tlow'). (trafilatura reads a copy.)"""
    from copy import deepcopy

    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.metadata import extract_metainfo
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    try:  # trafilatura's extract_author, keeping the text it read
        printed = extract_metainfo(prune_unwanted_nodes(deepcopy(tree), AUTHOR_DISCARD_XPATHS), AUTHOR_XPATHS, 120)
        found = normalize_authors(None, printed) if printed else None
    except (etree.ParserError, ValueError, TypeError):
        return []
    return [_as_printed(part, printed or "") for part in (found or "").split("; ") if part.strip()]


def _as_printed(name: str, printed: str) -> str:
    """`name` as `printed` spells it: trafilatura's normalisation turns '.', '_' and '+' into spaces, drops
    colons, cuts a name at its first digit and capitalises a name in lower case; else `name`."""
    words = r"[\s._+:]+".join(re.escape(word) for word in name.split())
    match = re.search(rf"(?<!\w){words}(?:\d[\w.]*)?\.?(?!\w)", printed, re.I)  # the full stop: trimmed_name decides
    return match[0] if match else name


def _byline_elements(document: Element) -> list[str]:
    """The text of the first three elements that are `[rel="author"], [itemprop="author"], .byline a,
    .author-name`, or the name (`fn`) of the author's hCard (`.author.vcard .fn`, as hAtom marks the author of
    an entry; a comment's `.comment-author.vcard` is not the story's), as CSS selects them: class and a link's
    rel are lists of words."""
    found: list[str] = []
    for tag in [el for el in document.xpath(_BYLINE_CANDIDATES) if _byline_element(el)][:3]:
        text = dom.text(tag, " ", strip=True)
        if 2 <= len(text) <= 80:
            found.append(text)
    return found


# a superset of the elements _byline_element accepts, found in C
_BYLINE_CANDIDATES = ("descendant-or-self::*[@rel or @itemprop or contains(@class, 'author-name')"
                      " or (self::a and ancestor::*[contains(@class, 'byline')])"
                      " or (contains(@class, 'fn') and ancestor-or-self::*[contains(@class, 'vcard')])]")


def _byline_element(el: Element) -> bool:
    rel = dom.words(el, "rel")
    if (" ".join(rel) if isinstance(rel, list) else rel) == "author" or el.get("itemprop") == "author":
        return True
    words = dom.classes(el).split()
    if "author-name" in words:
        return True
    if "fn" in words:
        return any({"author", "vcard"} <= set(dom.classes(a).split()) for a in [el, *el.iterancestors()])
    return el.tag == "a" and any("byline" in dom.classes(a).split() for a in el.iterancestors())


def _split_authors(raw: str) -> list[str]:
    raw = raw.strip()
    if raw.startswith(("http://", "https://", "@")) or len(raw) > 120:
        return []
    parts = split_names(without_byline_words(raw))
    return [trimmed_name(without_byline_words(p.lstrip())) for p in parts if len(p.strip()) > 1]


def _no_one(name: str) -> bool:
    """A placeholder ('admin', 'Unknown'), an address ('info@site.de') or a picture credit ('Foto: Jane Doe',
    'zVg'): no one's name."""
    first_word = alphanumeric_key((name.split(maxsplit=1) or [""])[0])
    return alphanumeric_key(name) in _placeholders() or "@" in name or first_word in _picture_credit_words()


@cache
def _placeholders() -> frozenset[str]:
    """Names content systems print where an author should be: ingest/vocab/author_placeholders.txt."""
    return frozenset(alphanumeric_key(name) for name in vocab.entries("author_placeholders"))


@cache
def _picture_credit_words() -> frozenset[str]:
    """Words that open a picture credit: ingest/vocab/picture_credit_words.txt."""
    return frozenset(alphanumeric_key(word) for word in vocab.entries("picture_credit_words"))


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
    return language_country(language(page))
