"""The watcher of a seed folder, as an event trigger for Airflow's triggerer (docs/architecture.md,
"Freshness"): behind an `AssetWatcher` on the alias's *incoming* asset, it puts each complete arrival in
the inbox (`ingest.arrivals.announce_arrivals`) and fires one event per write; the scheduler turns the
events queued while a run is busy into one event run (`seed_ingest`, `max_active_runs=1`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseEventTrigger, TriggerEvent

log = logging.getLogger(__name__)


class SeedFolderTrigger(BaseEventTrigger):
    """Watches `source` for the alias `index`; `mode`, `settle`, `poll` as `ingest.arrivals.WatchOptions`."""

    def __init__(self, source: str, index: str, mode: str = "auto", settle: float = 30.0, poll: float = 5.0):
        super().__init__()
        self.source, self.index, self.mode, self.settle, self.poll = source, index, mode, settle, poll

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (f"{type(self).__module__}.{type(self).__qualname__}",
                {"source": self.source, "index": self.index, "mode": self.mode, "settle": self.settle,
                 "poll": self.poll})

    async def run(self) -> AsyncIterator[TriggerEvent]:
        from ingest.arrivals import WatchOptions, announce_arrivals
        from ingest.logs import quiet_third_party

        quiet_third_party()  # the triggerer runs this: an entry point (the library leaves logging alone)
        settings = await _settings(self.source, self.index)
        options = WatchOptions(mode=self.mode, settle=self.settle, poll=self.poll)
        async for announcement in announce_arrivals(settings, options):
            yield TriggerEvent(announcement)


async def _settings(source: str, index: str) -> Any:
    """The environment's settings, the `elasticsearch_default` connection if one is defined, this
    watcher's source and alias."""
    from ingest_airflow.connections import settings_async

    return (await settings_async()).with_overrides(source=source, index_alias=index)
