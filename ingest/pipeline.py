"""The four steps of a run (DESIGN.md §3), used by the Airflow DAG and by `ingest run` alike.

    ensure_index → discover → process_batch (× batches) → report

Between steps only references and counts travel: batches are lists of `FileRef` dicts (paths, sizes,
hashes), never file contents, so the DAG can hand them through XCom.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from elasticsearch import Elasticsearch

from ingest import PIPELINE_VERSION, index, ledger, sources
from ingest.config import Settings
from ingest.enrich import Enricher, EnrichOptions
from ingest.errors import Rejected, TerminalError, UnreadableFile
from ingest.extract import INTERNAL, FileResult, enrich_results, extract_file, extract_options
from ingest.ledger import LedgerEntry, RecordRejection
from ingest.parse import EXTENSIONS, is_seed_file
from ingest.records import Rejection, SeedFile, SourceInfo

log = logging.getLogger(__name__)

# Fail a batch (so the scheduler retries it and someone looks) when more than this share of its files
# hit a bug rather than bad input; below it, such files are rejected like any bad input.
ERROR_BUDGET = 0.5


@dataclass(frozen=True)
class FileRef:
    """A reference to one file to process: what travels between tasks."""

    root: str
    path: str
    size: int
    mtime: float
    sha256: str
    change: str
    same_content_as: str | None = None

    @property
    def seed(self) -> SeedFile:
        return SeedFile(path=self.path, root=self.root, size=self.size, mtime=self.mtime, sha256=self.sha256)


@dataclass
class Discovery:
    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def ensure_index(settings: Settings) -> str:
    return index.ensure_index(index.connect(settings), settings)


def discover(settings: Settings, run_id: str, force: bool = False, dry_run: bool = False) -> Discovery:
    """List the source, compare with the ledger, retire gone files, and cut the rest into batches.
    With `dry_run`, only read (the ledger, if there is one) and plan."""
    es = index.connect(settings)
    root = sources.normalise_root(settings.source)
    entries = ledger.load_entries(es, settings, root)
    plan = ledger.plan_run(sources.list_seed_files(root), entries, PIPELINE_VERSION, force, _seed_hash)
    counts = plan.counts()
    unsupported = [c for c in plan.to_process if not is_seed_file(c.seed.path)]
    plan.to_process = [c for c in plan.to_process if is_seed_file(c.seed.path)]
    counts["skipped"] = len(unsupported)
    if not dry_run:
        _skip(es, settings, unsupported, run_id)  # before _retire: a skipped file produces no documents
        counts["deleted_docs"] = _retire(es, settings, plan, run_id)
        _touch_unchanged(es, settings, plan.unchanged)
    batches = _batches(plan, entries, root, settings.batch_size)
    counts["batches"] = len(batches)
    if not dry_run:
        _store_run(es, settings, run_id, {"run_id": run_id, "source": root, "index": settings.index_alias,
                                          "state": "running", "started_at": datetime.now(UTC).isoformat(),
                                          "discovery": counts})
    log.info("discovered %s under %s", counts, root)
    return Discovery(batches, counts)


def _seed_hash(seed: SeedFile) -> str:
    """Files of other types are skipped unread, so they are not hashed either."""
    return sources.sha256_of(seed) if is_seed_file(seed.path) else ""


def _batches(plan: ledger.Plan, entries: dict[str, LedgerEntry], root: str, size: int) -> list[list[dict[str, Any]]]:
    """File references to process, cut into batches; a file whose content an indexed file already has
    is marked `same_content_as` that file."""
    by_sha = {e.sha256: e.path for e in entries.values() if e.state == "indexed"}
    refs = [
        asdict(FileRef(root, c.seed.path, c.seed.size, c.seed.mtime, c.seed.sha256, c.change,
                       _other(by_sha.get(c.seed.sha256), c.seed.path)))
        for c in plan.to_process
    ]
    size = max(1, size)
    return [refs[i:i + size] for i in range(0, len(refs), size)]


def _store_run(es: Elasticsearch, settings: Settings, run_id: str, doc: dict[str, Any]) -> None:
    with index.classified_errors("storing the run report"):
        es.index(index=settings.runs_index, id=run_id, document=doc)


def _load_run(es: Elasticsearch, settings: Settings, run_id: str) -> dict[str, Any]:
    with index.classified_errors("reading the run report"):
        found = es.options(ignore_status=404).get(index=settings.runs_index, id=run_id)
    return dict(found.get("_source") or {}) if found.get("found") else {}


def _skip(es: Elasticsearch, settings: Settings, changes: list[ledger.FileChange], run_id: str) -> None:
    """Files that are not seeds by their type (README.md, images): `skipped` in the ledger, never read."""
    ledger.write_entries(es, settings, (
        LedgerEntry(root=c.seed.root, path=c.seed.path, size=c.seed.size, mtime=c.seed.mtime,
                    sha256=c.seed.sha256, state="skipped", pipeline_version=PIPELINE_VERSION, stage="discover",
                    reason=f"not a seed file type ({PurePosixPath(c.seed.path).suffix}); "
                           f"supported: {', '.join(EXTENSIONS)}",
                    attempts=(c.previous.attempts if c.previous else 0) + 1, last_run_id=run_id)
        for c in changes
    ))


def _other(path: str | None, own: str) -> str | None:
    return path if path and path != own else None


def _retire(es: Elasticsearch, settings: Settings, plan: ledger.Plan, run_id: str) -> int:
    """Files that disappeared → `deleted`. Their documents are deleted unless another file still produces
    them, or a file with the same content arrives in this run (a rename: it re-writes the same ids)."""
    if not plan.gone:
        return 0
    arriving = {c.seed.sha256: c.seed.path for c in plan.to_process}
    ids = {i for e in plan.gone if e.sha256 not in arriving for i in e.doc_ids}
    stale = ids - ledger.owned_elsewhere(es, settings, ids, exclude={e.key for e in plan.gone})
    deleted = index.bulk_delete(es, settings.index_alias, stale)
    ledger.write_entries(es, settings, (
        replace(e, state="deleted", doc_ids=(), last_run_id=run_id,
                reason=f"renamed or moved to {arriving[e.sha256]}" if e.sha256 in arriving
                else "file no longer in the source")
        for e in plan.gone
    ))
    return deleted


def _touch_unchanged(es: Elasticsearch, settings: Settings, unchanged: Iterable[ledger.FileChange]) -> None:
    """Same content, new mtime (a `touch` or a copy-back): record the new stat so it is not hashed again."""
    moved = [c for c in unchanged if c.previous and c.previous.mtime != c.seed.mtime]
    ledger.write_entries(
        es, settings, (replace(c.previous, mtime=c.seed.mtime, size=c.seed.size) for c in moved if c.previous)
    )


class BatchProcessor:
    """Runs `process_batch`; holds the spaCy pipeline so several batches in one process share it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.options = extract_options(settings.json_fields)
        self.enricher = Enricher(EnrichOptions(spacy_model=settings.spacy_model))

    def process_batch(self, batch: list[dict[str, Any]], run_id: str, dry_run: bool = False) -> dict[str, int]:
        refs = [FileRef(**ref) for ref in batch]
        results = list(enrich_results(self.enricher, (self._extract(ref) for ref in refs)))
        _check_error_budget(refs, results)
        if dry_run:
            return _batch_counts(results, {}, 0)
        es = index.connect(self.settings)
        previous = ledger.get_entries(es, self.settings, refs[0].root, (r.path for r in refs)) if refs else {}
        outcomes = {o.doc_id: o for o in index.bulk_index(es, self.settings.index_alias,
                                                           (a for r in results for a in r.articles))}
        entries = [_entry(ref, res, outcomes, previous.get(ref.path), run_id)
                   for ref, res in zip(refs, results, strict=True)]
        stale = _stale_ids(es, self.settings, entries, previous)
        deleted = index.bulk_delete(es, self.settings.index_alias, stale)
        ledger.write_entries(es, self.settings, entries)
        return _batch_counts(results, outcomes, deleted)

    def _extract(self, ref: FileRef) -> FileResult:
        try:
            if ref.size > self.settings.max_file_mb * 1024 * 1024:
                raise UnreadableFile(ref.path, f"{ref.size / 1024 / 1024:.1f} MB is over the "
                                               f"{self.settings.max_file_mb} MB limit (INGEST_MAX_FILE_MB)")
            data = sources.read_bytes(ref.seed)
        except Rejected as exc:
            source = SourceInfo(path=ref.path, format=EXTENSIONS.get(PurePosixPath(ref.path).suffix, "text"),
                                sha256=ref.sha256, size=ref.size)
            return FileResult(source, rejections=[Rejection(source, exc.stage, exc.reason)])
        return extract_file(ref.path, data, self.options)


