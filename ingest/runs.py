"""Run reports: one document per run in Elasticsearch (`<alias>-runs`), read and written only here.

    discover ─▶ store(RunReport state=running) ─▶ … batches … ─▶ report ─▶ store(state=success|failed)

A run's report is stored when discovery is done (state `running`, with what discovery found, so the
`report` step on any worker can finish it) and again at the end with the totals. `ingest status`, the
DAG's asset event and the Kibana "Ingestion" dashboard read it back. Reports written by older versions
read too: every field they lack takes its default.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast

from elasticsearch import Elasticsearch

from ingest.config import Settings
from ingest.counts import RunCounts
from ingest.index import classified_errors

log = logging.getLogger(__name__)

RunState = Literal["running", "success", "failed"]
Mode = Literal["full", "events"]


@dataclass(frozen=True)
class Owner:
    """The process of an `ingest run` (a run in Airflow has none: its `report` task always runs)."""

    host: str
    pid: int

    @classmethod
    def this_process(cls) -> Owner:
        return cls(socket.gethostname(), os.getpid())


@dataclass(frozen=True)
class RunReport:
    """What a run did. `counts` are the totals (at the end), `discovery` what discovery found; `planned`
    and `retiring` the sizes of its batch manifest; `problems` what made the listing incomplete."""

    run_id: str
    state: RunState
    source: str
    index: str
    mode: Mode = "full"
    trigger: str | None = None  # cli | airflow (set at the end)
    pipeline_version: str | None = None
    dry_run: bool = False
    reason: str | None = None  # why the run failed
    started_at: str | None = None
    finished_at: str | None = None
    counts: RunCounts | None = None
    discovery: RunCounts | None = None
    planned: int = 0
    retiring: int = 0
    indexed_before: int = 0  # indexed files of the root before the run (the mass-deletion guard's base)
    problems: tuple[str, ...] = ()
    owner: Owner | None = None
    would_write: dict[str, int] | None = None  # a dry run in one process: what it would have written

    @property
    def failed(self) -> bool:
        return self.state != "success"

    def finished(self, **changes: Any) -> RunReport:
        return replace(self, finished_at=datetime.now(UTC).isoformat(), **changes)

    def to_dict(self) -> dict[str, Any]:
        """The stored document (and the JSON of `ingest run --json`)."""
        return {
            "run_id": self.run_id, "source": self.source, "index": self.index, "trigger": self.trigger,
            "pipeline_version": self.pipeline_version, "state": self.state, "reason": self.reason,
            "dry_run": self.dry_run, "mode": self.mode, "started_at": self.started_at,
            "finished_at": self.finished_at,
            "counts": self.counts.to_dict() if self.counts is not None else None,
            "discovery": self.discovery.to_dict() if self.discovery is not None else None,
            "manifest": {"planned": self.planned, "retiring": self.retiring},
            "indexed_before": self.indexed_before, "problems": list(self.problems),
            "owner": {"host": self.owner.host, "pid": self.owner.pid} if self.owner is not None else None,
            **({"would_write": dict(self.would_write)} if self.would_write is not None else {}),
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> RunReport:
        manifest = doc.get("manifest") or {}
        owner = doc.get("owner") or {}
        return cls(
            run_id=str(doc.get("run_id") or ""), state=cast("RunState", doc.get("state") or "failed"),
            source=str(doc.get("source") or ""), index=str(doc.get("index") or ""),
            mode=cast("Mode", doc.get("mode") or "full"), trigger=doc.get("trigger"),
            pipeline_version=doc.get("pipeline_version"), dry_run=bool(doc.get("dry_run")),
            reason=doc.get("reason"), started_at=doc.get("started_at"), finished_at=doc.get("finished_at"),
            counts=RunCounts.from_dict(doc["counts"]) if doc.get("counts") is not None else None,
            discovery=RunCounts.from_dict(doc["discovery"]) if doc.get("discovery") is not None else None,
            planned=int(manifest.get("planned") or 0), retiring=int(manifest.get("retiring") or 0),
            indexed_before=int(doc.get("indexed_before") or 0), problems=tuple(doc.get("problems") or ()),
            owner=Owner(str(owner.get("host")), owner["pid"]) if isinstance(owner.get("pid"), int) else None,
            would_write={str(k): int(v) for k, v in doc["would_write"].items()} if doc.get("would_write") else None,
        )


def store(es: Elasticsearch, settings: Settings, report: RunReport) -> None:
    with classified_errors("storing the run report"):
        es.index(index=settings.runs_index, id=report.run_id, document=report.to_dict())


def load(es: Elasticsearch, settings: Settings, run_id: str) -> RunReport | None:
    """Run `run_id`'s report, None if none was stored."""
    with classified_errors("reading the run report"):
        found = es.options(ignore_status=404).get(index=settings.runs_index, id=run_id)
    return RunReport.from_dict(dict(found["_source"])) if found.get("found") else None


def latest(es: Elasticsearch, settings: Settings) -> RunReport | None:
    """The report of the run that finished last, None before the first."""
    with classified_errors("reading run reports"):
        found = es.options(ignore_status=404).search(
            index=settings.runs_index, size=1, query={"exists": {"field": "finished_at"}},
            sort=[{"finished_at": {"order": "desc", "unmapped_type": "date"}}],
        )
    hits = found.get("hits", {}).get("hits", [])
    return RunReport.from_dict(dict(hits[0]["_source"])) if hits else None


def close_interrupted(es: Elasticsearch, settings: Settings, run_id: str) -> None:
    """Reports still `running` of `ingest run`s on this machine whose process is gone (killed, or the
    machine restarted) become `failed`, saying so; their unfinished files are simply new or changed to this
    run. A run on another machine, or in Airflow (its `report` task always runs), is left alone."""
    with classified_errors("reading run reports"):
        found = es.options(ignore_status=404).search(
            index=settings.runs_index, size=100, query={"term": {"state": "running"}}, source_includes=["owner"])
    host = socket.gethostname()
    for hit in found.get("hits", {}).get("hits", []):
        owner = hit["_source"].get("owner") or {}
        pid = owner.get("pid")
        if hit["_id"] == run_id or owner.get("host") != host or not isinstance(pid, int) or _ingest_alive(pid):
            continue
        reason = (f"interrupted: its process ({pid} on {host}) ended before the run finished (killed, or the "
                  f"machine restarted); run {run_id} took up its files")
        with classified_errors("closing an interrupted run's report"):
            es.update(index=settings.runs_index, id=hit["_id"], doc={
                "state": "failed", "reason": reason, "finished_at": datetime.now(UTC).isoformat()})
        log.warning("run %s %s", hit["_id"], reason)


def _ingest_alive(pid: int) -> bool:
    """Process `pid` exists and is an `ingest` process (not another that reused the number); unsure: yes."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: look at its command line
    if not Path("/proc/self").exists():
        return True  # no /proc to read command lines from: that it exists must do
    try:
        return b"ingest" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:  # ended meanwhile
        return False
    except OSError:
        return True
