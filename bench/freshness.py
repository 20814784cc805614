"""Freshness benchmark: how long from a file's rename into the source to searchable, under the real stack
(`make up`'s processes: api-server, scheduler, dag-processor, triggerer; LocalExecutor), with many files
already in the source and indexed, and a steady inflow.

    .venv/bin/python bench/freshness.py                       # 100k present, 5 files/s for 5 minutes
    .venv/bin/python bench/freshness.py --present 10000,100000 --minutes 2   # both sizes, one run: the ratio
    options: --rate N (files/s), --minutes M, --idle S (seconds of idle CPU measure), --json

For each size: N small files are written in folders of 1,000 and given a ledger entry each (as if a run had
indexed them: the watcher and the event runs must not care how many there are). The stack starts on that
source with the watcher on and no schedule; two warm-up files start the executor's workers. Then:
- idle: the CPU the triggerer process (Airflow's own loop and the watcher) uses while nothing arrives;
- inflow: `rate` files a second for `minutes`, each written beside the source and renamed into it; a reader
  polls the index every 0.5 s and notes when each becomes searchable.
Per file, the delay is split at: the incoming asset's event that announced it (`event`), the creation of
the event run that indexed it (`run created`), the end of that run's batches (`batch`), and the moment the
search saw it (`searchable`: after the index refresh). Also the mean duration of the event runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def at(value: str | None) -> float:
    return datetime.fromisoformat(value).timestamp() if value else float("nan")


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {"p50": round(statistics.median(ordered), 1),
            "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
            "max": round(ordered[-1], 1)}


class Reader(threading.Thread):
    """Polls the alias every half second; notes when each inflow file first shows up in a search."""

    def __init__(self, es: Any, alias: str) -> None:
        super().__init__(daemon=True)
        self.es, self.alias, self.seen, self.stop = es, alias, {}, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            now = time.time()
            try:
                found = self.es.search(index=self.alias, size=10_000, source_includes=["source.path"],
                                       query={"prefix": {"source.path": "inflow/"}})
            except Exception:  # noqa: BLE001 - a bench: retry on the next tick
                time.sleep(0.5)
                continue
            for hit in found["hits"]["hits"]:
                self.seen.setdefault(hit["_source"]["source"]["path"], now)
            time.sleep(0.5)


def incoming_events(api: Any, alias: str) -> list[float]:
    from ingest.assets import incoming_asset_name

    name = incoming_asset_name(alias)
    assets = [a for a in api.request("GET", f"/api/v2/assets?name_pattern={urllib.parse.quote(name)}")["assets"]
              if a["name"] == name]
    if not assets:
        return []
    stamps: list[float] = []
    while True:
        page = api.request("GET", f"/api/v2/assets/events?asset_id={assets[0]['id']}&limit=100&offset={len(stamps)}")
        stamps += [at(e["timestamp"]) for e in page["asset_events"]]
        if not page["asset_events"] or len(stamps) >= page["total_entries"]:
            return sorted(stamps)


def one_size(present: int, rate: float, minutes: float, idle: float) -> dict[str, Any]:
    import airflow_local as af
    from scale import cleanup, fill_ledger, write_small_files

    from ingest import index, ledger
    from ingest.config import load_settings

    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        source, staging = tmp / "source", tmp / "staging"
        staging.mkdir()
        write_small_files(source / "existing", present)
        settings = load_settings().with_overrides(source=str(source), index_alias=f"bench-{uuid.uuid4().hex[:8]}")
        es = index.connect(settings)
        index.ensure_index(es, settings)
        started = time.time()
        fill_ledger(settings)
        prepared = time.time() - started
        stack = af.Stack(home=tmp / "airflow", port=af.local_es.free_port())
        env = af.stack_env(stack, os.environ, extra={
            "ES_URL": settings.es_url, "ES_USERNAME": settings.es_username or "",
            "ES_PASSWORD": settings.es_password or "", "INGEST_SOURCE": str(source),
            "INGEST_INDEX": settings.index_alias, "INGEST_SCHEDULE": "none", "INGEST_WATCH": "on",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING"})
        components = af.local_components()
        reader = Reader(es, settings.index_alias)
        try:
            af.migrate(stack, env)
            af.ensure_password_file(stack)
            af.start(stack, components, env)
            api = af.wait_until_up(stack, components)
            api.unpause()
            drop_and_wait(es, settings, staging, source, ["warm/a.txt", "warm/b.txt"])
            triggerer = af.pid_of(stack, "triggerer")
            assert triggerer is not None
            before = cpu_seconds(triggerer)
            time.sleep(idle)
            idle_share = (cpu_seconds(triggerer) - before) / idle
            reader.start()
            renamed = inflow(staging, source, rate, minutes)
            deadline = time.time() + 300
            while len(reader.seen) < len(renamed) and time.time() < deadline:
                time.sleep(1)
            reader.stop.set()
            runs = {r["dag_run_id"]: r for r in api.dag_runs() if r["run_type"] == "asset_triggered"}
            batch_end = {run_id: max((at(t["end_date"]) for t in api.task_instances(run_id)
                                      if t["task_id"] == "process_batch"), default=float("nan"))
                         for run_id in runs}
            index.refresh(es, settings.ledger_index)
            entries = ledger.get_entries(es, settings, str(source), list(renamed))
            events = incoming_events(api, settings.index_alias)
        finally:
            af.stop(stack.home)
            cleanup(settings)
    return summarise(present, prepared, idle_share, renamed, seen=reader.seen, entries=entries, runs=runs,
                     batch_end=batch_end, events=events)


def drop_and_wait(es: Any, settings: Any, staging: Path, source: Path, paths: list[str]) -> None:
    for rel in paths:
        staged = staging / rel.replace("/", "_")
        staged.write_text(f"Warm up {rel}\n\nA short note about the county board, {rel}.\n")
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        staged.rename(source / rel)
    deadline = time.time() + 600
    while time.time() < deadline:
        es.indices.refresh(index=settings.index_alias)
        if es.count(index=settings.index_alias, query={"prefix": {"source.path": "warm/"}})["count"] == len(paths):
            return
        time.sleep(1)
    raise RuntimeError("the warm-up files were not indexed within 10 minutes")


def inflow(staging: Path, source: Path, rate: float, minutes: float) -> dict[str, float]:
    """`rate` files a second for `minutes`, renamed into source/inflow/; path → time of its rename."""
    (source / "inflow").mkdir()
    renamed: dict[str, float] = {}
    count = int(rate * minutes * 60)
    start = time.time()
    for n in range(count):
        time.sleep(max(0.0, start + n / rate - time.time()))
        rel = f"inflow/{n:06d}.txt"
        staged = staging / f"{n:06d}.txt"
        staged.write_text(f"Inflow story {n}\n\nLISBON (Reuters) - Story number {n} of the steady inflow said "
                          f"{n * 3} visitors came to the harbour museum on Saturday.\n")
        staged.rename(source / rel)
        renamed[rel] = time.time()
    return renamed


def summarise(present: int, prepared: float, idle_share: float, renamed: dict[str, float], *,
              seen: dict[str, float], entries: dict[str, Any], runs: dict[str, Any], batch_end: dict[str, float],
              events: list[float]) -> dict[str, Any]:
    import bisect

    stages: dict[str, list[float]] = {"event": [], "run created": [], "batch": [], "searchable": []}
    for path, when in renamed.items():
        entry = entries.get(path)
        if path in seen:
            stages["searchable"].append(seen[path] - when)
        k = bisect.bisect_left(events, when)
        if k < len(events):
            stages["event"].append(events[k] - when)
        if entry is not None and entry.last_run_id in runs:
            stages["run created"].append(at(runs[entry.last_run_id]["queued_at"]) - when)
            stages["batch"].append(batch_end[entry.last_run_id] - when)
    durations = [at(r["end_date"]) - at(r["start_date"]) for r in runs.values() if r.get("end_date")]
    return {
        "present": present, "ledger_filled_s": round(prepared, 1), "inflow_files": len(renamed),
        "searchable_files": len(seen), "missing": sorted(set(renamed) - set(seen))[:5],
        "delay_s": {name: percentiles(values) for name, values in stages.items()},
        "event_runs": len(runs), "event_run_mean_s": round(statistics.mean(durations), 2) if durations else None,
        "idle_triggerer_cpu_share_of_a_core": round(idle_share, 4),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--present", default="100000", help="files already in the source (comma-separated sizes)")
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [one_size(int(n), args.rate, args.minutes, args.idle) for n in args.present.split(",")]
    figures: dict[str, Any] = {"sizes": results}
    if len(results) > 1 and results[0]["event_run_mean_s"] and results[-1]["event_run_mean_s"]:
        figures["event_run_ratio_largest_to_smallest"] = round(
            results[-1]["event_run_mean_s"] / results[0]["event_run_mean_s"], 2)
    print(json.dumps(figures, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    raise SystemExit(main())
