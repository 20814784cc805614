"""Faults, for real: Elasticsearch down at the start, killed in the middle of a run, rejecting bulk writes
with 429, refusing one document by its mapping; and the `ingest run` process killed mid-batch. Each test
starts the nodes it breaks (never the session node) and checks that a re-run converges to exactly what a
clean run of the same files gives (`reference_corpus`: document ids and contents)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import local_es
import pytest
from conftest import (
    BIN,
    airflow_env,
    assert_converged,
    count_now,
    ingest_cli,
    jsonl,
    popen_run,
    wait_for,
    write_articles,
)
from elasticsearch import Elasticsearch

from ingest import index, ledger
from ingest.config import Settings

pytestmark = pytest.mark.es
NODE = f"fault-{os.getpid()}"


def node_settings(connection: dict[str, str], settings: Settings) -> Settings:
    return settings.with_overrides(es_url=connection["url"], es_username=connection["username"],
                                   es_password=connection["password"])


def start_node(extra_nodes: list[str], suffix: str, options: local_es.NodeOptions | None = None,
               port: int | None = None) -> dict[str, str]:
    name = f"{NODE}-{suffix}"
    local_es.remove(name)
    extra_nodes.append(name)
    return local_es.start(name, port or local_es.free_port(), wait=180,
                          options=options or local_es.NodeOptions(heap="512m"))


# ---------------------------------------------------------------------------------------------- 1. down
def test_run_with_elasticsearch_down_fails_with_one_clear_line(settings: Settings) -> None:
    write_articles(Path(settings.source), 3)
    dead = settings.with_overrides(es_url=f"http://127.0.0.1:{local_es.free_port()}")
    started = time.monotonic()
    result = ingest_cli(dead, "run", check=False)
    assert result.returncode == 1
    assert time.monotonic() - started < 30
    assert "Traceback" not in result.stderr and result.stdout == ""
    first, *rest = result.stderr.strip().splitlines()
    assert dead.es_url in result.stderr
    assert "Elasticsearch unreachable (Connection refused)" in first
    assert len(rest) <= 1  # at most one hint line


@pytest.mark.airflow
def test_dag_task_is_retried_until_elasticsearch_is_up(
    airflow_home: Path, settings: Settings, extra_nodes: list[str]
) -> None:
    """ES down when the DAG starts: ensure_index fails, goes up_for_retry, and once the node is up the
    retry succeeds and the run completes."""
    write_articles(Path(settings.source), 5)
    port, password = local_es.free_port(), "retry-" + os.urandom(6).hex()
    late = settings.with_overrides(es_url=f"http://127.0.0.1:{port}", es_username="elastic", es_password=password)
    log = Path(settings.source).parent / "dag.log"
    with log.open("w") as out:
        dag = subprocess.Popen([str(BIN / "airflow"), "dags", "test", "seed_ingest"],
                               env=airflow_env(airflow_home, late), stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            wait_for(lambda: "up_for_retry" in log.read_text().lower(), 240, "ensure_index to be up for retry")
            assert dag.poll() is None
            name = f"{NODE}-late"
            extra_nodes.append(name)
            local_es.remove(name)
            local_es.start(name, port, wait=180, options=local_es.NodeOptions(heap="512m", password=password))
            assert dag.wait(timeout=400) == 0, log.read_text()[-5000:]
        finally:
            if dag.poll() is None:
                dag.kill()
    text = log.read_text()
    assert "Elasticsearch unreachable (Connection refused)" in text
    es = index.connect(late)
    assert count_now(es, late.index_alias) == 5


# ---------------------------------------------------------------------------------------------- 2. killed
def test_elasticsearch_killed_mid_run_then_restarted_converges(
    settings: Settings, extra_nodes: list[str], reference_corpus: dict[str, dict[str, Any]]
) -> None:
    connection = start_node(extra_nodes, "kill")
    settings = node_settings(connection, settings)
    write_articles(Path(settings.source), 200)
    es = index.connect(settings)

    run = popen_run(settings, "--workers", "2", "--batch-size", "20")
    wait_for(lambda: count_now(es, settings.index_alias) >= 20 or run.poll() is not None, 180, "a first batch")
    assert run.poll() is None, "the run ended before Elasticsearch could be killed"
    killed_at = count_now(es, settings.index_alias)
    pid = local_es.pid_of(f"{NODE}-kill")
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    _out, err = run.communicate(timeout=300)
    assert run.returncode != 0, "a run whose Elasticsearch died must fail"
    assert "Traceback" not in err
    assert "Elasticsearch" in err
    assert "batches not started" in err, err[-3000:]  # it gives up after one batch's retries, not each one's

    local_es.start(f"{NODE}-kill", int(connection["url"].rsplit(":", 1)[1]), wait=180,
                   options=local_es.NodeOptions(heap="512m"))
    rerun = ingest_cli(settings, "run", "--json", check=False)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    report = jsonl(rerun.stdout)[-1]
    assert report["state"] == "success"
    assert killed_at < 200
    assert_converged(index.connect(settings), settings, reference_corpus)


# ---------------------------------------------------------------------------------------------- 3. 429
def write_rejections(es: Elasticsearch) -> int:
    stats = es.nodes.stats(metric="thread_pool")["nodes"]
    return sum(int(node["thread_pool"]["write"]["rejected"]) for node in stats.values())


class Contender(threading.Thread):
    """Another writer on the node, so the one-slot write pool is surely full: small bulks back to back,
    without retries, counting its own rejected requests; it stops once the node has rejected more write
    tasks than its own, i.e. the pipeline's bulk requests have met 429s too."""

    def __init__(self, es: Elasticsearch, timeout: float) -> None:
        super().__init__(daemon=True)
        self.es = es.options(max_retries=0, ignore_status=429, request_timeout=30)
        self.deadline = time.monotonic() + timeout
        self.own = 0
        self.others = 0

    def run(self) -> None:
        batch = [line for n in range(20) for line in ({"index": {"_index": "contender"}}, {"n": n})]
        while time.monotonic() < self.deadline:
            response = self.es.bulk(operations=batch)
            if response.meta.status == 429 or any(
                item["index"].get("status") == 429 for item in response.body.get("items", [])
            ):
                self.own += 1
            self.others = write_rejections(self.es) - self.own
            if self.others > 0:
                return


