"""The four steps of a run (docs/architecture.md, "Flow"), used by the Airflow DAG and by `ingest run` alike.

    ensure_index → discover → process_batch (× batches, in parallel) → report

Between steps only references and counts travel: `discover` stores the batch manifests in
Elasticsearch and hands out `BatchRef`s; each batch returns its `RunCounts`. `report` retires vanished
files (only after a complete listing, every batch done, and within the mass-deletion guard), stores the
run report and says whether the run failed.
"""

from __future__ import annotations

import functools
import itertools
import logging
import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import islice
from pathlib import PurePosixPath
from typing import Any, TypeVar

from elasticsearch import Elasticsearch

from ingest import PIPELINE_VERSION, inbox, index, ledger, runs, sources, stories
from ingest.assets import RunAnnouncement
from ingest.batches import BatchRef, EsManifest, LocalManifest, Manifest, Planned, Retirement, batch_refs
from ingest.config import Settings, normalise_root, worker_count
from ingest.counts import RunCounts
from ingest.discovery import Discovery, LedgerSink
from ingest.enrich import Enricher, EnrichOptions, load_pipeline
from ingest.errors import FileTooLarge, IndexRefused, IngestError, NoDocuments, Rejected, TerminalError, TransientError
from ingest.extract import FileResult, enrich_results, extract_file, extract_options
from ingest.ledger import LedgerEntry, RecordRejection
from ingest.logs import log_batch_summary, log_rejected
from ingest.parse import EXTENSIONS
from ingest.records import Rejection, SeedFile, SourceInfo
from ingest.runs import RunReport
from ingest.writes import DryRunWriter, RunWriter, writer_for

log = logging.getLogger(__name__)

# Fail a batch (so the scheduler retries it and someone looks) when more than this share of its files
# hit a bug rather than bad input; below it, such files are rejected like any bad input.
ERROR_BUDGET = 0.5
CHUNK = 50  # files read, enriched and written together inside a batch (bounds a batch's memory)
T = TypeVar("T")


@dataclass(frozen=True)
class RunOptions:
    """What a run is asked to do (CLI flags, DAG params)."""

    force: bool = False  # re-process unchanged files
    dry_run: bool = False  # read and plan, parse and enrich; write nothing
    delete_missing: bool = True  # retire the documents of files gone from the source
    allow_mass_delete: bool = False  # delete even past settings.max_delete_share of the root's files
    events: bool = False  # only the files a watcher announced (the inbox): no listing, no deletions

    @property
    def mode(self) -> runs.Mode:
        return "events" if self.events else "full"


@dataclass
class Planning:
    """What `discover` hands on: batch references and discovery's counts (the manifest only in process)."""

    run_id: str
    batches: list[BatchRef]
    counts: RunCounts
    manifest: Manifest | None = field(default=None, repr=False)
    start: RunReport | None = field(default=None, repr=False)  # the `running` report discovery made


@functools.cache
def client(settings: Settings) -> Elasticsearch:
    """One Elasticsearch client per process and settings."""
    return index.connect(settings)


def ensure_index(settings: Settings) -> str:
    return index.ensure_index(client(settings), settings)


