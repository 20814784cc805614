"""The story text of a page: trafilatura's main-content extraction, checked against JSON-LD articleBody.

trafilatura (readability/jusText fallbacks, boilerplate heuristics tuned on thousands of pages) does the
main-text work; our own code only decides between its output and a publisher-supplied `articleBody`, and
drops what is not story text (comments are never extracted).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

import trafilatura

from ingest.parse.html.dom import Element
from ingest.parse.html.metadata import PageMeta, text_value
from ingest.parse.html.paragraphs import captions, is_caption, repair
from ingest.parse.html.safe import extractor_tree, repair_tree


@dataclass(frozen=True)
class MainTextOptions:
    favor: str = "balanced"  # "precision" | "balanced" | "recall" (trafilatura's trade-off)
    include_tables: bool = True
    trust_article_body: bool = True  # prefer JSON-LD articleBody when it is the fuller story
    repair_paragraphs: bool = True  # drop boilerplate islands, restore a dropped standfirst (paragraphs.py)


_MIN_LEAD = 80  # characters: a headline, kicker or dateline is shorter than a standfirst
_SENTENCE_END = re.compile(r"[.!?…][\"'’”»]?\s*$")  # a standfirst is sentences; a caption ends in its credit


def main_text(tree: Element, html: str, page: PageMeta, options: MainTextOptions) -> str:
    """Paragraphs separated by blank lines; empty when the page has no story text. `tree` is the page's one
    parse (safe.parse_page), `html` its text; neither is changed."""
    extracted = _trafilatura(tree, html, options)
    body = _article_body(page, captions(tree))
    if options.trust_article_body and body and _fuller(body, extracted):
        return "\n\n".join([*_lead_missing_from(body, extracted, page), body])
    return extracted


def _lead_missing_from(body: str, extracted: str, page: PageMeta) -> list[str]:
    """The page's opening paragraphs that articleBody leaves out (the standfirst), up to where it starts.

    Publishers often fill articleBody from the story field alone; the standfirst printed above it is story
    text too. Only sentences of some length count: kickers, headlines and credited captions do not.
    """
    shingles = set(_shingles(body))
    headline = (text_value(page.article_value("headline")) or "").strip()
    lead: list[str] = []
    for paragraph in extracted.split("\n\n"):
        own = _shingles(paragraph)
        if own and sum(w in shingles for w in own) >= 0.5 * len(own):
            return lead
        if len(paragraph) >= _MIN_LEAD and _SENTENCE_END.search(paragraph) and paragraph.strip() != headline:
            lead.append(paragraph)
    return []  # articleBody's start never found: nothing to say what it left out


def _shingles(text: str) -> list[tuple[str, ...]]:
    """Runs of three words: a paragraph articleBody holds shares nearly all of them, a summary of it few."""
    words = re.findall(r"\w+", text.casefold())
    return [tuple(words[i : i + 3]) for i in range(max(0, len(words) - 2))]


def _trafilatura(tree: Element, html: str, options: MainTextOptions) -> str:
    """trafilatura's text of a copy of the tree (it prunes the tree it reads), then the paragraph repair."""
    copy = extractor_tree(tree, html)
    if copy is None:
        return ""
    _drop_cards_in_text(copy)
    text = trafilatura.extract(
        copy,
        include_comments=False,
        include_tables=options.include_tables,
        favor_precision=options.favor == "precision",
        favor_recall=options.favor == "recall",
        deduplicate=False,
    )
    if not text:
        return ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if options.repair_paragraphs:
        paragraphs = repair(repair_tree(tree, html), paragraphs)
    return "\n\n".join(paragraphs)


def _drop_cards_in_text(tree: Element) -> None:
    """A paragraph's prose holds no picture with a list of links: an element inside a `<p>` that holds an
    image and two links or more, and whose text is all link text, is a card shown on hover (a name's
    rollover with its latest headlines, a link preview), not prose. The innermost such element goes (the
    link that opens it and the paragraph's text around it stay)."""
    cards = [el for el in tree.xpath("//p//*") if _card(el)]
    # the innermost ones, all chosen before any is dropped: once an inner card is gone, its holder looks
    # innermost too, and which went first depended on the order of a set (the golden digest changed by run)
    innermost = [card for card in cards if not any(_card(inner) for inner in card.iterdescendants())]
    for card in innermost:
        card.drop_tree()


def _card(el: Element) -> bool:
    """An image and two links or more, and all its text link text."""
    return isinstance(el.tag, str) and el.find(".//img") is not None and len(el.findall(".//a")) >= 2 \
        and _all_links(el)


def _all_links(el: Element) -> bool:
    """Nearly all of the element's text (90%) is the text of its links."""
    total = len("".join(el.itertext()).split())
    linked = sum(len("".join(a.itertext()).split()) for a in el.iter("a"))
    return total > 0 and linked >= 0.9 * total


def _article_body(page: PageMeta, page_captions: frozenset[str]) -> str | None:
    """articleBody as plain paragraphs, without the picture captions some publishers' feeds put in it; None
    when it is HTML source, escaped (&lt;p&gt;) or not."""
    value = text_value(page.article_value("articleBody"))
    if value and "&" in value:
        value = html_lib.unescape(value)  # entity-escaped text ("&amp;", "&lt;p&gt;"): markup shows as such
    if not value or ("<" in value and re.search(r"</?(?:p|div|br|span|a)\b", value)):
        return None
    paragraphs = [p.strip() for p in re.split(r"\s*\n\s*", value) if p.strip() and not is_caption(p, page_captions)]
    return "\n\n".join(paragraphs) or None


def _fuller(body: str, extracted: str) -> bool:
    """articleBody wins when it is at least about as long and shares most words with the page text."""
    if not extracted:
        return len(body.split()) >= 30
    words_body, words_page = set(body.lower().split()), set(extracted.lower().split())
    overlap = len(words_body & words_page) / max(1, len(words_body))
    return len(body) >= 0.8 * len(extracted) and overlap >= 0.6