def test_bulk_429_rejections_are_retried_and_nothing_is_lost(
    settings: Settings, extra_nodes: list[str], reference_corpus: dict[str, dict[str, Any]]
) -> None:
    tiny = local_es.NodeOptions(heap="512m", settings={"thread_pool.write.size": "1",
                                                       "thread_pool.write.queue_size": "1"})
    settings = node_settings(start_node(extra_nodes, "429", tiny), settings)
    write_articles(Path(settings.source), 200)
    es = index.connect(settings)
    contender = Contender(es, timeout=120)

    run = popen_run(settings, "--workers", "2", "--batch-size", "20")
    contender.start()
    out, err = run.communicate(timeout=600)
    contender.join(timeout=60)

    assert contender.others > 0, "the pipeline's writes were never rejected: the fault was not exercised"
    assert run.returncode == 0, err[-3000:]
    assert jsonl(out)[-1]["state"] == "success"
    assert_converged(es, settings, reference_corpus)


# ---------------------------------------------------------------------------------------------- 4. mapping
def test_document_the_mapping_refuses_rejects_its_file_only(settings: Settings, es: Elasticsearch) -> None:
    """A stricter template for this test's index (word_count as a `byte`): the one article longer than 127
    words is refused by Elasticsearch; its file is rejected at stage `index` with the reason, the others
    land."""
    src = Path(settings.source)
    write_articles(src, 10)
    long_story = "The harbour of Riverton reopened on Monday after a week of repairs to its storm wall. " * 30
    (src / "long.txt").write_text(f"Riverton harbour reopens after repairs\n\n{long_story}\n")
    index.ensure_index(es, settings)
    name = f"{settings.index_alias}-articles"
    template = es.indices.get_index_template(name=name)["index_templates"][0]["index_template"]
    template["template"]["mappings"]["properties"]["word_count"] = {"type": "byte"}
    es.indices.put_index_template(name=f"{name}-strict", index_patterns=template["index_patterns"],
                                  template=template["template"], priority=int(template["priority"]) + 1)
    es.indices.delete(index=index.versioned_index(settings.index_alias))

    result = ingest_cli(settings, "run", "--json", check=False)

    assert result.returncode == 0, result.stderr[-3000:]
    report = jsonl(result.stdout)[-1]
    assert report["counts"]["indexed_files"] == 10 and report["counts"]["rejected"] == 1
    entries = {e.path: e for e in ledger.all_entries(es, settings)}
    refused = entries["long.txt"]
    assert refused.state == "rejected" and refused.stage == "index"
    assert "failed to parse field [word_count]" in (refused.reason or "")
    assert "out of range for a byte" in (refused.reason or "")
    assert refused.doc_ids == ()
    assert {e.state for p, e in entries.items() if p != "long.txt"} == {"indexed"}
    assert count_now(es, settings.index_alias) == 10
    status = jsonl(ingest_cli(settings, "status", "--files", "--json").stdout)[-1]
    row = next(r for r in status["entries"] if r["path"] == "long.txt")
    assert row["stage"] == "index" and "word_count" in row["reason"]


# ---------------------------------------------------------------------------------------------- 5. task killed
def test_run_killed_mid_batch_and_rerun_gives_the_same_index(
    settings: Settings, es: Elasticsearch, reference_corpus: dict[str, dict[str, Any]]
) -> None:
    write_articles(Path(settings.source), 200)
    run = popen_run(settings, "--workers", "2", "--batch-size", "20")
    wait_for(lambda: count_now(es, settings.index_alias) >= 20 or run.poll() is not None, 180, "a first batch")
    assert run.poll() is None, "the run ended before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.communicate(timeout=60)
    assert run.returncode == -signal.SIGKILL
    assert count_now(es, settings.index_alias) < 200

    rerun = ingest_cli(settings, "run", "--json", check=False)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert jsonl(rerun.stdout)[-1]["state"] == "success"
    assert_converged(es, settings, reference_corpus)
    # the killed run's report no longer says "running": the re-run saw its process was gone
    es.indices.refresh(index=settings.runs_index)
    reports = [h["_source"] for h in es.search(index=settings.runs_index, size=20)["hits"]["hits"]]
    assert [r["run_id"] for r in reports if r["state"] == "running"] == [], reports
    assert any(r["state"] == "failed" and r["reason"].startswith(f"interrupted: its process ({run.pid} on ")
               for r in reports), reports
