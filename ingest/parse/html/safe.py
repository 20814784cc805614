"""The one parse of a page: an lxml tree built the safe way, shared by every reader of the page.

libxml2's HTML parser never expands entities declared in a document's own DTD (no billion laughs) and never
loads external ones; the parser here also refuses the network and keeps libxml2's size and depth limits on
(`huge_tree=False`), so a hostile page costs bounded memory. A new parser per call: lxml parsers are not
to be shared between threads. The page's tag count is checked before parsing (`HtmlOptions.max_tags`).

The document tree (`parse_page`) keeps comments, so that text nodes split where the page splits them, and
drops processing instructions (as trafilatura and htmldate do). Readers never change it. trafilatura and
the paragraph repair change the tree they are given, so they get copies (`extractor_tree`, `repair_tree`):
a copy costs about half a millisecond, a parse three times that. See docs/architecture.md (Reading an HTML page).
"""

from __future__ import annotations

import copy
import re

from lxml import etree
from lxml import html as lxml_html
from lxml.html import defs

_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.I)  # lxml.html.fromstring's test for a whole document
# the first line's DOCTYPE that trafilatura's and htmldate's `load_html` drop before parsing (an lxml issue)
_EXTRACTOR_DOCTYPE = re.compile("^< ?! ?DOCTYPE[^>]*/[^<>]*>", re.I)
_DATE_FINDER_DOCTYPE = re.compile("^< ?! ?DOCTYPE.+?/ ?>", re.I)


# every element an HtmlElement, chosen in C: lxml.html's own lookup (a Python call for each element Python
# touches, to give <form>, <input>, <label> … classes of their own that no reader here uses) cost more
# than the parse itself
_ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity,
)


def html_parser(encoding: str | None = None) -> lxml_html.HTMLParser:
    parser = lxml_html.HTMLParser(encoding=encoding, no_network=True, huge_tree=False, remove_pis=True)
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    return parser


def parse_page(html: str) -> lxml_html.HtmlElement:
    """The whole document, rooted at <html> (an empty one when the text holds no markup at all)."""
    try:
        try:
            return lxml_html.document_fromstring(html, parser=html_parser())
        except ValueError:  # a str with an XML encoding declaration: libxml2 reads the UTF-8 bytes instead
            return lxml_html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=html_parser("utf-8"))
    except (etree.ParserError, ValueError):
        return lxml_html.document_fromstring("<html></html>", parser=html_parser())


def extractor_tree(document: lxml_html.HtmlElement, html: str) -> lxml_html.HtmlElement | None:
    """A copy of the tree as trafilatura's own `load_html` would build it from `html`: comments removed,
    a page that is not a whole document cut down as `lxml.html.fromstring` cuts it; None where
    `load_html` refuses the text as not HTML (no "html" in its first 50 characters and under two
    top-level elements)."""
    tree = copy.deepcopy(document)
    etree.strip_elements(tree, etree.Comment, with_tail=False)
    view = as_fromstring(tree, _start(html, _EXTRACTOR_DOCTYPE))
    if "html" not in html[:50].lower() and len(view) < 2:
        return None
    return view


def date_finder_tree(document: lxml_html.HtmlElement, html: str) -> lxml_html.HtmlElement:
    """The tree as htmldate's own `load_html` would build it from `html` (htmldate copies it before it
    prunes it)."""
    return as_fromstring(document, _start(html, _DATE_FINDER_DOCTYPE), owned=False)


def _start(html: str, doctype: re.Pattern[str]) -> str:
    """The start of the text as `load_html` passes it to lxml (enough to tell a whole document)."""
    start = html[:4096]
    if "doctype" in html[:50].lower():
        first, _, rest = start.partition("\n")
        start = doctype.sub("", first, count=1) + "\n" + rest
    return start


def repair_tree(document: lxml_html.HtmlElement, html: str) -> lxml_html.HtmlElement:
    """A copy of the tree as `lxml.html.fromstring(html)` returns it (the paragraph repair's view)."""
    return as_fromstring(copy.deepcopy(document), html)


def as_fromstring(tree: lxml_html.HtmlElement, html: str, *, owned: bool = True) -> lxml_html.HtmlElement:
    """What `lxml.html.fromstring(html)` returns, from a tree of the whole document: the document when the
    text starts as one or the tree has a <head>; else the single element of the body, or the body renamed
    <div> (<span> when it holds no block) — in place when the tree is `owned`, else in a copy."""
    body = tree.find("body")
    if _FULL_HTML.match(html) or tree.find("head") is not None or body is None:
        return tree
    if len(body) == 1 and not (body.text or "").strip() and not (body[-1].tail or "").strip():
        return body[0]
    if not owned:
        tree = copy.deepcopy(tree)
        body = tree.find("body")
    blocks = any(isinstance(el.tag, str) and el.tag in defs.block_tags for el in body.iter())
    body.tag = "div" if blocks else "span"
    return body
