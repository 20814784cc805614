"""Dates printed in a page's visible text, looked for next to the headline (where bylines sit).

A last resort before htmldate's whole-page search: the first full date within a short distance after
the headline (or just before it) is read as the publication date. The dates themselves are read by
`ingest.dates` (printed.py), a slashed one in the page's order (order.py). See docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.dates import DateOrder, date_matches, date_order, label_pattern, read_match
from ingest.dates.clock import clock_beside
from ingest.parse.bylines import byline_opening
from ingest.parse.html import dom
from ingest.parse.html.dom import Element

_AFTER = 600  # characters of visible text searched after the headline
_BEFORE = 3  # text nodes before the headline where a <time> still belongs to it ("News | 3 May 2020")
_PROSE = 200  # a text node this long is the story's prose
_SHORT = 80  # a text node this short that holds a date is a date line, not prose
_HIDDEN = frozenset({"script", "style", "noscript", "template"})
# a publication label ("Veröffentlicht am", "Published:") just before a date (ingest/vocab/date_labels.tsv)
_PUBLISHED_LABEL = re.compile(
    rf"(?:{label_pattern('published')})(?:\s+(?:{label_pattern('preposition')}))?\s*[:：]?\s*$", re.I
)
# a date line that says when the story was last changed, not when it came out; its clock and zone may stand
# between the label and the date ("Updated 3:45 PM EST, Sun March 14, 2021")
_UPDATED_LABEL = re.compile(
    rf"(?:{label_pattern('updated')})\b(?:[^\d]|\d{{1,2}}[:.h]\d{{2}}){{0,24}}$", re.I  # "Updated 3:45 PM EST, Sun "
)
# class, id or itemprop words that mark an element as the last edit's date ("updated", itemprop "dateModified")
_EDIT_MARK = re.compile(r"updat|modif", re.I)
# a last-edit label just before a date ("Letzte Änderung: 14.01.2022", "Updated on")
UPDATED_LABEL = re.compile(
    rf"(?:{label_pattern('updated')})(?:\s+(?:{label_pattern('preposition')}))?\s*[:：]?\s*$", re.I
)


def text_nodes(document: Element, items: list[str | Element] | None = None) -> list[str]:
    """The visible text nodes of the page body, whitespace folded, empty ones dropped (`items`: the
    page's `page_walk`, when the caller has it)."""
    return [item for item in (page_walk(document) if items is None else items) if isinstance(item, str)]


class Text(str):
    """A visible text node, whitespace folded; `heading` when it sits in an <h1>."""

    parent: Element = None  # the element it sits in

    @property
    def heading(self) -> bool:
        node = self.parent
        while node is not None and node.tag != "h1":
            node = node.getparent()
        return node is not None


_PAGE_ITEMS = "descendant::text() | descendant::time"  # in document order; a comment's text is no text()


def page_walk(document: Element) -> list[str | Element]:
    """Visible text nodes (whitespace folded) and <time> elements of the page body, in document order.

    A text node is an element's text (inside it) or its tail (inside its parent); it is visible unless that
    element is a script, style, noscript or template. Comments are not text; text on either side of one is
    two text nodes."""
    items: list[str | Element] = []
    found: list[Element] = dom.body(document).xpath(_PAGE_ITEMS)  # text nodes are strings that know their place
    for item in found:
        if not isinstance(item, str):
            items.append(item)
            continue
        parent = _container(item)
        if parent is not None and parent.tag not in _HIDDEN and (text := Text(" ".join(item.split()))):
            text.parent = parent
            items.append(text)
    return items


def _container(text: Element) -> Element | None:
    """The element a text node (an lxml "smart string") sits in: its element's, or for a tail its parent."""
    owner = text.getparent()
    return owner.getparent() if text.is_tail else owner


@dataclass(frozen=True)
class HeadlineDates:
    """Dates next to the headline: a <time datetime> element after it (before the story's prose starts),
    a printed date line after it, and a <time> element just above it."""

    time: str | None = None
    text: str | None = None
    time_above: str | None = None


def headline_dates(
    document: Element, headline: str | None, items: list[str | Element] | None = None
) -> HeadlineDates:
    """The <time> element and the first date printed on its own (a short text, like a byline or
    dateline) within a short distance of the headline; dates inside sentences and captions do not count.
    The headline in the <h1> is looked at first, then a copy printed above it."""
    items, order = page_walk(document) if items is None else items, page_order(document)
    for start in _headline_indexes(items, headline):
        window = _window(items, start)
        at = window.index(items[start])
        before, after = window[:at][::-1], _before_prose(window[at + 1 :])
        texts = (t for t in after if isinstance(t, str))
        found = HeadlineDates(_datetime(after), _first_date_line(texts, order), _datetime(before))
        if found.time or found.text or found.time_above:
            return found
    return HeadlineDates()


def labelled_date(
    document: Element, items: list[str | Element] | None = None, labels: re.Pattern[str] | None = None
) -> str | None:
    """A date printed after a publication label ("Veröffentlicht am 16.08.2019", "Published: 3 May 2020"), or
    after one of `labels` (`UPDATED_LABEL`: "Letzte Änderung: 14.01.2022")."""
    order, previous, labels = page_order(document), "", labels or _PUBLISHED_LABEL
    for node in text_nodes(document, items):
        label, previous = previous if labels.fullmatch(previous) else "", node
        if len(node) > _SHORT:
            continue
        for match in date_matches(node):
            if labels.search(label + node[: match.start()]) and (found := read_match(match, order)):
                return found.isoformat()
    return None


def byline_date(document: Element, items: list[str | Element] | None = None) -> str | None:
    """The date a printed byline carries ("Von Leonora Holling (21. November 2022)", "By Jane Doe | March 3,
    2020"): a short line opening with a byline word (ingest/parse/bylines.py) and holding a full date, not
    one labelled as the last update."""
    order, opening = page_order(document), byline_opening(("opener",))
    for node in text_nodes(document, items):
        if len(node) > _SHORT or not opening.match(node):
            continue
        if (found := _first_date_line([node], order)) is not None:
            return found
    return None


def printed_time(document: Element, day: str, items: list[str | Element] | None = None) -> str | None:
    """The time of day the page prints beside `day` (ISO) on a date line ("12. März 2021, 14:35 Uhr", a
    time in the next text node: "12 March 2021 | 14:35"), with its zone ('14:35 CET'); not an update's. The
    first such line in the page is the one next to the headline."""
    order, nodes = page_order(document), text_nodes(document, items)
    for i, node in enumerate(nodes):
        if len(node) > _SHORT:
            continue
        before = nodes[i - 1] + " " if i and len(nodes[i - 1]) <= _SHORT else ""
        after = " " + nodes[i + 1] if i + 1 < len(nodes) and len(nodes[i + 1]) <= _SHORT else ""
        for match in date_matches(node):
            if _UPDATED_LABEL.search(node[: match.start()]):
                continue
            found = read_match(match, order)
            if found is None or found.isoformat() != day:
                continue
            at = len(before)
            return clock_beside(before + node + after, at + match.start(), at + match.end())
    return None


def _headline_indexes(items: list[str | Element], headline: str | None) -> list[int]:
    """Where the headline is printed: in the <h1>, then where it is printed before the <h1> (a title block
    above it); without an <h1>, its first occurrence. Repeats further down are teasers and comment titles."""
    if not headline:
        return []
    key = re.sub(r"\s+", " ", headline)[:40]
    found = [
        i for i, n in enumerate(items) if isinstance(n, str) and (key in n or (len(n) >= 20 and n in headline))
    ]
    headings = [i for i in found if getattr(items[i], "heading", False)]
    if not headings:
        return found[:1]
    return [*headings[:1], *(i for i in found if i < headings[0])][:3]


def _window(items: list[str | Element], start: int) -> list[str | Element]:
    """The items from a few text nodes before the headline to _AFTER characters of text after it."""
    first, seen = start, 0
    while first > 0 and seen < _BEFORE:
        first -= 1
        seen += isinstance(items[first], str)
    end, budget = start + 1, _AFTER
    while end < len(items) and budget > 0:
        item = items[end]
        budget -= len(item) if isinstance(item, str) else 0
        end += 1
    return items[first:end]


def _before_prose(items: list[str | Element]) -> list[str | Element]:
    """The items up to the first paragraph of prose: bylines and dates sit between headline and story."""
    end = next((i for i, t in enumerate(items) if isinstance(t, str) and len(t) > _PROSE), len(items))
    return items[:end]


def _datetime(items: Iterable[str | Element]) -> str | None:
    """The first <time datetime> among `items`, one marked as the last edit only when no other has one
    (WordPress prints `<time class="updated">` before `<time class="entry-date published">`; a theme that
    prints one <time> may well mark the publication date "updated", hAtom's name for it)."""
    values = [(value, dom.names_itself(t, _EDIT_MARK)) for t in items if not isinstance(t, str)
              if (value := str(t.get("datetime") or "").strip())]
    return next((v for v, edit in values if not edit), None) or next((v for v, _ in values), None)


def _first_date_line(texts: Iterable[str], order: DateOrder | None) -> str | None:
    for node in texts:
        if len(node) > _SHORT:
            continue
        for match in date_matches(node):
            if _UPDATED_LABEL.search(node[: match.start()]):
                continue
            if (found := read_match(match, order)) is not None:
                return found.isoformat()
    return None


def page_order(document: Element) -> DateOrder | None:
    """The order of the page's numeric dates (`ingest.dates.date_order`) from its declared language and
    region: <html lang>, then og:locale."""
    html = dom.first(document, "html")
    og = next((m for m in document.iter("meta") if m.get("property") == "og:locale"), None)
    values = [html.get("lang") if html is not None else None, og.get("content") if og is not None else None]
    for value in values:
        if re.fullmatch(r"[a-z]{2,3}(?:[-_][a-z]{2})?", str(value or "").strip().lower()):
            return date_order(language=str(value))
    return None
