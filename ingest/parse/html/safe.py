"""lxml parsers built the safe way, for every tree our readers build themselves.

libxml2's HTML parser never expands entities declared in a document's own DTD (no billion laughs) and never
loads external ones; these parsers also refuse the network and keep libxml2's size and depth limits on
(`huge_tree=False`), so a hostile page costs bounded memory. A new parser per call: lxml parsers are not
to be shared between threads. (BeautifulSoup, trafilatura and htmldate build HTML parsers of the same kind.)
"""

from __future__ import annotations

from lxml import html as lxml_html


def html_parser(encoding: str | None = None) -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(encoding=encoding, no_network=True, huge_tree=False)


def parse_html_tree(html: str) -> lxml_html.HtmlElement:
    """`lxml.html.fromstring` with a safe parser (raises what it raises: ParserError on an empty page)."""
    return lxml_html.fromstring(html, parser=html_parser())
