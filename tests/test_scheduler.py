"""seed_ingest under Airflow's real scheduler (not `airflow dags test`): an api-server, a scheduler and a
dag-processor started here on a free loopback port, runs triggered through the REST API v2 or fired by the
schedule, and the same DAG on CeleryExecutor with two workers, Redis as broker and PostgreSQL as metadata
database (Debian's packages, installed by scripts/services.py when missing). Every process is started in
its own process group and stopped by the fixtures' finalizers, whatever the outcome of the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import airflow_local as af
import psutil
import pytest
import services
from conftest import BIN, SEED, ingest_cli, settings_env
from elasticsearch import Elasticsearch

from ingest import index
from ingest.config import Settings

pytestmark = pytest.mark.airflow

RUN_TIMEOUT = 300  # seconds for one DAG run (each task is a fresh process; process_batch loads spaCy)
FAST_LOOPS = {  # short scheduler / dag-processor loops: the tests wait on them
    "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
    "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
    "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
    "AIRFLOW__DAG_PROCESSOR__BUNDLE_REFRESH_CHECK_INTERVAL": "2",
    "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
    "AIRFLOW__API__WORKERS": "1",
}

# Tiny wire stories of our own (each a distinct document) next to the mission's seed.
STORIES = {
    "harbour.txt": ("Harbour cranes return to Rotterdam after strike",
                    "ROTTERDAM (Reuters) - Dock workers in Rotterdam ended a three-day strike on Tuesday after "
                    "the port authority agreed to review shift patterns, the FNV union said."),
    "glacier.txt": ("Swiss glacier lost a tenth of its ice this summer",
                    "ZURICH (Reuters) - The Rhone glacier lost about a tenth of its volume this summer, "
                    "researchers at ETH Zurich said on Monday, the steepest loss since records began."),
    "rail.txt": ("Kenya opens rail link between Nairobi and Naivasha",
                 "NAIROBI (Reuters) - Kenya Railways opened a new passenger service between Nairobi and "
                 "Naivasha on Friday, cutting the journey to under two hours, the transport ministry said."),
    "wheat.txt": ("Wheat prices ease in Chicago as harvest advances",
                  "CHICAGO (Reuters) - Wheat futures fell on Thursday as the harvest in Kansas moved ahead "
                  "of schedule, traders at the Chicago Board of Trade said."),
    "museum.txt": ("Lisbon museum reopens after five-year renovation",
                   "LISBON (Reuters) - The Gulbenkian museum in Lisbon reopened on Saturday after a "
                   "renovation that took five years, the foundation's director Ana Costa said."),
    "chess.txt": ("Norwegian teenager wins Oslo chess open",
                  "OSLO (Reuters) - A sixteen-year-old from Bergen won the Oslo chess open on Sunday, "
                  "beating the grandmaster Magnus Holm in the final round, organisers said."),
}


def write_stories(folder: Path, names: list[str], with_seed: bool = False, updates: int = 0) -> list[str]:
    """Write the named stories (and optionally the mission seed) into folder; return the file names. Each
    story carries `updates` numbered update paragraphs after its lead: long stories keep a batch busy."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        title, body = STORIES[name]
        paragraphs = "".join(f"Update {i}: {body}\n\n" for i in range(1, updates + 1))
        (folder / name).write_text(f"{title}\n\nBy Jane Doe, Reuters\n\n{body}\n\n{paragraphs}The statement "
                                   "gave no further details.\n")
    if with_seed:
        shutil.copy(SEED, folder / SEED.name)
    return [*names, *([SEED.name] if with_seed else [])]


@dataclass(frozen=True)
class RunningStack:
    stack: af.Stack
    api: af.Api
    settings: Settings
    roots: Path
    names: tuple[str, ...]
    output: str = ""  # what `airflow_local.py up` printed


def launch(home: Path, env: dict[str, str], components: list[af.Component], *,
           finalizer: Callable[[Callable[[], None]], None], settings: Settings, roots: Path) -> RunningStack:
    """Migrate, write the admin password file, start the components, wait for the api-server and the
    parsed DAG, unpause it. The finalizer stops every process of the stack and fails if one survives."""
    stack = af.Stack(home=home, port=int(env["AIRFLOW__API__PORT"]))
    names = tuple(c.name for c in components)

    def stop_all() -> None:
        left = af.stop(home, names, grace=30)
        assert not left, f"processes of the test stack survived stop: {left}"

    finalizer(stop_all)
    af.migrate(stack, env)
    af.ensure_password_file(stack)
    af.start(stack, components, env)
    api = af.wait_until_up(stack, components, timeout=240)
    assert api.unpause()["is_paused"] is False
    return RunningStack(stack=stack, api=api, settings=settings, roots=roots, names=names)


