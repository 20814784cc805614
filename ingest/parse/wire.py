"""News agencies (wire services): canonical names, common short forms, home country.

General reference data about the wire services themselves, used to name the agency of a story and to
hint at the country whose clock a printed time follows (PTI's "IST" is India Standard Time).
"""

from __future__ import annotations

import re

# canonical name: (short forms and spellings, ISO 3166 alpha-2 of the agency's home country)
AGENCIES: dict[str, tuple[tuple[str, ...], str]] = {
    "Press Trust of India": (("PTI",), "IN"),
    "Indo-Asian News Service": (("IANS",), "IN"),
    "Asian News International": (("ANI",), "IN"),
    "United News of India": (("UNI",), "IN"),
    "Reuters": (("Thomson Reuters",), "GB"),
    "Associated Press": (("AP", "The Associated Press"), "US"),
    "Agence France-Presse": (("AFP", "Agence France Presse"), "FR"),
    "Deutsche Presse-Agentur": (("dpa", "DPA"), "DE"),
    "Press Association": (("PA", "PA Media"), "GB"),
    "Australian Associated Press": (("AAP",), "AU"),
    "The Canadian Press": (("CP", "Canadian Press"), "CA"),
    "Xinhua": (("Xinhua News Agency",), "CN"),
    "Kyodo News": (("Kyodo",), "JP"),
    "Yonhap": (("Yonhap News Agency",), "KR"),
    "Bernama": ((), "MY"),
    "Agenzia Nazionale Stampa Associata": (("ANSA",), "IT"),
    "Agencia EFE": (("EFE",), "ES"),
    "Anadolu Agency": (("AA", "Anadolu"), "TR"),
    "TASS": (("ITAR-TASS",), "RU"),
    "Bloomberg": (("Bloomberg News",), "US"),
    "United Press International": (("UPI",), "US"),
    "Pakistan Press International": (("PPI",), "PK"),
    "Associated Press of Pakistan": (("APP",), "PK"),
}

_LOOKUP: dict[str, str] = {}
for _name, (_aliases, _country) in AGENCIES.items():
    for _form in (_name, *_aliases):
        _LOOKUP[_form.casefold()] = _name


def canonical_agency(text: str | None) -> str | None:
    """'PTI' → 'Press Trust of India'; an unknown name → None."""
    if not text:
        return None
    key = re.sub(r"\s+", " ", text).strip(" .()-").casefold()
    return _LOOKUP.get(key)


def agency_country(name: str | None) -> str | None:
    canonical = canonical_agency(name)
    return AGENCIES[canonical][1] if canonical else None
