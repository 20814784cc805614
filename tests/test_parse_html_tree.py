"""One parse per HTML page (parse/html/safe.py): every reader gets the tree it would have built itself."""

from __future__ import annotations

import pytest
from factories import raw_documents
from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import load_html

from ingest.parse.html import dom
from ingest.parse.html.safe import as_fromstring, extractor_tree, parse_page
from ingest.parse.json import html_to_text

PAGES = [
    "<!DOCTYPE html><html><head><title>T</title></head><body><p>a<!-- c -->b</p><div>x</div></body></html>",
    "<p>Just one paragraph.</p>",  # a fragment: lxml.html.fromstring returns the <p>
    "<p>One.</p><p>Two.</p>",  # two blocks: the body, renamed <div>
    "text with <b>bold</b> words",  # no block: the body, renamed <span>
    "<!-- first a comment -->\n<html><head><title>T</title></head><body><p>Story.</p></body></html>",
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html><head><title>T</title></head>'
    "<body><p>Story.</p></body></html>",
]


def serialised(tree: etree._Element | None) -> list[tuple[object, ...]] | None:
    """Every node with its attributes, text and tail (not the DOCTYPE, which a copy of the tree leaves out)."""
    if tree is None:
        return None
    return [(str(el.tag), dict(el.attrib), el.text, el.tail) for el in tree.iter()]


@pytest.mark.parametrize("html", PAGES)
def test_the_fromstring_view_is_what_lxml_fromstring_returns(html: str) -> None:
    try:
        expected = lxml_html.fromstring(html)
    except ValueError:  # a str with an XML encoding declaration
        expected = lxml_html.fromstring(html.encode())
    assert serialised(as_fromstring(parse_page(html), html, owned=False)) == serialised(expected)


@pytest.mark.parametrize("html", PAGES)
def test_trafilatura_gets_the_tree_its_load_html_builds(html: str) -> None:
    assert serialised(extractor_tree(parse_page(html), html)) == serialised(load_html(html))


def test_readers_never_change_the_shared_tree() -> None:
    html = PAGES[0].replace("<div>x</div>", "<script>var a = 1;</script><nav><a href='/'>Home</a></nav>")
    tree = parse_page(html)
    before = serialised(tree)
    extractor_tree(tree, html).clear()
    as_fromstring(parse_page(PAGES[2]), PAGES[2], owned=False)
    assert serialised(tree) == before


def test_element_text_reads_as_the_page_shows_it() -> None:
    tree = parse_page("<html><body><h1>Head<!-- x -->line <script>code()</script><span> more </span>"
                      "<template>inert</template><ruby>漢<rt>kan</rt></ruby></h1></body></html>")
    (h1,) = tree.iter("h1")
    assert dom.text(h1, " ", strip=True) == "Head line more 漢"
    assert dom.text(h1) == "Headline  more 漢"
    (script,) = tree.iter("script")
    assert dom.text(script) == "code()"  # asked of the script itself: its text


def test_an_xhtml_page_with_an_xml_declaration_is_read_whole() -> None:
    """lxml refuses a str with an encoding declaration; the one parse reads its bytes instead, so the
    paragraph repair (which used to give up on such pages) runs on them too."""
    html = PAGES[5].replace("<title>T</title>", "<title>Bridge reopens</title>").replace(
        "<p>Story.</p>", "<article><h1>Bridge reopens</h1>" + "<p>The harbour bridge "
                            "reopened on Monday after six weeks of repairs to its deck and rails.</p>" * 3
                            + "<p>Read more: ferry timetable changes</p></article>")
    (document,) = raw_documents(html, "x.xhtml")
    assert document.title == "Bridge reopens"
    assert "harbour bridge" in document.body and "Read more" not in document.body


@pytest.mark.parametrize(("fragment", "text"), [
    ("<p>a<script>x</script>b</p><p>c<br>d</p>", "a b\n\nc d"),
    ("<ul><li>one<p>inner</p></li><li>two</li></ul>", "inner\n\ntwo"),
    ("<div>line one<br/>line two<noscript><p>no</p></noscript></div>", "line one\n\nline two"),
    ("", ""),
])
def test_html_body_fields_become_paragraphs(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text