# ---------------------------------------------------------------------------------------------- discover
def discover(settings: Settings, run_id: str, options: RunOptions | None = None, *, in_memory: bool = False,
             writer: RunWriter | None = None) -> Planning:
    """Merge the source listing with the ledger, write the batch manifests, store the run's start (a
    `running` report). A dry run's `writer` records instead of writing; with `in_memory` (one process) it
    keeps even its manifest in temporary files, else (Airflow) its findings go beside the manifest for the
    report task."""
    options = options or RunOptions()
    es = client(settings)
    writer = writer or writer_for(es, settings, options.dry_run)
    listing = sources.Listing(settings.source)
    manifest: Manifest
    if options.dry_run and in_memory:
        manifest = LocalManifest()
    else:
        es_manifest = EsManifest(es, settings.manifests_index, run_id, listing.root, (0, 0))
        es_manifest.create()
        manifest = es_manifest
    sink = LedgerSink(writer.write_ledger)
    discovery = Discovery(manifest, options.force, run_id)
    if options.events:
        found = discovery.run_announced(
            listing, inbox.take(es, settings, listing.root), path_of=lambda a: a.path,
            ledger_of=lambda paths: ledger.get_entries(es, settings, listing.root, paths), sink=sink,
            taken=lambda page: writer.settle_inbox(listing.root, page))
    else:
        found = discovery.run(listing, ledger.stream_entries(es, settings, listing.root), sink)
    refs = batch_refs(run_id, manifest.planned, settings.batch_size, settings.max_batches, worker_count(settings),
                      sizes=manifest.sizes)
    counts = replace(found.counts, batches=len(refs))
    start = RunReport(
        run_id=run_id, state="running", source=listing.root, index=settings.index_alias, mode=options.mode,
        pipeline_version=PIPELINE_VERSION, dry_run=options.dry_run, started_at=datetime.now(UTC).isoformat(),
        discovery=counts, planned=manifest.planned, retiring=manifest.retiring,
        indexed_before=found.indexed_before, problems=found.problems,
        # a run in one process (`ingest run`) names it, so that a later run can tell it was killed
        owner=runs.Owner.this_process() if in_memory else None,
    )
    writer.close_interrupted(run_id)
    writer.store_report(start)
    if options.dry_run and isinstance(manifest, EsManifest):  # under Airflow: its report task needs the findings
        manifest.store_start(start.to_dict())
    for problem in found.problems:
        log.warning("listing %s: %s", listing.root, problem)
    log.info("discovered under %s: %s", listing.root, counts.to_dict())
    return Planning(run_id, refs, counts, manifest, start)


def _manifest(es: Elasticsearch, settings: Settings, run_id: str, started: RunReport) -> EsManifest:
    return EsManifest(es, settings.manifests_index, run_id, started.source, (started.planned, started.retiring))


