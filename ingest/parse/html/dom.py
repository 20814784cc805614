"""Reading the page's lxml tree (safe.parse_page) the way the metadata readers need it.

The readers were written against BeautifulSoup; these helpers keep its meaning on an lxml tree, so that a
page reads the same: an element's text is its text nodes outside comments, and outside <script>, <style>,
<template>, <rt> and <rp> unless asked of such an element itself (BeautifulSoup's `get_text`); `class`
(and `rel` on <a>, <link>, <area>) is a list of words. See docs/architecture.md (Reading an HTML page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

Element = Any  # lxml.html.HtmlElement (lxml ships no type information)

# elements whose text is a kind apart (code, style, inert template, ruby annotation): not the page's text
_STRING_CONTAINERS = frozenset({"script", "style", "template", "rt", "rp"})
_WORD_LISTS = {"a": ("rel", "rev"), "link": ("rel", "rev"), "area": ("rel",)}  # besides "class" everywhere


def walk(root: Element) -> Iterator[tuple[bool, Element]]:
    """(True, node) when a node opens and (False, node) when it closes, in document order; comments
    included (their tail is text of their parent), without recursion."""
    yield True, root
    stack = [(root, iter(root))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            yield False, node
        else:
            yield True, child
            stack.append((child, iter(child)))


def is_element(node: Element) -> bool:
    """An element, not a comment."""
    return isinstance(node.tag, str)


def text(el: Element, separator: str = "", strip: bool = False, skip: frozenset[str] = frozenset()) -> str:
    """The element's text nodes joined by `separator` (each stripped, empty ones dropped, when `strip`);
    nothing inside the elements named in `skip` (their tails are text)."""
    own = el.tag if el.tag in _STRING_CONTAINERS else None
    kinds = [_container(el)]  # the string container each text node sits in
    parts: list[str] = []
    skipped = 0  # depth inside elements named in `skip`

    def add(value: str | None) -> None:
        if value and kinds[-1] == own and not skipped:
            value = value.strip() if strip else value
            if value:
                parts.append(value)

    for opens, node in walk(el):
        if node is el:
            if opens:
                add(node.text)
        elif not is_element(node):
            if not opens:
                add(node.tail)
        elif opens:
            kinds.append(node.tag if node.tag in _STRING_CONTAINERS else kinds[-1])
            skipped += node.tag in skip
            add(node.text)
        else:
            kinds.pop()
            skipped -= node.tag in skip
            add(node.tail)
    return separator.join(parts)


def inside(el: Element, tags: frozenset[str]) -> bool:
    """Whether an ancestor of `el` is named one of `tags`."""
    return any(a.tag in tags for a in el.iterancestors())


def _container(el: Element) -> str | None:
    for node in (el, *el.iterancestors()):
        if node.tag in _STRING_CONTAINERS:
            return str(node.tag)
    return None


def words(el: Element | None, name: str) -> list[str] | str | None:
    """An attribute's value: a list of words for `class` (and `rel`/`rev` of links), else the string."""
    if el is None or not is_element(el):
        return None
    value = el.get(name)
    if value is None:
        return None
    if name == "class" or name in _WORD_LISTS.get(el.tag, ()):
        return list(value.split())
    return str(value)


def classes(el: Element | None) -> str:
    """The element's classes as one string ('byline author')."""
    value = words(el, "class")
    return " ".join(value) if isinstance(value, list) else ""


def names_itself(el: Element, pattern: re.Pattern[str]) -> bool:
    """The element, or the one it sits in, names itself as `pattern` says in its class, id or itemprop
    ("entry-date published", itemprop "dateModified")."""
    for node in (el, el.getparent()):
        if node is not None and is_element(node):
            names = " ".join(str(node.get(key) or "") for key in ("class", "id", "itemprop"))
            if pattern.search(" ".join(names.split())):
                return True
    return False


def first(root: Element, tag: str) -> Element | None:
    """The first element named `tag` in document order, `root` included."""
    return next(root.iter(tag), None)


def body(document: Element) -> Element:
    """The page's <body> (the first), else the whole document."""
    found = first(document, "body")
    return document if found is None else found


def elements(root: Element) -> Iterator[Element]:
    """Every element under `root`, `root` included, in document order (no comments)."""
    return (el for el in root.iter() if is_element(el))


def descendants(root: Element, *tags: str, limit: int) -> list[Element]:
    """The first `limit` elements named one of `tags` inside `root` (not `root` itself)."""
    found: list[Element] = []
    for el in root.iterdescendants(*tags):
        found.append(el)
        if len(found) == limit:
            break
    return found