def _check_error_budget(refs: list[FileRef], results: list[FileResult]) -> None:
    internal = [r for r in results if any(x.stage == INTERNAL for x in r.rejections)]
    if len(internal) >= 5 and len(internal) > ERROR_BUDGET * len(refs):
        first = internal[0].rejections[0]
        raise TerminalError(
            f"{len(internal)} of {len(refs)} files failed with internal errors, e.g. {first.source.path}: "
            f"{first.reason}"
        )


def _entry(
    ref: FileRef, result: FileResult, outcomes: dict[str, index.BulkOutcome], previous: LedgerEntry | None,
    run_id: str,
) -> LedgerEntry:
    failed = [outcomes[a.id] for a in result.articles if a.id in outcomes and not outcomes[a.id].ok]
    indexed = tuple(dict.fromkeys(a.id for a in result.articles if a.id in outcomes and outcomes[a.id].ok))
    rejected = tuple(RecordRejection(r.source.record, r.stage, r.reason) for r in result.rejections)
    state: ledger.State = "indexed" if indexed and not failed else "rejected"
    stage, reason = None, None
    if failed:
        stage, reason = "index", failed[0].error
    elif not indexed:
        stage, reason = (rejected[0].stage, rejected[0].reason) if rejected else ("parse", "no documents found")
    return LedgerEntry(
        root=ref.root, path=ref.path, size=ref.size, mtime=ref.mtime, sha256=result.source.sha256 or ref.sha256,
        state=state, pipeline_version=PIPELINE_VERSION, format=result.source.format, stage=stage,
        reason=reason, attempts=(previous.attempts if previous else 0) + 1,
        doc_ids=indexed if state == "indexed" else (), rejected_records=rejected,
        same_content_as=ref.same_content_as, last_run_id=run_id,
    )


