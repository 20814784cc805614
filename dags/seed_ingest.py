"""seed_ingest: new seed files → normalised, enriched articles in Elasticsearch (docs/architecture.md, "Flow").

    ensure_index → discover → process_batch (mapped: one task per batch, in parallel) → report (teardown)
                                                                                      → announce (asset)

Wiring only: every step is a function of `ingest.pipeline`. XCom carries batch references (run id, batch
number, a range of manifest entries; the file lists live in Elasticsearch) and counts. `report` fails the
run when discovery or a batch failed for good, the listing was incomplete or a mass deletion was refused.
`announce` updates the alias's asset (`news-ingest.<alias>`) with the run's id, state and counts, for the
DAGs that work on new articles.

Two ways in (docs/architecture.md, "Freshness"):
- events: with INGEST_WATCH on (the default) and a local source, a watcher in the triggerer
  (`ingest_airflow.triggers.SeedFolderTrigger`, behind an AssetWatcher on `news-ingest.<alias>.incoming`)
  announces each complete arrival; the run it starts reads only the announced files, and deletes nothing.
  Arrivals during a run wait in the inbox and start one next run (`max_active_runs=1`).
- the reconciliation: `INGEST_SCHEDULE`, a cron expression ("0 2 * * *") or preset ("@daily", the default
  while watching; "@hourly" without a watcher), "none" for none: a complete listing, safe deletions, and
  anything an event missed. Trigger by hand from the UI form or the REST API with the params below.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import Asset, AssetOrTimeSchedule, AssetWatcher, CronTriggerTimetable, Param, dag, task

from ingest.assets import (
    RUN_TRIGGERS,
    articles_asset_name,
    articles_asset_uri,
    incoming_asset_name,
    incoming_asset_uri,
)
from ingest.config import load_settings, normalise_root
from ingest.variables import RUN_PARAM_HELP, sentence
from ingest_airflow.tasks import entry_point
from ingest_airflow.triggers import SeedFolderTrigger

CONFIGURED = load_settings()
ALIAS = CONFIGURED.index_alias
ARTICLES = Asset(name=articles_asset_name(ALIAS), uri=articles_asset_uri(ALIAS), group="news-ingest")
INCOMING = Asset(
    name=incoming_asset_name(ALIAS), uri=incoming_asset_uri(ALIAS), group="news-ingest",
    watchers=[AssetWatcher(name=f"watch-{ALIAS}", trigger=SeedFolderTrigger(
        source=normalise_root(CONFIGURED.source), index=ALIAS,
        mode="poll" if CONFIGURED.watch == "poll" else "auto",
        settle=CONFIGURED.watch_settle, poll=CONFIGURED.watch_poll))],
) if CONFIGURED.watching else None
CRON = CONFIGURED.reconciliation  # INGEST_SCHEDULE


def _schedule() -> Any:
    if INCOMING is None:
        return CRON
    if CRON is None:
        return INCOMING
    return AssetOrTimeSchedule(timetable=CronTriggerTimetable(CRON, timezone="UTC"), assets=INCOMING)


def _settings(params: dict[str, Any]) -> Any:
    """Settings from the environment and the `elasticsearch_default` connection, and the run's params (a
    `source` param must lie inside the allowed roots)."""
    from ingest.config import allowed_source
    from ingest_airflow.connections import settings

    base = settings()
    return base.with_overrides(source=allowed_source(base, params.get("source")), index_alias=params.get("index"),
                               batch_size=params.get("batch_size"))


def _options(params: dict[str, Any], dag_run: Any) -> Any:
    """The run's options from its params; a run the watcher's asset started reads only announced files."""
    from ingest.pipeline import RunOptions

    mode = params.get("mode") or "auto"
    events = mode == "events" or (mode == "auto" and _run_type(dag_run) == "asset_triggered")
    return RunOptions(force=bool(params.get("force")), dry_run=bool(params.get("dry_run")),
                      delete_missing=bool(params.get("delete_missing", True)),
                      allow_mass_delete=bool(params.get("allow_mass_delete")), events=events)


def _run_type(dag_run: Any) -> str:
    """`asset_triggered`, `scheduled`, `manual`, … (an enum in the task context: its value)."""
    kind = getattr(dag_run, "run_type", None)
    return str(getattr(kind, "value", kind) or "")


@dag(
    dag_id="seed_ingest",
    schedule=_schedule(),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(seconds=20), "retry_exponential_backoff": True,
                  "max_retry_delay": timedelta(minutes=5)},
    params={
        "source": Param(None, type=["null", "string"], title="Source",
                        description=sentence(RUN_PARAM_HELP["source"]) + ". Empty: the configured source."),
        "force": Param(False, type="boolean", title="Force",
                       description="Re-process every file, changed or not (e.g. after a pipeline change)."),
        "dry_run": Param(False, type="boolean", title="Dry run",
                         description="List, parse and enrich, but write nothing to the index or the ledger."),
        "delete_missing": Param(True, type="boolean", title="Delete missing",
                                description="Remove the documents of files that left the source."),
        "allow_mass_delete": Param(False, type="boolean", title="Allow mass delete",
                                   description=sentence(RUN_PARAM_HELP["allow_mass_delete"]) + "."),
        "batch_size": Param(None, type=["null", "integer"], minimum=1, maximum=100_000, title="Batch size",
                            description=sentence(RUN_PARAM_HELP["batch_size"]) + "."),
        "index": Param(None, type=["null", "string"], pattern="^[a-z0-9][a-z0-9_.-]*$", title="Index alias",
                       description=sentence(RUN_PARAM_HELP["index"]) + "."),
        "mode": Param("auto", enum=["auto", "full", "events"], title="Mode",
                      description="full: list the whole source, delete what left it (the reconciliation). "
                                  "events: only the files the watcher announced (the inbox), no deletions. "
                                  "auto: events when the watcher's asset started the run, else full."),
    },
    tags=["ingest", "elasticsearch"],
    doc_md=__doc__,
)
def seed_ingest() -> None:
    @task
    @entry_point
    def ensure_index(params: dict[str, Any] | None = None, dag_run: Any = None) -> str:
        from ingest import pipeline

        params = params or {}
        if _options(params, dag_run).dry_run:
            return "dry run: index left as it is"
        return pipeline.ensure_index(_settings(params))

    @task
    @entry_point
    def discover(alias: str, params: dict[str, Any] | None = None, run_id: str | None = None, dag_run: Any = None,
                 ) -> list[dict[str, Any]]:
        from ingest import pipeline

        params = params or {}
        planning = pipeline.discover(_settings(params), str(run_id), _options(params, dag_run))
        return [ref.to_dict() for ref in planning.batches]

    @task
    @entry_point
    def process_batch(
        batch: dict[str, Any], params: dict[str, Any] | None = None, dag_run: Any = None
    ) -> dict[str, Any]:
        from ingest import pipeline
        from ingest.batches import BatchRef

        params = params or {}
        processor = pipeline.BatchProcessor(_settings(params))
        return processor.process_batch(BatchRef.from_dict(batch), dry_run=_options(params, dag_run).dry_run).to_dict()

    @task(retries=1)  # a teardown (below): it runs when the batches are done, failed, or stopped by hand
    @entry_point
    def report(results: Any, params: dict[str, Any] | None = None, run_id: str | None = None, dag_run: Any = None,
               ) -> dict[str, Any]:
        from ingest import pipeline
        from ingest.counts import RunCounts
        from ingest.errors import TerminalError

        params = params or {}
        # index, not iterate: iterating a lazy XCom sequence probes one past its end and logs an error
        batches = [RunCounts.from_dict(results[i]) if results[i] else None for i in range(len(results))]
        summary = pipeline.report(_settings(params), str(run_id), batches, trigger="airflow",
                                  options=_options(params, dag_run))
        if summary.failed:
            raise TerminalError(f"run {run_id} failed: {summary.reason}")
        return {"state": summary.state, "counts": (summary.counts or RunCounts()).to_dict()}

    @task(outlets=[ARTICLES], retries=1)  # a teardown too (below): it runs whatever became of the run
    @entry_point
    def announce(params: dict[str, Any] | None = None, run_id: str | None = None, dag_run: Any = None,
                 outlet_events: Any = None) -> dict[str, Any]:
        """The alias's asset gets an event whatever became of the run (a failed run wrote documents too)."""
        from airflow.sdk.exceptions import AirflowSkipException

        from ingest import pipeline

        params = params or {}
        if _options(params, dag_run).dry_run:
            raise AirflowSkipException("a dry run writes nothing: no asset event")
        trigger = RUN_TRIGGERS.get(_run_type(dag_run), _run_type(dag_run) or "manual")
        announcement = pipeline.announcement(_settings(params), str(run_id), trigger).to_dict()
        outlet_events[ARTICLES].extra = announcement
        return announcement

    index = ensure_index()
    batches = discover(index)
    # `report` is the teardown of `ensure_index`: it runs whatever became of discovery and the batches, even
    # when someone marks the run failed in the UI (Airflow then skips or fails every task but teardowns),
    # so the run report never stays "running"; and its failure fails the DAG run.
    done = report(process_batch.expand(batch=batches)).as_teardown(setups=index, on_failure_fail_dagrun=True)
    # `announce` follows the report as a second teardown that cannot fail the run: so the report stays what
    # decides the run's state (a plain task after it would become the leaf, and a failed report a green run)
    done >> announce().as_teardown(setups=index)


seed_ingest()
