"""Import this module to load what every batch needs — the spaCy models (English and those INGEST_SPACY_MODELS
names), the gazetteers (with the other languages' place names), the given names and surnames (people.py), the
place index, the language identifier, the parsing libraries — into this process, so that processes forked
from it start with them loaded.

Airflow's LocalExecutor runs each task in a process forked from a long-lived worker process, and its workers
come from a multiprocessing forkserver when the scheduler is told so (`scripts/airflow_local.py` sets it):

    AIRFLOW__SCHEDULER__MP_START_METHOD=forkserver
    AIRFLOW__SCHEDULER__MP_FORKSERVER_PRELOAD=airflow.executors.local_executor,ingest.preload

Without it, every mapped `process_batch` task imports spaCy and loads the model and the gazetteer again
(seconds per task, paid once per batch). Importing never fails: a model that cannot be loaded here is
loaded (and its error reported, naming the model) by the task that needs it. See docs/architecture.md.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)


def warm_up() -> float:
    """Load the shared, read-only state of a batch into this process; returns the seconds it took."""
    start = time.perf_counter()
    import htmldate  # noqa: F401 - imported for the processes forked from this one
    import trafilatura  # noqa: F401

    from ingest import pipeline  # noqa: F401
    from ingest.config import load_settings
    from ingest.enrich import EnrichOptions, load_pipeline
    from ingest.enrich.gazetteer import gazetteer
    from ingest.enrich.geo import geo_index
    from ingest.enrich.language import identifier
    from ingest.enrich.localnames import city_aliases
    from ingest.enrich.people import given_names, surnames

    settings = load_settings()
    options = EnrichOptions.from_settings(settings)
    load_pipeline(options.spacy_model, options.exclude)
    for language, model in options.spacy_models:  # the other languages' models the settings name
        try:
            load_pipeline(model, options.exclude)
        except OSError as exc:  # not installed: its articles get places and dates (ingest.enrich says so too)
            log.warning("ingest.preload: no spaCy model %s for %r (%s)", model, language, exc)
    gazetteer()
    city_aliases()
    given_names()
    surnames()
    geo_index()
    identifier()
    return time.perf_counter() - start


try:
    log.info("ingest.preload: batch state loaded in %.1f s", warm_up())
except Exception as exc:  # noqa: BLE001 - a preload must never stop the process that imports it
    log.warning("ingest.preload: not preloaded (%s: %s); each task loads what it needs itself",
                type(exc).__name__, exc)
