"""Dates printed in a page's visible text, looked for next to the headline (where bylines sit).

A last resort before htmldate's whole-page search: the first full date within a short distance after
the headline (or just before it) is read as the publication date. Day-month order is taken as printed in
European and ISO styles ("14.01.2022", "14. Januar 2022", "2022-01-14") and as "January 14, 2022".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janvier janv enero ene gennaio gen janeiro januari jänner jän",
        "february feb februar février fevrier févr fevr febrero febbraio fevereiro fev februari",
        "march mar märz maerz mär mars marzo março maart mrt",
        "april apr avril avr abril abr aprile",
        "may mai mayo maggio mag maio mei",
        "june jun juni juin junio giugno giu junho",
        "july jul juli juillet juil julio luglio lug julho",
        "august aug août aout agosto ago augustus",
        "september sep sept septembre septiembre settembre set setembro",
        "october oct oktober okt octobre octubre ottobre ott outubro out",
        "november nov novembre noviembre novembro",
        "december dec dezember dez décembre decembre diciembre dic dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# a four-digit year, or two digits closing a date line ("14 Gennaio 20 )"): not a time, count or longer number
_YEAR = r"(?:19|20)\d{2}\b|\d{2}(?=\s*(?:$|[)\]|,;–-]))"
_DATE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})\.\s?(?P<m1>\d{{1,2}})\.\s?(?P<y1>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<y2>(?:19|20)\d{{2}})-(?P<m2>\d{{2}})-(?P<d2>\d{{2}})\b"
    rf"|\b(?P<d3>\d{{1,2}})(?:\.|er|st|nd|rd|th|º)?\s+(?:de\s+)?(?P<m3>{_MONTH})\.?,?\s+(?:de\s+)?(?P<y3>{_YEAR})"
    rf"|\b(?P<m4>{_MONTH})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<a5>\d{{1,2}})/(?P<b5>\d{{1,2}})/(?P<y5>(?:19|20)\d{{2}})\b",
    re.I,
)
_AFTER = 600  # characters of visible text searched after the headline
_BEFORE = 3  # text nodes before the headline where a <time> still belongs to it ("News | 3 May 2020")
_PLACE = re.compile(r"\s*(?:[A-ZÄÖÜ][\w.'-]*(?:[ /-][A-ZÄÖÜ][\w.'-]*){0,3}\s*[,(]\s*\(?\s*)?")  # "Karlsruhe, ("
_OPENING = 60  # characters at the start of a story where a dateline's date sits
_PROSE = 200  # a text node this long is the story's prose
_SHORT = 80  # a text node this short that holds a date is a date line, not prose
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_HIDDEN = frozenset({"script", "style", "noscript", "template"})
_PUBLISHED_LABEL = re.compile(
    r"(?:published|posted|veröffentlicht|erschienen|publié|publicado|pubblicato|gepubliceerd|erscheinungsdatum"
    r"|publikationsdatum|publication date|date de publication|fecha de publicación|data di pubblicazione)"
    r"(?:\s+(?:on|am|le|el|il|op|em))?\s*:?\s*$",
    re.I,
)

# a date line that says when the story was last changed, not when it came out
_UPDATED_LABEL = re.compile(
    r"(?:updated|last modified|modified|aktualisiert|geändert|mis à jour|actualizado|atualizado|aggiornato"
    r"|bijgewerkt)\b[^\d]{0,12}$",
    re.I,
)


def text_nodes(soup: BeautifulSoup) -> list[str]:
    """The visible text nodes of the page body, whitespace folded, empty ones dropped."""
    return [item for item in page_walk(soup) if isinstance(item, str)]


class Text(str):
    """A visible text node, whitespace folded; `heading` when it sits in an <h1>."""

    heading: bool = False


def page_walk(soup: BeautifulSoup) -> list[str | Tag]:
    """Visible text nodes (whitespace folded) and <time> elements of the page body, in document order."""
    items: list[str | Tag] = []
    for node in (soup.body or soup).descendants:
        if isinstance(node, Tag):
            if node.name == "time":
                items.append(node)
        elif isinstance(node, NavigableString) and _visible(node):
            text = Text(re.sub(r"\s+", " ", str(node)).strip())
            if text:
                text.heading = node.find_parent("h1") is not None
                items.append(text)
    return items


def _visible(node: NavigableString) -> bool:
    return not isinstance(node, _NOT_TEXT) and node.parent is not None and node.parent.name not in _HIDDEN


@dataclass(frozen=True)
class HeadlineDates:
    """Dates next to the headline: a <time datetime> element after it (before the story's prose starts),
    a printed date line after it, and a <time> element just above it."""

    time: str | None = None
    text: str | None = None
    time_above: str | None = None


def headline_dates(soup: BeautifulSoup, headline: str | None) -> HeadlineDates:
    """The <time> element and the first date printed on its own (a short text, like a byline or
    dateline) within a short distance of the headline; dates inside sentences and captions do not count.
    The headline in the <h1> is looked at first, then a copy printed above it."""
    items, order = page_walk(soup), month_first(soup)
    for start in _headline_indexes(items, headline):
        window = _window(items, start)
        at = window.index(items[start])
        before, after = window[:at][::-1], _before_prose(window[at + 1 :])
        texts = (t for t in after if isinstance(t, str))
        found = HeadlineDates(_datetime(after), _first_date_line(texts, order), _datetime(before))
        if found.time or found.text or found.time_above:
            return found
    return HeadlineDates()


def labelled_date(soup: BeautifulSoup) -> str | None:
    """A date printed after a publication label ("Veröffentlicht am 16.08.2019", "Published: 3 May 2020")."""
    order, previous = month_first(soup), ""
    for node in text_nodes(soup):
        label, previous = previous if _PUBLISHED_LABEL.fullmatch(previous) else "", node
        if len(node) > _SHORT:
            continue
        for match in _DATE.finditer(node):
            if _PUBLISHED_LABEL.search(label + node[: match.start()]) and (found := _read(match, order)):
                return found.isoformat()
    return None


def with_iso_dates(text: str) -> str:
    """'16. März 2019, 10:15 Uhr' → '2019-03-16, 10:15 Uhr': full dates in any language read here, written
    as ISO so that a generic parser reads them too; a slashed date of unknown order stays as printed."""

    def iso(match: re.Match[str]) -> str:
        found = _read(match)
        return found.isoformat() if found else match[0]

    return _DATE.sub(iso, text)


def is_month_name(word: str) -> bool:
    """'March', 'Mär.', 'juil' → True: a month's name or abbreviation in one of the languages read here."""
    return word.lower().rstrip(".") in _MONTHS


def read_date(text: str) -> date | None:
    """The first full date printed in a text ("28 October 2020", "2020-10-28T22:22:49Z"), or None."""
    match = _DATE.search(text)
    return _read(match) if match else None


def printed_dates(text: str) -> Iterator[date]:
    """Every full date printed in a text, in order."""
    for match in _DATE.finditer(text):
        if (found := _read(match)) is not None:
            yield found


def opening_date(body: str) -> str | None:
    """The date one of the story's first paragraphs opens with, dateline style: "Karlsruhe, (12.11.2021).
    …", "29.11.2022 – …" (a heading and a lead may come before the paragraph that carries it)."""
    for paragraph in body.split("\n\n")[:3]:
        opening = paragraph.lstrip()[:_OPENING]
        match = _DATE.search(opening)
        if match and _PLACE.fullmatch(opening[: match.start()]) and (found := _read(match)):
            return found.isoformat()
    return None


def _headline_indexes(items: list[str | Tag], headline: str | None) -> list[int]:
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


def _window(items: list[str | Tag], start: int) -> list[str | Tag]:
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


def _before_prose(items: list[str | Tag]) -> list[str | Tag]:
    """The items up to the first paragraph of prose: bylines and dates sit between headline and story."""
    end = next((i for i, t in enumerate(items) if isinstance(t, str) and len(t) > _PROSE), len(items))
    return items[:end]


def _datetime(items: Iterable[str | Tag]) -> str | None:
    values = (str(t.get("datetime") or "").strip() for t in items if isinstance(t, Tag))
    return next((v for v in values if v), None)


def _first_date_line(texts: Iterable[str], order: bool | None) -> str | None:
    for node in texts:
        if len(node) > _SHORT:
            continue
        for match in _DATE.finditer(node):
            if _UPDATED_LABEL.search(node[: match.start()]):
                continue
            if (found := _read(match, order)) is not None:
                return found.isoformat()
    return None


def _read(match: re.Match[str], month_first: bool | None = None) -> date | None:
    """The date a match spells. A slashed date is read day-first unless `month_first` (US-style pages);
    when neither the numbers (a part above 12) nor the page say the order, it is not read."""
    groups = match.groupdict()
    if groups["y5"]:
        first, second = int(groups["a5"]), int(groups["b5"])
        if first <= 12 and second <= 12 and first != second and month_first is None:
            return None
        day, month = (second, first) if (month_first and first <= 12) or second > 12 else (first, second)
        return day_or_none(int(groups["y5"]), month, day)
    for i in "1234":
        if groups[f"y{i}"]:
            name = groups[f"m{i}"]
            number = int(name) if name.isdigit() else _MONTHS.get(name.lower().rstrip("."), 0)
            year = int(groups[f"y{i}"])
            year += 0 if year >= 100 else 2000 if year < 69 else 1900  # two digits: POSIX strptime's pivot
            return day_or_none(year, number, int(groups[f"d{i}"]))
    return None


def day_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# regions whose numeric dates put the month first ("10/05/2022" is October 5th)
_MONTH_FIRST_REGIONS = frozenset({"us", "ph", "fm", "pr", "gu", "as", "vi", "mh", "pw", "um"})


def month_first(soup: BeautifulSoup) -> bool | None:
    """Whether the page's numeric dates put the month first, from its language and region (<html lang>,
    then og:locale): en-US and plain 'en' yes, any other language or region no, unknown None."""
    html = soup.find("html")
    og = soup.find("meta", attrs={"property": "og:locale"})
    values = [html.get("lang") if isinstance(html, Tag) else None, og.get("content") if isinstance(og, Tag) else None]
    for value in values:
        match = re.fullmatch(r"([a-z]{2,3})(?:[-_]([a-z]{2}))?", str(value or "").strip().lower())
        if match:
            return match[2] in _MONTH_FIRST_REGIONS if match[2] else match[1] == "en"
    return None
