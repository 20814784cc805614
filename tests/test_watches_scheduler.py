"""news_alerts under Airflow's real scheduler, started by the alias's Asset: a seed_ingest run triggered through
the REST API emits the asset event (its `announce` task's outlet, a `RunAnnouncement`), the scheduler starts
news_alerts, which tells the watch's webhook and mailbox about the run's new story; a second run with nothing
new starts news_alerts again, which tells nobody. Should seed_ingest stop announcing, no news_alerts run is
created and the test says so.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import airflow_local as af
import pytest
from conftest import ingest_cli, settings_env
from receivers import Mailbox, Webhook, smtp_server, webhook_server
from test_scheduler import FAST_LOOPS, RUN_TIMEOUT, make_up, stack_settings
from test_watches import GLACIER, HARBOUR, write

from ingest.config import Settings

pytestmark = [pytest.mark.airflow,
              pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")]


@pytest.fixture
def receivers() -> Iterator[tuple[Webhook, Mailbox]]:
    with webhook_server() as hook, smtp_server() as mail:
        yield hook, mail


@pytest.fixture
def alert_stack(es_connection: dict[str, str], tmp_path: Path, receivers: tuple[Webhook, Mailbox],
                request: pytest.FixtureRequest) -> tuple[af.Api, Settings, Path]:
    """`make up`'s stack (api-server, scheduler, dag-processor, triggerer; LocalExecutor) with the schedule
    off, news_alerts unpaused, the SMTP server in the environment; stopped by the finalizer."""
    roots = tmp_path / "roots"
    (roots / "scheduled").mkdir(parents=True)
    settings = stack_settings(es_connection, roots / "scheduled")
    env = {**settings_env(settings), **FAST_LOOPS, **receivers[1].env(), "INGEST_SCHEDULE": "none",
           "INGEST_ALLOWED_ROOTS": str(roots)}
    stack, _ = make_up(tmp_path / "airflow", env, request.addfinalizer)
    api = af.Api(stack)
    deadline = time.monotonic() + 120
    while api.dag("news_alerts") is None:  # parsed by the dag-processor
        assert time.monotonic() < deadline, af.logs_tail(stack, ["dag-processor"], 40)
        time.sleep(1)
    assert api.unpause("news_alerts")["is_paused"] is False
    return api, settings, roots


def wait_alert_run(api: af.Api, after: set[str], timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    runs: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        runs = [r for r in api.dag_runs("news_alerts") if r["dag_run_id"] not in after]
        done = [r for r in runs if r["state"] in {"success", "failed"}]
        if done:
            return done[0]
        time.sleep(2)
    raise AssertionError(f"no news_alerts run finished {timeout:.0f}s after seed_ingest ended (runs: {runs}); "
                         "does seed_ingest emit the alias's asset event (ingest.assets)?")


def test_an_ingestion_run_triggers_news_alerts_through_the_asset(
    alert_stack: tuple[af.Api, Settings, Path], receivers: tuple[Webhook, Mailbox]
) -> None:
    api, settings, roots = alert_stack
    hook, mail = receivers
    added = ingest_cli(settings, "watch", "add", "harbour", "Rotterdam strike", "--webhook", f"{hook.url}/hook",
                       "--email", "desk@example.org")
    assert added.returncode == 0
    folder = roots / "manual"
    folder.mkdir()
    write(folder, "harbour.txt", HARBOUR)
    write(folder, "glacier.txt", GLACIER)

    run = api.trigger({"source": str(folder)})
    done = af.wait_for_run(api, run["dag_run_id"], RUN_TIMEOUT, ["scheduler"])
    assert done["state"] == "success", done
    alert_run = wait_alert_run(api, set(), RUN_TIMEOUT)
    assert alert_run["state"] == "success", api.task_instances(alert_run["dag_run_id"], "news_alerts")
    assert alert_run["run_type"] == "asset_triggered"
    (post,) = hook.delivered("/hook")
    assert post["watch"] == "harbour" and [a["title"] for a in post["articles"]] == [HARBOUR[0]]
    (message,) = mail.messages
    assert HARBOUR[0] in message.get_content()

    # a second ingestion run with nothing new: news_alerts runs again, and says nothing
    again = api.trigger({"source": str(folder)})
    assert af.wait_for_run(api, again["dag_run_id"], RUN_TIMEOUT, ["scheduler"])["state"] == "success"
    second = wait_alert_run(api, {alert_run["dag_run_id"]}, RUN_TIMEOUT)
    assert second["state"] == "success"
    assert len(hook.posts()) == 1 and len(mail.messages) == 1
