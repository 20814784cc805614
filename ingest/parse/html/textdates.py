"""Dates printed in a page's visible text, looked for next to the headline (where bylines sit).

A last resort before htmldate's whole-page search: the first full date within a short distance after
the headline (or just before it) is read as the publication date. Day-month order is taken as printed in
European and ISO styles ("14.01.2022", "14. Januar 2022", "2022-01-14") and as "January 14, 2022".
"""

from __future__ import annotations

import re
from datetime import date

from bs4 import BeautifulSoup
from bs4.element import NavigableString

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janvier enero gennaio janeiro januari jänner",
        "february feb februar février fevrier febrero febbraio fevereiro februari",
        "march mar märz maerz mars marzo março maart",
        "april apr avril abril aprile",
        "may mai mayo maggio maio mei",
        "june jun juni juin junio giugno junho",
        "july jul juli juillet julio luglio julho",
        "august aug août aout agosto augustus",
        "september sep sept septembre septiembre settembre setembro",
        "october oct oktober octobre octubre ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec dezember décembre decembre diciembre dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})\.\s?(?P<m1>\d{{1,2}})\.\s?(?P<y1>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<y2>(?:19|20)\d{{2}})-(?P<m2>\d{{2}})-(?P<d2>\d{{2}})\b"
    rf"|\b(?P<d3>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?(?P<m3>{_MONTH})\.?,?\s+(?:de\s+)?(?P<y3>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<m4>{_MONTH})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{{2}})\b",
    re.I,
)
_AFTER = 600  # characters of visible text searched after the headline
_SHORT = 80  # a text node this short that holds a date is a date line, not prose


def text_nodes(soup: BeautifulSoup) -> list[str]:
    """The visible text nodes of the page body, whitespace folded, empty ones dropped."""
    body = soup.body or soup
    nodes = (
        re.sub(r"\s+", " ", str(s)).strip() for s in body.find_all(string=True)
        if isinstance(s, NavigableString) and s.parent is not None
        and s.parent.name not in {"script", "style", "noscript", "template"}
    )
    return [n for n in nodes if n]


def headline_date(soup: BeautifulSoup, headline: str | None) -> str | None:
    """'2022-01-14' for the first date printed on its own (a short text, like a byline or dateline)
    within a short distance after the headline; dates inside sentences and captions do not count."""
    if not headline:
        return None
    nodes = text_nodes(soup)
    key = re.sub(r"\s+", " ", headline)[:40]
    start = next((i for i, n in enumerate(nodes) if key in n or (len(n) >= 20 and n in headline)), None)
    if start is None:
        return None
    budget = _AFTER
    for node in nodes[start + 1 :]:
        if budget <= 0:
            break
        budget -= len(node)
        if len(node) > _SHORT:
            continue
        for match in _DATE.finditer(node):
            if (found := _read(match)) is not None:
                return found.isoformat()
    return None


def _read(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    for i in "1234":
        if groups[f"y{i}"]:
            month = groups[f"m{i}"]
            number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."), 0)
            try:
                return date(int(groups[f"y{i}"]), number, int(groups[f"d{i}"]))
            except ValueError:
                return None
    return None