def stack_settings(es_connection: dict[str, str], folder: Path, batch_size: int = 1) -> Settings:
    return Settings(es_url=es_connection["url"], es_username=es_connection["username"],
                    es_password=es_connection["password"], index_alias=f"t-{uuid.uuid4().hex[:10]}",
                    source=str(folder), batch_size=batch_size)


def run_report(es: Elasticsearch, settings: Settings, run_id: str) -> dict[str, Any]:
    es.indices.refresh(index=settings.runs_index)
    found: dict[str, Any] = es.get(index=settings.runs_index, id=run_id)["_source"]
    return found


def documents(es: Elasticsearch, alias: str) -> dict[str, dict[str, Any]]:
    """Every document of the alias: id → source without `ingested_at` (the one field a re-run changes)."""
    es.indices.refresh(index=alias)
    hits = es.search(index=alias, query={"match_all": {}}, size=1000)["hits"]["hits"]
    return {h["_id"]: {k: v for k, v in h["_source"].items() if k != "ingested_at"} for h in hits}


def run_failure(stack: RunningStack, run_id: str) -> str:
    """Task states and the tail of every task log of a run, for assertion messages."""
    tis = stack.api.task_instances(run_id)
    states = sorted(f"{t['task_id']}[{t.get('map_index', -1)}]={t['state']}@{t.get('hostname')}" for t in tis)
    logs = sorted((stack.stack.home / "logs").glob(f"dag_id=seed_ingest/run_id={run_id}/**/*.log"))
    tails = "\n".join(f"--- {p}\n{af.tail(p, 15)}" for p in logs)
    return f"tasks: {states}\n{tails}\n{af.logs_tail(stack.stack, ['scheduler'], 20)}"


def listening_addresses(pids: list[int]) -> set[str]:
    """The local addresses ('ip:port') on which these processes hold listening TCP sockets."""
    found = set()
    for pid in pids:
        try:
            connections = psutil.Process(pid).net_connections(kind="tcp")
        except psutil.NoSuchProcess:  # ended meanwhile
            continue
        found |= {f"{c.laddr.ip}:{c.laddr.port}" for c in connections if c.status == psutil.CONN_LISTEN}
    return found


def finished(stack: RunningStack, run_id: str) -> dict[str, Any]:
    run = af.wait_for_run(stack.api, run_id, RUN_TIMEOUT, ["scheduler", *stack.names])
    assert run["state"] == "success", run_failure(stack, run_id)
    return run


# --- CeleryExecutor: two workers, Redis broker, PostgreSQL metadata DB (first: the module-scoped
# LocalExecutor stack below would otherwise run its per-minute schedule all through this test) ---------


