"""Paragraph-level checks of trafilatura's output against the page's own elements.

trafilatura keeps or drops whole subtrees by its own heuristics. Two generic web conventions it misses are
repaired here, paragraph by paragraph, after mapping each extracted paragraph back to its element by text
(the element with exactly its text, else the smallest one containing it):

* boilerplate islands: a paragraph inside a small container (holding little of the story) whose class or
  id names it as comments, related links, sharing, newsletter, author box, embed or cookie notice, or
  inside such a <nav>/<aside>/<footer>; a short paragraph that is mostly a link away from the page (not a
  linked heading, not a table of contents pointing at anchors on the page); a teaser card (a linked
  headline run together with its summary); the title or count line of a script-filled comment section; a
  newsletter sign-up prompt; a line the site addresses to its reader about itself (an advertising label,
  "Follow us", "Subscribe now", "Support our journalism", "Did you enjoy this article?":
  ingest/vocab/reader_prompts.tsv); a reporting credit ("… contributed to this report"); a "read more" lead-in;
  a short image credit or taxonomy label line ("Foto: …", "©", "Kategorie: …"); a picture's caption
  (<figcaption>);
* the standfirst: a lead/teaser/intro/abstract element (not a credited photo caption) just before the
  first prose paragraph (headings and short lines skipped), dropped by trafilatura, is put back in front.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ingest import vocab

_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "blockquote", "td", "th", "dd",
               "dt", "pre", "div", "span", "header", "section", "strong", "em", "b", "a", "small", "i")
_ISLAND_TAGS = ("nav", "aside", "footer", "form")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BOILERPLATE = re.compile(
    r"comment|kommentar|related|share|sharing|social|newsletter|promo(?!ted)|subscri|signup|author|disclosure"
    r"|cookie|consent|privacy|embed|fb-post|tags|breadcrumb|sidebar|sponsor|donat"
    r"|recommend|read-?more|more-?articles"
)
_COMMENTS = re.compile(r"comment|kommentar")
_CONTAINERS = ("div", "section", "aside", "ol", "ul", "iframe", "form")
_CREDIT = re.compile(r"(?i)©|\((?:c|foto|photo)\)|\b(?:foto|photo|bild|credits?|image|picture)s?\s*:")
_LEAD = re.compile(r"teaser|intro|lead|abstract|excerpt|standfirst|chapo|description|deck|lede|sapo|summary")
_READ_MORE = re.compile(
    r"(?i)^(?:read|see) (?:more|also)|^related\b|^more (?:on|about|from)\b|^lesen sie (?:auch|mehr)"
    r"|^mehr (?:zum thema|dazu|zu)\b|^weitere (?:[a-zäöü]+ )?(?:beiträge|artikel|themen|informationen|infos)\b"
    r"|^zum weiterlesen|^schon gelesen|^auch interessant|^das könnte|^lire aussi|^à lire|^leer más"
    r"|^lee también|^leggi anche|^kontakt:?$|^contact:?$"
)
_SIGN_UP = re.compile(
    r"(?i)\b(?:sign(?:ing)? up|subscribe|abonnier\w*|anmelden|melde dich|inscri\w+|suscr[ií]b\w+|iscriviti)\b"
)
_MAILING = re.compile(r"(?i)newsletter|inbox|posteingang|e-?mail updates|daily email")
_REPORTING_CREDIT = re.compile(  # the wire-style credit line under a story: who else reported or edited it
    r"(?i)\bcontributed (?:to )?this (?:report|story|article)\b|^\(?additional reporting by\b|^\(?reporting by\b"
    r"|\bediting by\b"
)
_LABEL_LINE = re.compile(  # an image credit or a taxonomy label standing alone as a short paragraph
    r"(?i)^(?:(?:foto|photo|bild|image|picture|titelbild|beitragsbild|aufmacherbild)(?:s|er|graph|quelle| credits?)?"
    r"|bildquelle|fotoquelle|credits?|copyright|kategorien?|categor(?:y|ies)|tags|schlagw[öo]rter)\s*:|^©"
)
# what a page says to its reader about the site itself (ingest/vocab/reader_prompts.tsv): an advertising label
# standing alone or before a colon, comma or dash; a short paragraph opening with a call to follow, subscribe…
_PROMPT_ROWS = vocab.table("reader_prompts")
_AD_LABEL = re.compile(
    rf"(?i)(?:{'|'.join(re.escape(r[0]) for r in _PROMPT_ROWS if r[1] == 'label')})(?:\s*[:,|–—-].*)?[.!]?"
)
_PROMPT_OPENER = re.compile(  # a whole word: not "Subscribe-and-save plans"
    rf"(?i)(?:{'|'.join(re.escape(r[0]) for r in _PROMPT_ROWS if r[1] == 'opener')})(?![\w-])"
)
_LEADING_MARKS = re.compile(r"^[\W_]+")  # "¿", "»", "→", an emoji before the words
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_MAX_ISLAND_SHARE = 0.3  # a boilerplate-named container holding more of the story is the story's own
_MAX_LINK_SHARE = 0.8  # a headline-like link to another story
_SHORT = 120  # characters: link-heavy paragraphs longer than this are kept (prose with many links)
_SHORT_LINE = 80  # characters: a title or count line, not a paragraph of prose
_MIN_KEPT_SHARE = 0.5  # repair removes pockets of boilerplate; a verdict against most of the text is a misreading
_MAX_PROMPT = 250  # characters: a sign-up prompt is a line or two, not a paragraph about newsletters
_MAX_LABEL = 80  # characters: an advertising label and the few words after it
_MAX_CARD = 300  # characters: a linked headline with a one- or two-line summary
_MIN_LEAD = 40
_MAX_KEY = 5000  # characters: an element holding more text is a container, not a paragraph
_MIN_PART = 20  # characters: a shorter paragraph is not looked up inside longer element texts
_MAX_GAP = 400  # characters of other text allowed between a standfirst and the first story paragraph


@dataclass(frozen=True)
class _Page:
    tree: etree._Element
    by_text: dict[str, etree._Element]
    targets: frozenset[str]  # ids and anchor names: a link to "#one-of-these" stays on this page
    elements: list[etree._Element]  # every element, held so that id() of an element is stable while we work
    captions: frozenset[str]  # the text of every <figcaption> and of each block inside one


def comparable_text(text: str) -> str:
    """Whitespace folded, NFC, without invisible characters (soft hyphens, zero-width joiners) that
    trafilatura drops from its text but the page's elements still hold."""
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text))).strip()