def _stale_ids(
    es: Elasticsearch, settings: Settings, entries: list[LedgerEntry], previous: dict[str, LedgerEntry]
) -> set[str]:
    """Documents an earlier version of these files produced and no file produces now."""
    old = {i for e in entries if (p := previous.get(e.path)) for i in p.doc_ids}
    new = {i for e in entries for i in e.doc_ids}
    candidates = old - new
    if not candidates:
        return set()
    return candidates - ledger.owned_elsewhere(es, settings, candidates, exclude={e.key for e in entries})


def _batch_counts(results: list[FileResult], outcomes: dict[str, index.BulkOutcome], deleted: int) -> dict[str, int]:
    states: Counter[str] = Counter()
    for r in results:
        ok = r.articles and all(outcomes.get(a.id) is None or outcomes[a.id].ok for a in r.articles)
        states["files_indexed" if ok else "files_rejected"] += 1
    return {
        "files_indexed": states["files_indexed"],
        "files_rejected": states["files_rejected"],
        "documents": sum(len(r.articles) for r in results),
        "indexed_docs": sum(1 for o in outcomes.values() if o.ok),
        "rejected_records": sum(len(r.rejections) for r in results if r.articles),
        "internal_errors": sum(1 for r in results if any(x.stage == INTERNAL for x in r.rejections)),
        "deleted_docs": deleted,
    }


def report(
    settings: Settings, run_id: str, batches: Iterable[dict[str, int] | None], trigger: str = "manual"
) -> dict[str, Any]:
    """Aggregate a run's counts (discovery's, stored by `discover`, plus each batch's), store the run
    report in Elasticsearch, and make the new documents searchable. Missing batch results (a batch
    that failed for good) are counted in `failed_batches`."""
    es = index.connect(settings)
    started = _load_run(es, settings, run_id)
    discovery: dict[str, int] = started.get("discovery", {})
    results = list(batches)
    totals = Counter(discovery)
    for counts in results:
        totals.update(counts or {})
    failed = max(0, discovery.get("batches", 0) - sum(1 for r in results if r))
    summary: dict[str, Any] = {
        "run_id": run_id, "source": started.get("source", sources.normalise_root(settings.source)),
        "index": settings.index_alias, "trigger": trigger, "pipeline_version": PIPELINE_VERSION,
        "state": "failed" if failed else "success",
        "started_at": started.get("started_at"), "finished_at": datetime.now(UTC).isoformat(),
        "counts": {
            "discovered": totals["discovered"], "new": totals["new"], "changed": totals["changed"],
            "unchanged": totals["unchanged"], "rejected": totals["files_rejected"], "skipped": totals["skipped"],
            "deleted": totals["gone"],
            "indexed_files": totals["files_indexed"], "indexed_docs": totals["indexed_docs"],
            "rejected_records": totals["rejected_records"], "deleted_docs": totals["deleted_docs"],
            "internal_errors": totals["internal_errors"], "failed_batches": failed,
        },
        "discovery": discovery,
    }
    _store_run(es, settings, run_id, summary)
    index.refresh(es, settings.index_alias, settings.ledger_index, settings.runs_index)
    log.info("run %s: %s", run_id, summary["counts"])
    return summary


def run_once(
    settings: Settings, run_id: str, force: bool = False, dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """One whole pass in this process, with the same steps the DAG runs as tasks."""
    if not dry_run:
        ensure_index(settings)
    found = discover(settings, run_id, force=force, dry_run=dry_run)
    processor = BatchProcessor(settings)
    results = []
    for n, batch in enumerate(found.batches, 1):
        results.append(processor.process_batch(batch, run_id, dry_run=dry_run))
        if progress:
            progress(n, len(found.batches))
    if dry_run:
        return {"run_id": run_id, "dry_run": True, "counts": {**found.counts, **_sum(results)}}
    return report(settings, run_id, results, trigger="cli")


def _sum(results: list[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for r in results:
        total.update(r)
    return dict(total)
