"""What a run writes, behind one small protocol: articles indexed and deleted, ledger entries, the run
report, inbox entries. `EsWriter` writes them to Elasticsearch; `DryRunWriter` (`--dry-run`, the DAG's
`dry_run` param) writes nothing and records what it would have written, so a dry run goes through the
same code as a real one (it reads the ledger and the index as a real run does).

    writer = writer_for(es, settings, dry_run)
    outcomes = writer.index_articles(articles)     # one BulkOutcome per article
    writer.delete_articles(ids); writer.write_ledger(entries); writer.store_report(report)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from elasticsearch import Elasticsearch

from ingest import inbox, index, ledger, runs, stories
from ingest.config import Settings
from ingest.index import BulkOutcome
from ingest.ledger import LedgerEntry
from ingest.records import Article

if TYPE_CHECKING:
    from ingest.runs import RunReport

SAMPLE = 1000  # what a dry run keeps of each kind of write (ids, paths): the counts are exact


class RunWriter(Protocol):
    """Everything a run writes goes through here."""

    @property
    def dry_run(self) -> bool: ...

    def index_articles(self, articles: Sequence[Article]) -> list[BulkOutcome]: ...
    def delete_articles(self, doc_ids: Iterable[str]) -> int: ...
    def write_ledger(self, entries: Iterable[LedgerEntry]) -> int: ...
    def store_report(self, report: RunReport) -> None: ...
    def close_interrupted(self, run_id: str) -> None: ...
    def settle_inbox(self, root: str, taken: Sequence[inbox.Announced]) -> None: ...
    def announce(self, root: str, paths: Iterable[str]) -> int: ...
    def consolidate_stories(self, run_id: str, gone: Iterable[str]) -> None: ...


class EsWriter:
    """Writes to Elasticsearch (the alias, the ledger, run reports and inbox of `settings`)."""

    dry_run = False

    def __init__(self, es: Elasticsearch, settings: Settings) -> None:
        self.es, self.settings = es, settings

    def index_articles(self, articles: Sequence[Article]) -> list[BulkOutcome]:
        return list(index.bulk_index(self.es, self.settings.index_alias, articles))

    def delete_articles(self, doc_ids: Iterable[str]) -> int:
        return index.bulk_delete(self.es, self.settings.index_alias, doc_ids)

    def write_ledger(self, entries: Iterable[LedgerEntry]) -> int:
        return ledger.write_entries(self.es, self.settings, entries)

    def store_report(self, report: RunReport) -> None:
        runs.store(self.es, self.settings, report)

    def close_interrupted(self, run_id: str) -> None:
        runs.close_interrupted(self.es, self.settings, run_id)

    def settle_inbox(self, root: str, taken: Sequence[inbox.Announced]) -> None:
        inbox.settle(self.es, self.settings, root, taken)

    def announce(self, root: str, paths: Iterable[str]) -> int:
        return inbox.announce(self.es, self.settings, root, paths)

    def consolidate_stories(self, run_id: str, gone: Iterable[str]) -> None:
        """Story ids that do not depend on the order the batches ran in (`stories.consolidate`)."""
        stories.consolidate(self.es, self.settings.index_alias, ledger.run_documents(self.es, self.settings, run_id),
                            gone=gone)


class DryRunWriter:
    """Writes nothing; `counts` says how many of each write it was asked for, `sample` the first ids or
    paths of each (articles, deleted_articles, ledger_entries, run_reports, inbox_settled, inbox_announced)."""

    dry_run = True

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.sample: dict[str, list[str]] = {}

    def _record(self, what: str, names: Iterable[str]) -> int:
        kept = self.sample.setdefault(what, [])
        n = 0
        for name in names:
            n += 1
            if len(kept) < SAMPLE:
                kept.append(name)
        self.counts[what] += n
        return n

    def index_articles(self, articles: Sequence[Article]) -> list[BulkOutcome]:
        self._record("articles", (a.id for a in articles))
        return [BulkOutcome(a.id, ok=True) for a in articles]

    def delete_articles(self, doc_ids: Iterable[str]) -> int:
        return self._record("deleted_articles", doc_ids)

    def write_ledger(self, entries: Iterable[LedgerEntry]) -> int:
        return self._record("ledger_entries", (f"{e.state} {e.path}" for e in entries))

    def store_report(self, report: RunReport) -> None:
        self._record("run_reports", [f"{report.run_id} {report.state}"])

    def close_interrupted(self, run_id: str) -> None:
        """A dry run leaves other runs' reports alone."""

    def settle_inbox(self, root: str, taken: Sequence[inbox.Announced]) -> None:
        self._record("inbox_settled", (a.path for a in taken))

    def announce(self, root: str, paths: Iterable[str]) -> int:
        return self._record("inbox_announced", paths)

    def consolidate_stories(self, run_id: str, gone: Iterable[str]) -> None:
        """Nothing was indexed: no story to settle."""

    def would_write(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))


def writer_for(es: Elasticsearch, settings: Settings, dry_run: bool) -> RunWriter:
    return DryRunWriter() if dry_run else EsWriter(es, settings)