def repair(tree: etree._Element, paragraphs: list[str]) -> list[str]:
    """trafilatura's paragraphs without boilerplate islands, with a dropped standfirst put back. `tree` is
    the page as `lxml.html.fromstring` reads it, a copy of its own (script text is blanked in it)."""
    if not paragraphs:
        return paragraphs
    page = _page(tree)
    if page is None:
        return paragraphs
    found = [_element(page, p) for p in paragraphs]
    weights = _story_weights(found, paragraphs)
    total = sum(len(p) for p in paragraphs)
    story = (weights, total)
    pairs = [(p, el) for p, el in zip(paragraphs, found, strict=True) if not _boilerplate(p, el, page, story)]
    kept = [p for p, _ in pairs]
    if sum(len(p) for p in kept) < _MIN_KEPT_SHARE * total:
        kept = paragraphs  # the rules misread the page (a feed of stories, each in a "share" wrapper)
    lead = _standfirst(page, found, paragraphs)
    return ([lead] if lead else []) + kept


def _page(tree: etree._Element) -> _Page | None:
    for el in tree.iter("script", "style", "noscript", "template"):
        el.text = None
    by_text: dict[str, etree._Element] = {}
    folded: dict[str, str] = {}  # nested wrappers often hold the same text: fold it once
    for el in tree.iter(_BLOCK_TAGS):
        text = el.text_content()
        if text.isspace() or not text:  # folds to nothing: not worth folding
            continue
        key = folded.get(text)
        if key is None:
            key = folded[text] = comparable_text(text)
        if not key or len(key) > _MAX_KEY:
            continue
        known = by_text.get(key)
        if known is None or any(a is known for a in el.iterancestors()):
            by_text[key] = el  # the deepest element with exactly this text, first occurrence in the page
    elements = [el for el in tree.iter() if isinstance(el.tag, str)]
    targets = frozenset(v for el in elements for v in (el.get("id"), el.get("name")) if v)
    return _Page(tree, by_text, targets, elements, captions(tree))


def captions(tree: etree._Element) -> frozenset[str]:
    """The text of every <figcaption> on the page and of each block inside one (comparable_text)."""
    return frozenset(comparable_text(el.text_content()) for caption in tree.iter("figcaption")
                     for el in caption.iter(_BLOCK_TAGS))


