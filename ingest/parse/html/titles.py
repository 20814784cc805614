"""The headline of a page, without the site name that <title> and og:title often carry.

Candidates in order of trust: JSON-LD headline, og:title / twitter:title / other title metas, <title>.
The page's own <h1> confirms a candidate: when an <h1> equals a candidate (or one part of it, or a run of
adjacent parts, once split at " | ", " - ", " › " …; or nearly equals one part: another encoding), that <h1>
is the title (the longest, when section
and headline are both headings). A candidate of three words or more that is one part of a heading
("Press release: Headline") is confirmed too. Site names are known from og:site_name, the JSON-LD
publisher and the host name; a leading or trailing part that names the site or a content system's stock
label ("Blog Archive") is dropped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from difflib import SequenceMatcher
from functools import cache
from urllib.parse import urlsplit

from ingest import vocab
from ingest.parse.html import dom
from ingest.parse.html.dom import Element
from ingest.parse.html.metadata import PageMeta, names, text_value
from ingest.parse.urls import host_names

_SEPARATORS = re.compile(r"\s+(?:[|\-–—·»«›‹/•~]|::)\s+|\s*\|\s*")
_PARTS = re.compile(r"\s+(?:[|\-–—·»«›‹/•~:]|::)\s+|\s*\|\s*|(?<=\w):\s+")  # for <h1> confirmation only
_KICKER = re.compile(r"kicker|dachzeile|topline|overline|roofline|eyebrow|supertitle|h5|label", re.I)
_HIDDEN = re.compile(r"visually-hidden|sr-only|screen-reader|invisible|hidden", re.I)
_SITE_HEADING = re.compile(r"site-?title|site-?name|logo|brand|blog-?title|masthead", re.I)
_TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "title", "sailthru.title",
               "parsely-title", "headline")
_MAX_TITLE = 400


def site_names(page: PageMeta, url: str | None) -> list[str]:
    """Names the site goes by: og:site_name, application-name, JSON-LD publisher, host labels."""
    found = [page.first("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site") or ""]
    found += names(page.article_value("publisher"))
    for org in page.orgs:
        found += names(org.get("name"))
    found += host_names(url)
    return [s.lstrip("@").strip() for s in found if s and s.strip()]


def pick_title(document: Element, page: PageMeta, url: str | None) -> str | None:
    sites = site_names(page, url)
    candidates = _candidates(document, page)
    headings, site_headings = _headings(document)
    sites += site_headings
    for cand in candidates:
        parts = [cand, strip_site(cand, sites), *runs(cand), *split_parts(cand)]
        folded = {alphanumeric_key(p) for p in parts if p}
        confirmed = [heading for heading in headings if alphanumeric_key(heading) in folded]
        if confirmed:  # 'Section - Headline' with both as headings on the page: the longer is the story's
            return max(confirmed, key=len)
    for cand in candidates:  # one part of it is the <h1> as the page prints it (another encoding, a typo)
        parts = split_parts(cand)
        near = [h for h in headings for p in parts if len(parts) > 1 and _alike(p, h)]
        if near:
            return near[0]
    heading_parts = {alphanumeric_key(p) for h in headings for p in [*runs(h), *split_parts(h)]}
    for cand in candidates:  # the heading carries a label the metas leave out ('Press release: Headline')
        if len(cand.split()) >= 3 and alphanumeric_key(cand) in heading_parts:
            return cand
    for cand in candidates:
        stripped = strip_site(cand, sites)
        if stripped:
            return stripped
    return headings[0] if headings else None


def _candidates(document: Element, page: PageMeta) -> list[str]:
    found = [text_value(page.article_value("headline")), text_value(page.article_value("name"))]
    found += [page.first(name) for name in _TITLE_META]
    title = dom.first(document, "title")
    if title is not None:
        found.append(dom.text(title, " ", strip=True))
    out: list[str] = []
    for raw in found:
        cand = _clean(raw or "")
        if cand and len(cand) <= _MAX_TITLE and cand not in out:
            out.append(cand)
    return out


def _headings(document: Element) -> tuple[list[str], list[str]]:
    """<h1> texts (inside <article>/<main> first), then <h2>/<h3> of an article as weaker confirmation;
    and the texts of headings that name the site (a link home, a site-title/logo class)."""
    found: list[str] = []
    sites: list[str] = []
    scopes = [s for s in (dom.first(document, "article"), dom.first(document, "main")) if s is not None]
    tags = [t for scope in [*scopes, document] for t in dom.descendants(scope, "h1", limit=5)]
    tags += [t for scope in scopes for t in dom.descendants(scope, "h2", "h3", limit=3)]
    for tag in tags:
        text = _heading_text(tag)
        if not text or len(text) > _MAX_TITLE:
            continue
        if _names_home(tag):
            sites.append(text)
        elif text not in found:
            found.append(text)
    return [t for t in found if t not in sites], sites


def _heading_text(tag: Element) -> str:
    """The headline part of a heading: without kicker/dachzeile spans and visually hidden text."""
    children = [c for c in tag if dom.is_element(c)]
    keep = [c for c in children if not _HIDDEN.search(dom.classes(c))]
    headline = [c for c in keep if re.search(r"headline|title", dom.classes(c), re.I)]
    if headline:
        return _clean(html.unescape(dom.text(headline[0], " ", strip=True)))
    if len(keep) >= 2 and _KICKER.search(dom.classes(keep[0])):
        return _clean(" ".join(dom.text(c, " ", strip=True) for c in keep[1:]))
    hidden = [c for c in children if not any(c is k for k in keep)]
    shown = dom.text(tag, " ", strip=True)
    for c in hidden:
        shown = shown.replace(dom.text(c, " ", strip=True), " ", 1)
    return _clean(shown)


def _names_home(tag: Element) -> bool:
    if _SITE_HEADING.search(dom.classes(tag)) or _SITE_HEADING.search(dom.classes(tag.getparent())):
        return True
    link = next(tag.iterdescendants("a"), None)
    if link is None or len(dom.text(link, strip=True)) < len(dom.text(tag, strip=True)):
        return False
    href = str(link.get("href") or "")
    return "home" in (dom.words(link, "rel") or []) or (urlsplit(href).path in ("", "/") and "?" not in href)


def runs(title: str) -> list[str]:
    """Every run of adjacent parts, joined as printed: 'A: B | C' → 'A: B', 'C' (a headline with a colon
    or a hyphen of its own stays whole)."""
    parts = _SEPARATORS.split(title)
    seps = _SEPARATORS.findall(title)
    out = []
    for start in range(len(parts)):
        text = parts[start]
        out.append(text.strip())
        for end in range(start + 1, len(parts)):
            text += seps[end - 1] + parts[end]
            out.append(text.strip())
    return out


def split_parts(title: str) -> list[str]:
    return [p.strip() for p in _PARTS.split(title) if p and p.strip()]


def strip_site(title: str, sites: list[str]) -> str:
    """'Headline | Site Name' → 'Headline'; also 'Site: Headline' and 'Headline - Section - Site'."""
    parts = _SEPARATORS.split(title)
    seps = _SEPARATORS.findall(title)
    if len(parts) < 2:
        return title
    keys = [alphanumeric_key(s) for s in sites if alphanumeric_key(s)]
    start, end = 0, len(parts)
    while end - start > 1 and _names_site(parts[end - 1], keys):
        end -= 1
    while end - start > 1 and _names_site(parts[start], keys):
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    text = parts[start]
    for i in range(start + 1, end):
        text += seps[i - 1] + parts[i]
    return text.strip()


@cache
def _cms_labels() -> frozenset[str]:
    """Labels content systems put in every page's <title> (WordPress's "Blog Archive"), never a headline's
    part: ingest/vocab/cms_title_labels.txt."""
    return frozenset(alphanumeric_key(label) for label in vocab.entries("cms_title_labels"))


def _names_site(part: str, keys: list[str]) -> bool:
    key = alphanumeric_key(part)
    if not key or key in _cms_labels():
        return True
    if len(part.split()) > 8:
        return False
    return any(key == k or (len(k) >= 4 and (k in key or key in k)) for k in keys)


def _alike(part: str, heading: str) -> bool:
    """Nearly the same text (nine characters of ten), long enough to be a headline, not a site's name."""
    a, b = alphanumeric_key(part), alphanumeric_key(heading)
    return min(len(a), len(b)) >= 15 and SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


def alphanumeric_key(text: str) -> str:
    """'Tour-Magazin' → 'tourmagazin': a name compared without case, spaces or punctuation."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _clean(text: str) -> str:
    text = html.unescape(text).replace("\xad", "").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()
