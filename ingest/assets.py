"""The Asset every ingestion run updates, named here so that the DAGs (which build Airflow's `Asset` from
it) and the library agree without the library importing Airflow (docs/architecture.md, "Freshness").

One asset per alias. Each run of `seed_ingest` (event, schedule or manual) emits one event on it, whose
extra is a `RunAnnouncement`: the run's id, the alias, how it was started, its state and counts — a
reference to what the run wrote (the ledger names the run's documents: `ledger.documents_written`), never
a list of documents. DAGs that work on new articles (`news_alerts`) schedule on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def articles_asset_name(alias: str) -> str:
    """The asset's name: `news-ingest.<alias>`."""
    return f"news-ingest.{alias}"


def articles_asset_uri(alias: str) -> str:
    """The asset's URI; the `x-` scheme marks it as the project's own (Airflow normalises no `x-` URI)."""
    return f"x-news-ingest://articles/{alias}"


def incoming_asset_name(alias: str) -> str:
    """The asset a folder watcher updates when files arrive for `alias` (what event runs schedule on)."""
    return f"news-ingest.{alias}.incoming"


def incoming_asset_uri(alias: str) -> str:
    return f"x-news-ingest://incoming/{alias}"


RUN_TRIGGERS = {"asset_triggered": "event", "scheduled": "schedule", "manual": "manual"}


@dataclass(frozen=True)
class RunAnnouncement:
    """The extra of an asset event: what a run did, by reference."""

    run_id: str
    index: str
    trigger: str  # event | schedule | manual | cli
    state: str  # success | failed
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "index": self.index, "trigger": self.trigger, "state": self.state,
                "counts": dict(self.counts)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunAnnouncement:
        return cls(run_id=str(data["run_id"]), index=str(data["index"]), trigger=str(data.get("trigger", "")),
                   state=str(data.get("state", "")), counts={str(k): int(v) for k, v in
                                                             (data.get("counts") or {}).items()})