@pytest.fixture
def service_dir() -> Iterator[Path]:
    """A folder PostgreSQL's user can reach (pytest's tmp folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="ingest-celery-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def postgres(service_dir: Path) -> Iterator[services.Postgres]:
    services.ensure_installed()
    pg = services.start_postgres(service_dir)
    yield pg
    services.stop_postgres(pg)
    assert services.postgres_pid(pg) is None, "PostgreSQL survived stop"


@pytest.fixture
def redis(service_dir: Path) -> Iterator[services.Redis]:
    services.ensure_installed()
    server = services.start_redis(service_dir)
    yield server
    services.stop_redis(server)
    assert not Path(f"/proc/{server.pid}").exists() or not services.redis_ping(server), "Redis survived stop"


WORKERS = ("worker-1", "worker-2")


@pytest.fixture
def celery_stack(es_connection: dict[str, str], postgres: services.Postgres, redis: services.Redis,
                 service_dir: Path, request: pytest.FixtureRequest) -> RunningStack:
    roots = service_dir / "roots"
    (roots / "scheduled").mkdir(parents=True)  # INGEST_SOURCE: never used, the schedule is off
    settings = stack_settings(es_connection, roots / "scheduled")
    stack = af.Stack(home=service_dir / "airflow", port=af.local_es.free_port())
    env = af.stack_env(stack, settings_env(settings), executor="CeleryExecutor", extra={
        **FAST_LOOPS, "INGEST_ALLOWED_ROOTS": str(roots), "INGEST_SCHEDULE": "none",  # manual runs only
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": postgres.sqlalchemy_url,
        "AIRFLOW__CELERY__BROKER_URL": redis.url,
        "AIRFLOW__CELERY__RESULT_BACKEND": postgres.celery_result_backend,
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
    })
    components = [af.Component("api-server", ("api-server",)), af.Component("dag-processor", ("dag-processor",)),
                  af.Component("scheduler", ("scheduler", *af.NO_LOG_SERVER))]
    for name in WORKERS:  # each reports its own name as its task instances' hostname
        components.append(af.Component(name, ("celery", "worker", "--celery-hostname", f"{name}@%h",
                                              "--concurrency", "1", *af.NO_LOG_SERVER), env={
            af.WORKER_NAME: name, "PYTHONPATH": str(af.SCRIPTS),
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "airflow_local.worker_hostname",
        }))
    return launch(stack.home, env, components, finalizer=request.addfinalizer, settings=settings, roots=roots)


def test_celery_two_workers_match_a_single_process_run(celery_stack: RunningStack) -> None:
    stack, settings = celery_stack, celery_stack.settings
    es = index.connect(settings)
    folder = stack.roots / "celery"
    # 4 batches, 2 at a time; a story of 800 updates takes a few seconds to enrich (the scheduler hands the
    # second worker its batch about a second after the first), so two batches overlap if the workers do
    names = write_stories(folder, ["rail.txt", "museum.txt", "chess.txt"], with_seed=True, updates=800)

    run = stack.api.trigger({"source": str(folder)})
    finished(stack, run["dag_run_id"])
    batches = [t for t in stack.api.task_instances(run["dag_run_id"]) if t["task_id"] == "process_batch"]
    assert len(batches) == len(names)
    assert {t["state"] for t in batches} == {"success"}
    hosts = {t["hostname"] for t in batches}
    assert hosts == set(WORKERS), f"mapped batches ran on {hosts}, not on both workers"
    spans = [(datetime.fromisoformat(t["start_date"]), datetime.fromisoformat(t["end_date"]), t["hostname"])
             for t in batches]
    assert any(a[0] < b[1] and b[0] < a[1] and a[2] != b[2] for a in spans for b in spans), (
        f"no two batches ran at the same time on different workers: {spans}")
    for worker in WORKERS:  # and the workers' own logs say they received tasks
        assert "execute_workload" in stack.stack.log_file(worker).read_text(errors="replace"), worker
    # each worker loaded the spaCy model once, before forking its pool (scripts/airflow_celery.py)
    batch_logs = [p for p in stack.stack.home.rglob("*.log")
                  if f"run_id={run['dag_run_id']}/task_id=process_batch/" in p.as_posix()]
    assert len(batch_logs) == len(names), [p.as_posix() for p in batch_logs]
    assert all("preloaded (inherited from the worker process)" in p.read_text() for p in batch_logs), \
        batch_logs[0].read_text()[-3000:]
    report = run_report(es, settings, run["dag_run_id"])
    assert report["state"] == "success", report

    # One process, no Airflow, same folder, another alias: the same documents, field for field.
    single = settings.with_overrides(index_alias=f"{settings.index_alias}-single", source=str(folder))
    result = ingest_cli(single, "run", "--source", str(folder), "--index", single.index_alias, "--json", "--workers",
                        "1", check=False, env={"INGEST_ALLOWED_ROOTS": str(stack.roots)})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1])["state"] == "success"

    by_celery, by_one = documents(es, settings.index_alias), documents(es, single.index_alias)
    assert len(by_celery) == len(names)
    assert sorted(by_celery) == sorted(by_one)
    for doc_id, source in by_celery.items():
        assert source == by_one[doc_id], f"document {doc_id} ({source['source']['path']}) differs"


# --- LocalExecutor: a REST-triggered run and the schedule ------------------------------------------------


SCRIPT = [str(BIN / "python"), str(af.SCRIPTS / "airflow_local.py")]


def make_up(home: Path, env: dict[str, str], finalizer: Callable[[Callable[[], None]], None],
            ) -> tuple[af.Stack, str]:
    """`scripts/airflow_local.py up` — what `make up` runs: api-server, scheduler, dag-processor, triggerer;
    LocalExecutor on SQLite — in `home` on a free port with `env`; the finalizer runs `airflow_local.py
    stop` and fails if a process of the stack survives it. The stack, and what `up` printed."""
    stack = af.Stack(home=home, port=af.local_es.free_port())

    def stop_stack() -> None:
        running = af.stack_pids(stack.home)  # the components, their children, task processes
        stopped = subprocess.run([*SCRIPT, "stop", "--home", str(stack.home)], env=env, capture_output=True,
                                 text=True, check=False, timeout=120)
        left = [pid for pid in running if af.alive(pid)] + af.marked_pids(stack.home)
        assert stopped.returncode == 0 and not left, f"left running: {left}\n{stopped.stderr}"
        assert "Elasticsearch" not in stopped.stderr  # started with ES_URL: the session's node is not touched

    finalizer(stop_stack)
    up = subprocess.run([*SCRIPT, "up", "--home", str(stack.home), "--port", str(stack.port)], env=env,
                        capture_output=True, text=True, check=False, timeout=400)
    output = up.stdout + up.stderr
    assert up.returncode == 0, output + af.logs_tail(stack, af.LOCAL_COMPONENTS)
    return stack, output


@pytest.fixture(scope="module")
def local_stack(es_connection: dict[str, str], tmp_path_factory: pytest.TempPathFactory,
                request: pytest.FixtureRequest) -> RunningStack:
    """What `make up` starts (scripts/airflow_local.py up: api-server, scheduler, dag-processor, triggerer;
    LocalExecutor on SQLite), in a home of its own on a free port, stopped by `airflow_local.py stop`.
    The schedule is every minute over roots/scheduled; manual runs may name any folder under roots."""
    base = tmp_path_factory.mktemp("sched")
    roots = base / "roots"
    write_stories(roots / "scheduled", ["harbour.txt", "glacier.txt"])
    settings = stack_settings(es_connection, roots / "scheduled")
    env = {**settings_env(settings), **FAST_LOOPS, "INGEST_SCHEDULE": "* * * * *",
           "INGEST_ALLOWED_ROOTS": str(roots)}
    stack, output = make_up(base / "airflow", env, request.addfinalizer)
    up = [*SCRIPT, "up", "--home", str(stack.home), "--port", str(stack.port)]
    again = subprocess.run(up, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert again.returncode == 0 and "already running" in again.stdout, again.stdout + again.stderr
    return RunningStack(stack=stack, api=af.Api(stack), settings=settings, roots=roots,
                        names=af.LOCAL_COMPONENTS, output=output)


def test_rest_triggered_run_indexes_the_folder_it_names(local_stack: RunningStack) -> None:
    stack, settings = local_stack, local_stack.settings
    es = index.connect(settings)
    folder = stack.roots / "manual"
    names = write_stories(folder, ["rail.txt", "wheat.txt"], with_seed=True)

    run = stack.api.trigger({"source": str(folder)})
    assert run["run_type"] == "manual" and run["conf"] == {"source": str(folder)}
    finished(stack, run["dag_run_id"])

    tis = stack.api.task_instances(run["dag_run_id"])
    batches = [t for t in tis if t["task_id"] == "process_batch"]
    assert len(batches) == len(names), [t["map_index"] for t in batches]  # INGEST_BATCH_SIZE=1: one per file
    assert {t["state"] for t in tis} == {"success"}
    report = run_report(es, settings, run["dag_run_id"])
    assert report["state"] == "success", report
    assert report["counts"]["indexed_docs"] == len(names)
    by_path = {d["source"]["path"]: d for d in documents(es, settings.index_alias).values()}
    for name in names:
        assert name in by_path, f"{name} not indexed; have {sorted(by_path)}"
    assert by_path["rail.txt"]["title"] == STORIES["rail.txt"][0]
    assert "Pakistan" in by_path[SEED.name]["entities"]["location"]

    # `up` printed where to log in and the password file's path; the password itself lives in that 0600
    # file only: not in the output, and in no log line of any process or task.
    password = af.admin_password(stack.stack)
    assert f"{stack.stack.url}/" in stack.output and str(stack.stack.password_file) in stack.output
    assert "log in as 'admin'" in stack.output and "unpaused" in stack.output
    assert password not in stack.output
    assert stack.stack.password_file.stat().st_mode & 0o777 == 0o600
    logs = [p for p in stack.stack.home.rglob("*.log") if p.is_file()]
    assert len(logs) > len(af.LOCAL_COMPONENTS)  # the processes' logs and the task logs
    # every batch task is a fork of an executor worker that loaded the spaCy model once (ingest/preload.py)
    batch_logs = [p for p in logs if f"run_id={run['dag_run_id']}/task_id=process_batch/" in p.as_posix()]
    assert len(batch_logs) == len(names), [p.as_posix() for p in logs]
    assert all("preloaded (inherited from the worker process)" in p.read_text() for p in batch_logs), \
        batch_logs[0].read_text()[-3000:]

    # Nothing of the stack listens beyond loopback: the api-server's port, and no task-log server.
    listening = listening_addresses(af.stack_pids(stack.stack.home))
    assert f"127.0.0.1:{stack.stack.port}" in listening
    assert {a for a in listening if not a.startswith(("127.0.0.1:", "::ffff:127.0.0.1:"))} == set(), listening
    assert not [p for p in logs if password in p.read_text(errors="replace")]


def test_a_run_marked_failed_by_hand_still_reports_why(local_stack: RunningStack) -> None:
    """Someone stops a run in the UI ("Mark run as failed") while its batches run: Airflow fails the running
    batches and skips the rest, the report (a teardown) still runs, says which batches did not finish, and
    fails the run; the run report does not stay "running"."""
    stack, settings = local_stack, local_stack.settings
    folder = stack.roots / "stopped"
    folder.mkdir()
    for n in range(24):
        (folder / f"note-{n:02d}.txt").write_text(f"Note {n}\n\nThe county board met for the {n}th time.\n")
    run = stack.api.trigger({"source": str(folder), "batch_size": 1})
    run_id = run["dag_run_id"]
    deadline = time.monotonic() + RUN_TIMEOUT
    while not [t for t in stack.api.task_instances(run_id) if t["task_id"] == "process_batch"
               and t["state"] in {"running", "success"}]:
        assert time.monotonic() < deadline, run_failure(stack, run_id)
        time.sleep(0.5)
    stack.api.set_run_state(run_id, "failed")

    done = af.wait_for_run(stack.api, run_id, RUN_TIMEOUT, ["scheduler", *stack.names])
    assert done["state"] == "failed", run_failure(stack, run_id)
    states = {t["task_id"]: t["state"] for t in stack.api.task_instances(run_id) if t["task_id"] != "process_batch"}
    assert states == {"ensure_index": "success", "discover": "success", "report": "failed", "announce": "success"}, \
        run_failure(stack, run_id)
    report = run_report(index.connect(settings), settings, run_id)
    assert report["state"] == "failed" and report["finished_at"], report
    assert "batches failed for good" in report["reason"] and "nothing was deleted" in report["reason"], report
    assert 0 < report["counts"]["failed_batches"] <= 24, report


def test_schedule_fires_by_itself(local_stack: RunningStack) -> None:
    """Nobody triggers these: the per-minute schedule (INGEST_SCHEDULE) makes the scheduler create runs,
    at least two a minute apart, and they index the configured source."""
    stack, settings = local_stack, local_stack.settings
    deadline = time.monotonic() + 200
    scheduled: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        scheduled = [r for r in stack.api.dag_runs() if r["run_type"] == "scheduled"]
        if len([r for r in scheduled if r["state"] == "success"]) >= 2:
            break
        assert not [r for r in scheduled if r["state"] == "failed"], run_failure(stack, scheduled[0]["dag_run_id"])
        time.sleep(3)
    done = sorted((r for r in scheduled if r["state"] == "success"), key=lambda r: r["logical_date"])
    assert len(done) >= 2, f"scheduled runs after 200 s: {[(r['dag_run_id'], r['state']) for r in scheduled]}"
    apart = datetime.fromisoformat(done[1]["logical_date"]) - datetime.fromisoformat(done[0]["logical_date"])
    assert apart.total_seconds() > 0 and apart.total_seconds() % 60 == 0, apart  # on the minute, a minute on
    assert all(not r["conf"] for r in done)

    es = index.connect(settings)
    first = run_report(es, settings, done[0]["dag_run_id"])
    assert first["state"] == "success", first
    paths = {d["source"]["path"] for d in documents(es, settings.index_alias).values()}
    assert {"harbour.txt", "glacier.txt"} <= paths


def test_make_up_refuses_a_busy_port(tmp_path: Path) -> None:
    """`make up` on a port something else holds stops at once and says which port and what to do."""
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = subprocess.run([str(BIN / "python"), str(af.SCRIPTS / "airflow_local.py"), "up",
                                 "--home", str(tmp_path / "home"), "--port", str(port)],
                                capture_output=True, text=True, check=False, timeout=60,
                                env={**os.environ, "INGEST_LOCAL_DIR": str(tmp_path / "local")})
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert not (tmp_path / "home" / "api-server.pid").exists()
