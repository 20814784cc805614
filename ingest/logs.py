"""Quiet, useful logs: third-party per-page and per-request noise below WARNING, one line per rejected file,
one per batch.

    quiet_third_party()                       # once, by each entry point (idempotent)
    log_rejected(path, stage, reason)         # WARNING  rejected news/a.json [parse] JSON nested deeper …
    log_batch_summary(label, counts, seconds) # INFO     batch 3 of run …: 100 files in 12.3 s: indexed_files=97 …

trafilatura, htmldate, charset_normalizer, courlan, justext and readability log ERROR and WARNING lines
for ordinary bad pages ("empty HTML tree", "discarding data", "lxml parsing failed"). Those are verdicts
on one page, which the rejection line already gives in words, so they are re-logged at DEBUG under
`ingest.thirdparty.<library>`: invisible at the usual INFO level, there when someone debugs.

Only entry points configure logging: the `ingest` command's main, the DAG tasks
(`ingest_airflow.tasks.entry_point`), the triggerer's watcher, the scripts and benches. The library's modules
only get loggers (`logging.getLogger(__name__)`): importing or calling them changes no logger.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

log = logging.getLogger("ingest")

# libraries whose log lines are about one page (parse failures, heuristics), never about the run
NOISY_LIBRARIES = (
    "trafilatura", "htmldate", "charset_normalizer", "courlan", "justext", "readability", "lxml_html_clean",
    "dateparser", "tld",
)
REQUEST_LOGGER = "elastic_transport.transport"  # one INFO line per request
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class _ToDebug(logging.Handler):
    """Re-logs a library's records at DEBUG under `ingest.thirdparty.<library>` (after the library's own
    logger, which no longer propagates, so the record reaches the root handlers only this way)."""

    def emit(self, record: logging.LogRecord) -> None:
        target = logging.getLogger(f"ingest.thirdparty.{record.name}")
        if target.isEnabledFor(logging.DEBUG):
            try:
                message = record.getMessage()
            except (TypeError, ValueError):  # a library's bad format string: never our crash
                message = str(record.msg)
            target.debug("%s: %s", record.levelname, message)


class _RequestsToDebug(logging.Filter):
    """The Elasticsearch client logs every request at INFO ("POST …/_bulk [status:200 duration:0.031s]"):
    hundreds of lines a batch. Those go to DEBUG (as `_ToDebug` does); its warnings (a node failed, a
    retry) stay where they are."""

    def __init__(self) -> None:
        super().__init__()
        self.to_debug = _ToDebug()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        self.to_debug.emit(record)
        return False


def quiet_third_party() -> None:
    """Put the per-page noise of the parsing libraries and the client's per-request lines below WARNING.
    Idempotent; for entry points only (the CLI's main, DAG tasks, scripts, benches), never the library."""
    for name in NOISY_LIBRARIES:
        logger = logging.getLogger(name)
        if not any(isinstance(h, _ToDebug) for h in logger.handlers):
            logger.addHandler(_ToDebug())
        logger.propagate = False
    requests = logging.getLogger(REQUEST_LOGGER)
    if not any(isinstance(f, _RequestsToDebug) for f in requests.filters):
        requests.addFilter(_RequestsToDebug())


def one_line(text: object, limit: int = 500) -> str:
    """`text` safe for a one-line log: control characters and line breaks shown escaped (a file name
    with a newline cannot forge a second log line), long values cut."""
    value = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))
    return value if len(value) <= limit else value[: limit - 1] + "…"


def rejected_line(path: str, stage: str | None, reason: str | None) -> str:
    """'rejected news/a.json [parse] JSON nested deeper than 1,000 levels'."""
    where, why = one_line(path, 1000), one_line(reason or "no reason given")
    return f"rejected {where} [{one_line(stage or 'unknown', 40)}] {why}"


def log_rejected(path: str, stage: str | None, reason: str | None, logger: logging.Logger | None = None) -> None:
    """ONE WARNING line for a rejected file: its path, the stage and the reason, in words."""
    (logger or log).warning("%s", rejected_line(path, stage, reason))


def batch_summary_line(label: str, counts: Mapping[str, int], seconds: float | None = None) -> str:
    """'batch 3 of run x: 100 files in 12.3 s: indexed_files=97 rejected=3 indexed_docs=250' (non-zero
    counts only, in the order given)."""
    files = counts.get("indexed_files", 0) + counts.get("rejected", 0) + counts.get("skipped", 0)
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    shown = " ".join(f"{k}={v:,}" for k, v in counts.items() if v)
    return f"{one_line(label, 200)}: {files:,} files{took}: {shown or 'nothing to do'}"


def log_batch_summary(
    label: str, counts: Mapping[str, int], seconds: float | None = None, logger: logging.Logger | None = None
) -> None:
    """ONE INFO line per batch with its counts (`RunCounts.to_dict()` or any name → number mapping)."""
    (logger or log).info("%s", batch_summary_line(label, counts, seconds))