# ---------------------------------------------------------------------------------------------- batches
class BatchProcessor:
    """Runs `process_batch`; holds the spaCy pipeline so every batch of one process shares it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.options = extract_options(settings.json_fields, settings.max_file_mb)
        self.enricher = Enricher(EnrichOptions.from_settings(settings))
        preloaded = load_pipeline.cache_info().currsize > 0  # ingest.preload ran in a parent of this process
        log.info("spaCy pipeline %s: %s", settings.spacy_model,
                 "preloaded (inherited from the worker process)" if preloaded else "loaded on first use")

    def process_batch(self, ref: BatchRef, dry_run: bool = False, manifest: Manifest | None = None,
                      writer: RunWriter | None = None) -> RunCounts:
        """Read, parse, normalise, enrich and index the batch's files, a chunk at a time, then write their
        ledger entries (through `writer`: a dry run's records them). Safe to retry: ids are deterministic
        and the ledger is written last."""
        es = client(self.settings)
        writer = writer or writer_for(es, self.settings, dry_run)
        if manifest is None:
            manifest = EsManifest(es, self.settings.manifests_index, ref.run_id, "", (0, 0))
        counts = RunCounts()
        started = time.perf_counter()
        for chunk in _chunks(manifest.batch(ref), CHUNK):
            counts = counts + self._chunk(es, writer, chunk, ref.run_id)
        _check_error_budget(counts, ref)
        log_batch_summary(f"batch {ref.number} of run {ref.run_id}", counts.numbers(),
                          time.perf_counter() - started, logger=log)
        return counts

    def _chunk(self, es: Elasticsearch, writer: RunWriter, chunk: list[Planned], run_id: str) -> RunCounts:
        read = [self._extract(p.file) for p in chunk]
        results = list(enrich_results(self.enricher, (r for _, r in read)))
        files = [replace(f, sha256=r.source.sha256 or f.sha256) for (f, _), r in zip(read, results, strict=True)]
        root = files[0].root
        previous = ledger.get_entries(es, self.settings, root, (f.path for f in files))
        copies = ledger.indexed_with_content(es, self.settings, root, (f.sha256 for f in files))
        articles = stories.assign_stories(es, self.settings.index_alias, [a for r in results for a in r.articles])
        outcomes = {o.doc_id: o for o in writer.index_articles(articles)}
        entries = [_entry(f, res, outcomes, previous.get(f.path), _other(copies.get(f.sha256), f.path), run_id)
                   for f, res in zip(files, results, strict=True)]
        deleted = writer.delete_articles(_stale_ids(es, self.settings, entries, previous))
        writer.write_ledger(entries)
        return _chunk_counts(results, entries, outcomes, deleted)

    def _extract(self, seed: SeedFile) -> tuple[SeedFile, FileResult]:
        limit = int(self.settings.max_file_mb * 1024 * 1024)
        try:
            if seed.size > limit:
                raise FileTooLarge(seed.path, f"{seed.size / 1024 / 1024:.1f} MB is over the "
                                                f"{self.settings.max_file_mb:g} MB limit (INGEST_MAX_FILE_MB)")
            data = sources.read_bytes(seed, limit)
        except Rejected as exc:
            source = SourceInfo(path=seed.path, format=EXTENSIONS.get(PurePosixPath(seed.path).suffix, "text"),
                                sha256=seed.sha256, size=seed.size)
            return seed, FileResult(source, rejections=[Rejection.of(source, exc)])
        return seed, extract_file(seed.path, data, self.options)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _check_error_budget(counts: RunCounts, ref: BatchRef) -> None:
    files = counts.indexed_files + counts.rejected
    if counts.internal_errors >= 5 and counts.internal_errors > ERROR_BUDGET * files:
        raise TerminalError(f"batch {ref.number}: {counts.internal_errors} of {files} files failed with internal "
                            "errors (a bug, not bad input); see the rejected files' reasons in the ledger")


def _other(path: str | None, own: str) -> str | None:
    return path if path and path != own else None


def _entry(  # noqa: PLR0917 - one ledger entry from everything known about the file
    file: SeedFile, result: FileResult, outcomes: dict[str, index.BulkOutcome], previous: LedgerEntry | None,
    same_content_as: str | None, run_id: str,
) -> LedgerEntry:
    failed = [outcomes[a.id] for a in result.articles if a.id in outcomes and not outcomes[a.id].ok]
    indexed = tuple(dict.fromkeys(a.id for a in result.articles if a.id in outcomes and outcomes[a.id].ok))
    rejected = tuple(RecordRejection(r.source.record, r.stage, r.reason, r.kind) for r in result.rejections)
    state: ledger.State = "indexed" if indexed and not failed else "rejected"
    verdict = _verdict(file.path, failed, rejected) if state == "rejected" else None
    if verdict is not None:
        log_rejected(file.path, verdict.stage, verdict.reason, logger=log)
    return LedgerEntry(
        file=file, state=state, pipeline_version=PIPELINE_VERSION, format=result.source.format,
        stage=verdict.stage if verdict else None, reason=verdict.reason if verdict else None,
        kind=verdict.kind if verdict else None, attempts=(previous.attempts if previous else 0) + 1,
        doc_ids=indexed if state == "indexed" else (), rejected_records=rejected,
        same_content_as=same_content_as if state == "indexed" else None, last_run_id=run_id,
    )


def _verdict(path: str, failed: list[index.BulkOutcome], rejected: tuple[RecordRejection, ...],
             ) -> RecordRejection:
    """Why a file is rejected: Elasticsearch refused a document, else its first rejection, else no document."""
    if failed:
        refused = IndexRefused(path, failed[0].error or "refused by Elasticsearch")
        return RecordRejection(None, refused.stage, refused.reason, refused.kind)
    if rejected:
        return rejected[0]
    empty = NoDocuments(path, "no documents found")
    return RecordRejection(None, empty.stage, empty.reason, empty.kind)


def _stale_ids(
    es: Elasticsearch, settings: Settings, entries: list[LedgerEntry], previous: dict[str, LedgerEntry]
) -> set[str]:
    """Documents an earlier version of these files produced and no file produces now."""
    old = {i for e in entries if (p := previous.get(e.path)) for i in p.doc_ids}
    candidates = old - {i for e in entries for i in e.doc_ids}
    if not candidates:
        return set()
    return candidates - ledger.owned_elsewhere(es, settings, candidates, exclude={e.key for e in entries})


def _chunk_counts(results: list[FileResult], entries: list[LedgerEntry], outcomes: dict[str, index.BulkOutcome],
                  deleted: int) -> RunCounts:
    indexed = sum(1 for e in entries if e.state == "indexed")
    kinds = Counter(e.kind or ledger.UNKNOWN_KIND for e in entries if e.state == "rejected")
    return RunCounts(
        indexed_files=indexed, rejected=len(entries) - indexed, rejected_by_kind=dict(sorted(kinds.items())),
        documents=sum(len(r.articles) for r in results),
        indexed_docs=sum(1 for o in outcomes.values() if o.ok),
        rejected_records=sum(len(r.rejections) for r in results if r.articles),
        internal_errors=sum(1 for r in results if r.internal_error),  # stage internal or enrich: a bug
        deleted_docs=deleted,
    )


# ---------------------------------------------------------------------------------------------- report
def report(
    settings: Settings, run_id: str, batches: Sequence[RunCounts | None], *, trigger: str = "manual",
    options: RunOptions | None = None, planning: Planning | None = None, failures: Sequence[str] = (),
    writer: RunWriter | None = None,
) -> RunReport:
    """Finish a run: retire vanished files when it is safe, total the counts, store the run report.
    `batches` holds each batch's counts, None for a batch that failed for good. The report's `state` is
    `failed`, with a `reason`, when discovery or a batch failed, the listing was incomplete or a mass
    deletion was refused; the caller turns that into a failed task / exit status. A dry run's writer
    stores nothing: in one process it hands its `planning` over; under Airflow its discovery left what it
    found beside the manifest, which is dropped here with the rest."""
    options = options or RunOptions()
    es = client(settings)
    writer = writer or writer_for(es, settings, options.dry_run)
    started = _started(es, settings, run_id, options, planning)
    manifest = planning.manifest if planning is not None and planning.manifest is not None else \
        _manifest(es, settings, run_id, started)
    problems = _problems(started, planning is not None, batches, failures)
    retired = RunCounts()
    if not problems and options.delete_missing:
        # an event run retires only announced files that are now skipped, never the missing: no guard
        retired, refusal = _retire(es, writer, settings, manifest, run_id, indexed_before=started.indexed_before,
                                   allow_mass_delete=options.allow_mass_delete or options.events)
        problems += [refusal] if refusal else []
    if problems and options.events and manifest.planned:
        _announce_again(writer, manifest)
    summary = _summarise(es, writer, settings, started, batches, retired, problems, options, trigger)
    _store(es, writer, settings, summary, manifest, drop=started.started_at is not None or planning is not None)
    if isinstance(writer, DryRunWriter) and planning is not None:  # one writer saw the whole dry run
        summary = replace(summary, would_write=writer.would_write())
    return summary


def _problems(started: RunReport, in_process: bool, batches: Sequence[RunCounts | None], failures: Sequence[str],
              ) -> list[str]:
    """Why the run failed: discovery did not finish, batches failed for good, the listing was incomplete."""
    problems: list[str] = []
    if started.discovery is None and not in_process:
        problems.append("discovery did not complete (see the discover step's log); nothing was processed")
    planned = (started.discovery or RunCounts()).batches
    failed = max(0, max(planned, len(batches)) - sum(1 for b in batches if b is not None))
    if failed:
        problems.append(f"{failed} of {max(planned, len(batches))} batches failed for good "
                        f"({'; '.join(failures[:3]) or 'see their task logs'}); their files are tried again "
                        "next run, and nothing was deleted")
    return problems + [f"the listing was incomplete ({p}); nothing was deleted" for p in started.problems]


def _summarise(  # noqa: PLR0917 - the totals from everything the run left
    es: Elasticsearch, writer: RunWriter, settings: Settings, started: RunReport,
    batches: Sequence[RunCounts | None], retired: RunCounts, problems: list[str], options: RunOptions, trigger: str,
) -> RunReport:
    """The finished report: discovery's counts + the batches' + the retirements'. The batches' sums count a
    document once per file that produced it; after a real run the ledger says how many distinct ones."""
    discovery = started.discovery or RunCounts()
    done = [b for b in batches if b is not None]
    failed = max(0, max(discovery.batches, len(batches)) - len(done))
    totals = discovery + RunCounts.total(done) + retired + RunCounts(failed_batches=failed)
    if not writer.dry_run and done:
        index.refresh(es, settings.ledger_index)
        totals = replace(totals, indexed_docs=ledger.documents_written(es, settings, started.run_id))
    return started.finished(
        source=started.source or normalise_root(settings.source), index=settings.index_alias, trigger=trigger,
        pipeline_version=PIPELINE_VERSION, state="failed" if problems else "success",
        reason="; ".join(problems) or None, dry_run=options.dry_run, mode=options.mode, counts=totals,
        discovery=discovery)


def _store(es: Elasticsearch, writer: RunWriter, settings: Settings, summary: RunReport, manifest: Manifest, *,
           drop: bool) -> None:
    """Settle the run's stories, store its report, drop its manifest, log one line."""
    writer.consolidate_stories(summary.run_id, (i for r in manifest.retirements() for i in r.entry.doc_ids))
    writer.store_report(summary)
    if drop:
        manifest.drop()
    if not writer.dry_run:
        index.refresh(es, settings.index_alias, settings.ledger_index, settings.runs_index)
    totals = (summary.counts or RunCounts()).to_dict()
    (log.error if summary.failed else log.info)("run %s %s: %s%s", summary.run_id, summary.state, totals,
                                                f" — {summary.reason}" if summary.reason else "")


def _started(es: Elasticsearch, settings: Settings, run_id: str, options: RunOptions, planning: Planning | None,
             ) -> RunReport:
    """What discovery stored at the run's start: its run report, or (a dry run under Airflow) beside its
    manifest; a dry run in one process hands its `planning` over instead. A run whose discovery never
    finished has none: an empty `running` report, without `started_at`."""
    empty = RunReport(run_id=run_id, state="running", source="", index=settings.index_alias, mode=options.mode)
    if planning is not None:
        return planning.start or replace(empty, discovery=planning.counts)
    if not options.dry_run:
        return runs.load(es, settings, run_id) or empty
    stored = EsManifest.stored_start(es, settings.manifests_index, run_id)
    return RunReport.from_dict(stored) if stored else empty


def announcement(settings: Settings, run_id: str, trigger: str) -> RunAnnouncement:
    """What the alias's asset event says of run `run_id`: its stored report's state and counts (a run
    whose report was never stored, say Elasticsearch was away, is failed)."""
    stored = runs.load(client(settings), settings, run_id)
    state = stored.state if stored is not None else "failed"
    counts = stored.counts if stored is not None and stored.counts is not None else RunCounts()
    return RunAnnouncement(run_id=run_id, index=settings.index_alias, trigger=trigger,
                           state="failed" if state == "running" else state, counts=counts.numbers())


def _announce_again(writer: RunWriter, manifest: Manifest) -> None:
    """A failed event run puts its files back in the inbox: the next event run takes them up (those a batch
    did finish are then unchanged, and cost a look at the ledger)."""
    files = (p.file for p in manifest.batch(BatchRef("", 0, 0, manifest.planned)))
    first = next(files, None)
    if first is not None:
        count = writer.announce(first.root, itertools.chain([first.path], (f.path for f in files)))
        log.warning("event run failed: its %d files are back in the inbox for the next event run", count)


def _retire(
    es: Elasticsearch, writer: RunWriter, settings: Settings, manifest: Manifest, run_id: str, *,
    indexed_before: int, allow_mass_delete: bool,
) -> tuple[RunCounts, str | None]:
    """Files gone from the source (or now skipped) leave the ledger's live set, and their documents go
    unless another file still produces them (a copy, or the same content under a new name). Refuses,
    deleting nothing, when that would remove more than `max_delete_share` of the root's indexed files."""
    if manifest.retiring == 0:
        return RunCounts(), None
    index.refresh(es, settings.ledger_index)  # every batch's entries visible: they may own the same ids
    doomed = sum(1 for chunk in _chunks(manifest.retirements(), 500)
                 for r, moved in _with_moves(es, settings, chunk) if r.entry.doc_ids and not moved)
    share = settings.max_delete_share
    if doomed and not allow_mass_delete and doomed > share * indexed_before:
        root = next(iter(manifest.retirements())).entry.root
        return RunCounts(), (
            f"refused to delete the documents of {doomed} of the {indexed_before} indexed files of {root} "
            f"(more than {share:.0%}: an unmounted or emptied source?); nothing was deleted. If they really "
            "went away, run again with --allow-mass-delete (DAG param allow_mass_delete)")
    counts = RunCounts()
    for chunk in _chunks(manifest.retirements(), 500):
        pairs = _with_moves(es, settings, chunk)
        ids = {i for r, _ in pairs for i in r.entry.doc_ids}
        stale = ids - ledger.owned_elsewhere(es, settings, ids, exclude={r.entry.key for r, _ in pairs})
        deleted_docs = writer.delete_articles(stale)
        writer.write_ledger(
            replace(r.entry, state=r.state, doc_ids=(), last_run_id=run_id, stage="discover", kind=None,
                    reason=f"renamed or moved to {moved}" if moved else r.reason)
            for r, moved in pairs)
        counts = counts + RunCounts(deleted=sum(1 for r, _ in pairs if r.state == "deleted"),
                                    deleted_docs=deleted_docs)
    return counts, None


def _with_moves(es: Elasticsearch, settings: Settings, chunk: list[Retirement]) -> list[tuple[Retirement, str | None]]:
    """Each retirement with the path its content now lives under, if an indexed file has it."""
    root = chunk[0].entry.root
    shas = (r.entry.file.sha256 for r in chunk if r.state == "deleted")
    moved = ledger.indexed_with_content(es, settings, root, shas)
    return [(r, _other(moved.get(r.entry.file.sha256), r.entry.path) if r.state == "deleted" else None)
            for r in chunk]


# ---------------------------------------------------------------------------------------------- one pass
def run_once(
    settings: Settings, run_id: str, options: RunOptions | None = None, *,
    progress: Callable[[int, int], None] | None = None, workers: int | None = None,
    writer: RunWriter | None = None,
) -> RunReport:
    """One whole pass with the same steps the DAG runs as tasks; batches run on `workers` processes
    (default: settings, else the machine's cores), each loading the spaCy model once. A dry run's steps
    share one `DryRunWriter` (pass your own to see what it recorded; the report's `would_write` counts it)."""
    options = options or RunOptions()
    if not options.dry_run:
        ensure_index(settings)
    writer = writer or writer_for(client(settings), settings, options.dry_run)
    planning = discover(settings, run_id, options, in_memory=True, writer=writer)
    workers = workers or worker_count(settings)
    results: list[RunCounts | None] = []
    failures: list[str] = []
    for n, (ref, outcome) in enumerate(_run_batches(settings, planning, options, workers, writer), 1):
        results.append(outcome.counts)
        if outcome.error:
            failures.append(f"batch {ref.number}: {outcome.error}")
            log.error("batch %d failed: %s", ref.number, outcome.error)
        if progress:
            progress(n, len(planning.batches))
        if outcome.unavailable and n < len(planning.batches):  # the next batches would wait just as long
            failures.append(f"the other {len(planning.batches) - n} batches were not started: Elasticsearch "
                            "stayed unavailable")
            log.error("Elasticsearch stayed unavailable through batch %d's retries: %d batches not started",
                      ref.number, len(planning.batches) - n)
            break
    return report(settings, run_id, results, trigger="cli", options=options, planning=planning,
                  failures=failures, writer=writer)


def _run_batches(
    settings: Settings, planning: Planning, options: RunOptions, workers: int, writer: RunWriter,
) -> Iterator[tuple[BatchRef, Outcome]]:
    """Each batch and how it ended, in the order they finish. Closing the iterator early ends the pool
    (a batch cut off mid-way wrote only idempotent documents, no ledger entries: the next run redoes it)."""
    if options.dry_run or workers <= 1 or len(planning.batches) <= 1:
        processor = BatchProcessor(settings) if planning.batches else None
        for ref in planning.batches:
            assert processor is not None
            step = functools.partial(processor.process_batch, ref, options.dry_run, planning.manifest, writer)
            yield ref, _attempt(step)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(min(workers, len(planning.batches)), initializer=_init_worker, initargs=(settings,)) as pool:
        for done, outcome in pool.imap_unordered(_pooled_batch, [r.to_dict() for r in planning.batches]):
            yield BatchRef.from_dict(done), outcome


_worker: BatchProcessor | None = None


def _init_worker(settings: Settings) -> None:
    global _worker  # noqa: PLW0603 - one processor (spaCy model, ES client) per worker process
    _worker = BatchProcessor(settings)


def _pooled_batch(ref: dict[str, Any]) -> tuple[dict[str, Any], Outcome]:
    assert _worker is not None
    processor = _worker
    return ref, _attempt(lambda: processor.process_batch(BatchRef.from_dict(ref)))


@dataclass(frozen=True)
class Outcome:
    """How one batch of an in-process run ended: its counts, or why it failed for good (`unavailable`:
    Elasticsearch stayed unreachable or overloaded through every try)."""

    counts: RunCounts | None
    error: str | None = None
    unavailable: bool = False


def _attempt(step: Callable[[], RunCounts], tries: int = 3) -> Outcome:
    """Run one batch; transient Elasticsearch errors are retried with backoff (as Airflow retries a task)."""
    for attempt in range(1, tries + 1):
        try:
            return Outcome(step())
        except TransientError as exc:
            if attempt == tries:
                return Outcome(None, str(exc), unavailable=True)
            time.sleep(2 ** attempt)
        except IngestError as exc:
            return Outcome(None, str(exc))
    return Outcome(None, "not run")