def is_caption(paragraph: str, page_captions: frozenset[str]) -> bool:
    """The paragraph is a caption printed on the page, or its start (the credit after it cut off)."""
    key = _key(paragraph)
    return key in page_captions or (len(key) >= _MIN_PART and any(c.startswith(key) for c in page_captions))


def _element(page: _Page, paragraph: str) -> etree._Element | None:
    """The element whose text is the paragraph; else the smallest element whose text contains it.

    trafilatura splits an element at <br> and at block children, so many paragraphs are only part of an
    element's text: the smallest element holding the whole paragraph still tells where on the page it lies
    (inside a boilerplate container, before or after the standfirst). Short keys are too ambiguous for that.
    """
    key = _key(paragraph)
    exact = page.by_text.get(key)
    if exact is not None or len(key) < _MIN_PART:
        return exact
    holders = [(len(text), n, el) for n, (text, el) in enumerate(page.by_text.items()) if key in text]
    return min(holders)[2] if holders else None


def _key(paragraph: str) -> str:
    return comparable_text(re.sub(r"^[-*•]\s+", "", paragraph))


def _story_weights(found: list[etree._Element | None], paragraphs: list[str]) -> Counter[int]:
    """For each ancestor (by id), how many characters of the extracted text lie inside it."""
    weights: Counter[int] = Counter()
    for el, text in zip(found, paragraphs, strict=True):
        if el is None:
            continue
        weights[id(el)] += len(text)
        for anc in el.iterancestors():
            weights[id(anc)] += len(text)
    return weights


def _boilerplate(text: str, el: etree._Element | None, page: _Page, story: tuple[Counter[int], int]) -> bool:
    if len(text) < 80 and (_READ_MORE.search(text.strip()) or _LABEL_LINE.search(text.strip())):
        return True
    if _newsletter_prompt(text) or _reader_prompt(text) or (len(text) < _MAX_PROMPT and _REPORTING_CREDIT.search(text)):
        return True
    if is_caption(text, page.captions):  # the caption's own element may be a copy printed elsewhere
        return True
    if el is None:
        return False
    if page.by_text.get(_key(text)) is el and _link_line(text, el, page.targets):
        return True
    return _teaser_card(text, el, page.targets) or _comments_title(text, el) or _caption(el) or _in_island(el, *story)


def _newsletter_prompt(text: str) -> bool:
    """A short call to sign up for the site's newsletter ("Subscribe to our newsletter", "… in your inbox").

    Sites print it inside the article body, between or after story paragraphs, where no container names it.
    """
    return len(text) < _MAX_PROMPT and bool(_SIGN_UP.search(text)) and bool(_MAILING.search(text))


def _reader_prompt(text: str) -> bool:
    """A line the site addresses to its reader about itself, not about the story: an advertising label
    ("Anzeige", "Advertisement - Scroll to continue") or a short call to follow, subscribe, support, download or
    share the site, or to say whether the reading pleased ("Síguenos en Telegram", "Gefällt dir unser
    Magazin?"); ingest/vocab/reader_prompts.tsv."""
    words = _LEADING_MARKS.sub("", text.strip())
    if len(words) < _MAX_LABEL and _AD_LABEL.fullmatch(words):
        return True
    return len(words) < _MAX_PROMPT and _PROMPT_OPENER.match(words) is not None


def _link_line(text: str, el: etree._Element, targets: frozenset[str]) -> bool:
    """A short paragraph that is mostly a link away from this page (a teaser for another story).

    A heading that is a link (the story's own title, a section title) and a table of contents (links to
    anchors on this page) are the story's own.
    """
    if len(text) >= _SHORT or len(text.split()) < 5 or _heading(el):
        return False
    return _link_share(el, targets) >= _MAX_LINK_SHARE


def _teaser_card(text: str, el: etree._Element, targets: frozenset[str]) -> bool:
    """A short paragraph made of a headline that links away plus its blurb: a card for another story.

    trafilatura runs a card's linked <h3> and its one-line summary together into one paragraph; the story's
    own section headings are not links away, and they come out as paragraphs of their own.
    """
    if len(text) > _MAX_CARD or _heading(el):
        return False
    return any(h is not el and comparable_text(h.text_content()) and _link_share(h, targets) >= _MAX_LINK_SHARE
               for h in el.iter(_HEADINGS))


