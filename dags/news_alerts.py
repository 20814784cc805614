"""news_alerts: after each ingestion run, every watch checked against the documents that run wrote
(docs/architecture.md, "Watchlists and alerts").

    check (one task: the runs announced by the triggering asset events, or the `run_id` param)

Scheduled on the alias's Asset (`ingest.assets`): each `seed_ingest` run emits an event on it whose extra is
a `RunAnnouncement` (run id, alias, trigger, state, counts). Several events coalesced into one run are each
checked. Trigger by hand with `{"run_id": "..."}` to check a given run again (alerts are never sent twice).
Wiring only: the work is `ingest.alerts.check_run`. SMTP comes from the `smtp_default` connection when
defined, else INGEST_SMTP_* in the environment; Elasticsearch as for seed_ingest. A failed delivery does not
fail the task: it is recorded on the alert and tried again at the next check.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import Asset, Param, dag, task

from ingest.assets import articles_asset_name, articles_asset_uri
from ingest.config import load_settings
from ingest.variables import INDEX, sentence
from ingest_airflow.tasks import entry_point

ALIAS = load_settings().index_alias


def _settings(alias: str) -> Any:
    """Settings from the environment and the `elasticsearch_default` connection, for `alias`."""
    from ingest_airflow.connections import settings

    return settings().with_overrides(index_alias=alias)


def _smtp() -> Any:
    """The `smtp_default` connection when defined, else INGEST_SMTP_* in the environment."""
    from ingest_airflow.connections import smtp_traced

    return smtp_traced()[0]


def _runs(params: dict[str, Any], events: Any) -> list[tuple[str, str]]:
    """(run id, alias) of each run to check: the param's, else each triggering event's announcement."""
    from ingest.assets import RunAnnouncement

    if params.get("run_id"):
        return [(str(params["run_id"]), str(params.get("index") or ALIAS))]
    found = [RunAnnouncement.from_dict(e.extra) for evs in (events or {}).values() for e in evs if e.extra]
    return list(dict.fromkeys((a.run_id, a.index) for a in found))


@dag(
    dag_id="news_alerts",
    schedule=[Asset(name=articles_asset_name(ALIAS), uri=articles_asset_uri(ALIAS), group="news-ingest")],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(seconds=30), "retry_exponential_backoff": True},
    params={
        "run_id": Param(None, type=["null", "string"], title="Run id",
                        description="Check the documents this ingestion run wrote (default: the runs of the "
                                    "asset events that triggered this run)."),
        "index": Param(None, type=["null", "string"], pattern="^[a-z0-9][a-z0-9_.-]*$", title="Index alias",
                       description=sentence(INDEX.help("alias of that run")) + "."),
    },
    tags=["ingest", "alerts"],
    doc_md=__doc__,
)
def news_alerts() -> None:
    @task
    @entry_point
    def check(params: dict[str, Any] | None = None, triggering_asset_events: Any = None) -> list[dict[str, Any]]:
        from ingest import index
        from ingest.alerts import check_run

        runs = _runs(params or {}, triggering_asset_events)
        smtp = _smtp()
        reports = []
        for run_id, alias in runs:
            settings = _settings(alias)
            reports.append(check_run(index.connect(settings), settings, run_id, smtp).to_dict())
        return reports  # counts and reasons (secrets redacted), never articles

    check()


news_alerts()
