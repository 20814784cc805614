"""Zero-downtime rebuild of the articles index under the current template and pipeline (`ingest reindex`).

    <alias>-v<N>  ──(searches keep using it)──────────────┐
    <alias>-v<N+1> ◀── re-run the pipeline over every      ├── counts checked ──▶ one `_aliases` call:
                       file the ledger says is indexed      │                    alias → v<N+1>
                                                            ┘                    (v<N> kept, or --delete-old)

The minimal node has no `_reindex`, and copying `_source` would keep what an older pipeline made, so the
files are read again from their sources (the ledger knows each file's root and path), parsed, enriched,
given their story (against the new index) and bulk-indexed into the new index, which no alias points at
yet. Searches keep answering from the old index until the swap, which is atomic. The swap is refused, and
the new index deleted, when any document failed to index or the new index holds fewer articles than the
old one (unless `accept_fewer`: a file the current pipeline rejects). After the swap the ledger records the
current pipeline version for every file rebuilt, so the next run does not process them again.

Pause scheduled runs while rebuilding: a run that writes into the old index during the rebuild is not
carried over (run `ingest run` afterwards; unchanged files are skipped, so it is cheap).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from elasticsearch import Elasticsearch

from ingest import PIPELINE_VERSION, index, ledger, sources, stories
from ingest.config import Settings
from ingest.enrich import Enricher, EnrichOptions
from ingest.errors import IngestError, Rejected
from ingest.extract import ExtractOptions, FileResult, enrich_results, extract_file, extract_options, source_info
from ingest.ledger import LedgerEntry
from ingest.records import Rejection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReindexReport:
    alias: str
    old: list[str]
    new: str
    files: int = 0  # files the ledger lists as indexed
    unreadable: list[str] = field(default_factory=list)  # "path: reason" of files that could not be rebuilt
    failed_docs: int = 0
    old_count: int = 0
    new_count: int = 0
    deleted: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Rebuilt:
    entries: list[LedgerEntry]  # ledger entries to write after the swap
    unreadable: list[str]
    failed_docs: int


def reindex(settings: Settings, *, delete_old: bool = False, accept_fewer: bool = False,
            progress: Callable[[int, int], None] | None = None) -> ReindexReport:
    es = index.connect(settings)
    alias = index.ensure_index(es, settings)  # the current template, before the new index is created
    old = index.alias_indices(es, alias)
    new = index.create_next_version(es, alias)
    try:
        entries = [e for e in ledger.all_entries(es, settings) if e.state == "indexed"]
        rebuilt = rebuild(es, settings, new, entries, progress)
        stories.consolidate(es, new, (i for e in rebuilt.entries for i in e.doc_ids))  # ids as a run gives
        index.refresh(es, new)
        report = ReindexReport(alias, old, new, len(entries), rebuilt.unreadable, rebuilt.failed_docs,
                               sum(index.count(es, name) for name in old), index.count(es, new))
        _check(report, accept_fewer)
    except BaseException:
        index.delete_indices(es, [new])
        raise
    index.swap_alias(es, alias, old, new)
    ledger.write_entries(es, settings, rebuilt.entries)
    deleted = index.delete_indices(es, old) if delete_old else []
    log.info("reindexed %s: %s → %s (%d → %d articles)", alias, old, new, report.old_count, report.new_count)
    return dataclasses.replace(report, deleted=deleted)


def _check(report: ReindexReport, accept_fewer: bool) -> None:
    if report.failed_docs:
        raise IngestError(f"reindex of {report.alias}: {report.failed_docs} document(s) failed to index into "
                          f"{report.new}; the alias stays on {', '.join(report.old)}")
    if report.new_count < report.old_count and not accept_fewer:
        missing = report.unreadable
        why = f" ({len(missing)} file(s) not rebuilt, e.g. {missing[0]})" if missing else ""
        raise IngestError(f"reindex of {report.alias}: {report.new} would hold {report.new_count} articles, "
                          f"{', '.join(report.old)} holds {report.old_count}{why}; the alias stays where it is "
                          "(--accept-fewer to swap anyway)")


def rebuild(es: Elasticsearch, settings: Settings, target: str, entries: Sequence[LedgerEntry],
            progress: Callable[[int, int], None] | None = None) -> Rebuilt:
    """Re-run parse → normalise → enrich → stories → bulk for these files into `target`, a batch at a time."""
    options = extract_options(settings.json_fields)
    enricher = Enricher(EnrichOptions.from_settings(settings))
    updated: list[LedgerEntry] = []
    unreadable: list[str] = []
    failed = 0
    done = 0
    for chunk in _chunks(entries, max(1, settings.batch_size)):
        read = [(entry, _extract(entry, settings, options)) for entry in chunk]
        results = list(enrich_results(enricher, (r for _, r in read)))
        articles = stories.assign_stories(es, target, [a for r in results for a in r.articles])
        outcomes = {o.doc_id: o for o in index.bulk_index(es, target, articles)}
        index.refresh(es, target)  # the next batch's story candidates include this one's articles
        failed += sum(1 for o in outcomes.values() if not o.ok)
        for (entry, _), result in zip(read, results, strict=True):
            ids = tuple(dict.fromkeys(a.id for a in result.articles))
            if ids and all(outcomes[i].ok for i in ids):
                updated.append(dataclasses.replace(entry, pipeline_version=PIPELINE_VERSION, doc_ids=ids))
            else:
                reason = result.rejections[0].reason if result.rejections else "no article"
                unreadable.append(f"{entry.path}: {reason}")
        done += len(chunk)
        if progress:
            progress(done, len(entries))
    return Rebuilt(updated, unreadable, failed)


def _extract(entry: LedgerEntry, settings: Settings, options: ExtractOptions) -> FileResult:
    try:
        data = sources.read_bytes(entry.file, int(settings.max_file_mb * 1024 * 1024))
    except Rejected as exc:
        source = source_info(entry.path, b"")
        return FileResult(source, rejections=[Rejection.of(source, exc)])
    return extract_file(entry.path, data, options)


def _chunks(items: Sequence[LedgerEntry], size: int) -> Iterator[list[LedgerEntry]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