def _comments_title(text: str, el: etree._Element) -> bool:
    """A short line right before the comment section ("Comments", "3 comments", "Tell us what you think").

    A comment widget is often an empty container filled in by script, so trafilatura keeps its title and
    count line, which sit as siblings just before it with nothing but other short lines in between.
    """
    if len(text) >= _SHORT_LINE:
        return False
    node, key = el, comparable_text(el.text_content())
    while (node.getnext() is None and (parent := node.getparent()) is not None
           and comparable_text(parent.text_content()) == key):
        node = parent
    between = 0
    for sibling in node.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style", "br", "hr"):
            continue
        if sibling.tag in _CONTAINERS and _named(sibling, _COMMENTS):
            return True
        between += 1
        if between > 2 or len(comparable_text(sibling.text_content())) >= _SHORT_LINE:
            return False
    return False


def _caption(el: etree._Element) -> bool:
    """Text inside a <figcaption> tells what a picture shows and who took it, not the story (a page that
    prints the caption twice, in an overlay too, is caught by its text: `_Page.captions`)."""
    return any(node.tag == "figcaption" for node in (el, *el.iterancestors()))


def _heading(el: etree._Element) -> bool:
    return any(node.tag in _HEADINGS for node in (el, *el.iterancestors()))


def _in_island(el: etree._Element, weights: Counter[int], total: int) -> bool:
    for node in (el, *el.iterancestors()):
        if node.tag in ("body", "html"):
            return False
        if weights[id(node)] > _MAX_ISLAND_SHARE * total:
            return False
        if node.tag in _ISLAND_TAGS or _named(node, _BOILERPLATE):
            return True
    return False


def _named(el: etree._Element, pattern: re.Pattern[str]) -> bool:
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return bool(names.strip()) and pattern.search(names) is not None


def _link_share(el: etree._Element, targets: frozenset[str] = frozenset()) -> float:
    """The share of the element's text that is link text (links to an anchor on this page not counted)."""
    text = len(comparable_text(el.text_content()))
    if not text:
        return 0.0
    nodes = [el] if el.tag == "a" else list(el.iter("a"))
    return sum(len(comparable_text(a.text_content())) for a in nodes if _outward(a, targets)) / text


def _outward(a: etree._Element, targets: frozenset[str]) -> bool:
    href = (a.get("href") or "").strip()
    if not href:
        return False  # a named anchor, not a link
    fragment = href.partition("#")[2]
    return not (fragment and fragment in targets)


def _prose(el: etree._Element, text: str) -> bool:
    return len(text) >= _MIN_LEAD and not _heading(el)


def _standfirst(page: _Page, found: list[etree._Element | None], paragraphs: list[str]) -> str | None:
    """The text of a lead-named element right before the first story paragraph, if trafilatura dropped it."""
    first = next((el for el, text in zip(found, paragraphs, strict=True) if el is not None and _prose(el, text)), None)
    if first is None:
        return None
    before = _text_before(page.tree, first)
    for el, gap in before:
        if gap > _MAX_GAP:
            return None
        text = comparable_text(el.text_content())
        if _lead_like(el, text) and text not in comparable_text("\n".join(paragraphs)):
            return text
    return None


def _text_before(tree: etree._Element, first: etree._Element) -> Iterator[tuple[etree._Element, int]]:
    """Elements ending before `first`, nearest first, with the characters of text between each and it."""
    order: list[tuple[etree._Element, int]] = []
    chars = 0
    for el in tree.iter():
        if el is first:
            break
        if not isinstance(el.tag, str):
            continue
        order.append((el, chars))
        chars += len((el.text or "").strip()) + len((el.tail or "").strip())
    ancestors = {id(a) for a in first.iterancestors()}
    for el, start in reversed(order):  # gap: the text from the element's start up to `first`, minus its own
        if id(el) not in ancestors:
            yield el, max(0, chars - start - len(comparable_text(el.text_content())))


def _lead_like(el: etree._Element, text: str) -> bool:
    if len(text) < _MIN_LEAD or len(text) > 1500 or not _named(el, _LEAD) or _CREDIT.search(text):
        return False
    if _link_share(el) > 0.3:
        return False
    return not any(a.tag in _ISLAND_TAGS or a.tag == "a" for a in el.iterancestors())
