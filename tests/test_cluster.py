"""A three-node cluster on loopback (scripts/local_es.py cluster-start: same distribution, one cluster
name and password, transport TLS): the articles index gets one replica, a node holding a copy of it is
killed in the middle of `ingest run`, and nothing is lost."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import local_es
import pytest
from conftest import assert_converged, count_now, ingest_cli, jsonl, popen_run, wait_for, write_articles
from elasticsearch import Elasticsearch

from ingest import index
from ingest.config import Settings

pytestmark = pytest.mark.es
GROUP = f"cluster-{os.getpid()}"


def victim(es: Elasticsearch, index_name: str) -> str:
    """The node to stop: one holding a copy of the index, not the elected master (the primary's if it
    can be)."""
    master = es.cat.master(format="json")[0]["node"]
    shards = [s for s in es.cat.shards(index=index_name, format="json") if s["state"] == "STARTED"]
    holders = [s["node"] for s in sorted(shards, key=lambda s: s["prirep"] != "p")]
    return next(node for node in holders if node != master)


def test_losing_a_node_mid_run_loses_nothing(
    settings: Settings, extra_nodes: list[str], reference_corpus: dict[str, dict[str, Any]]
) -> None:
    extra_nodes.append(f"cluster:{GROUP}")
    connections = local_es.start_cluster(GROUP, 3, wait=240)
    urls = ",".join(c["url"] for c in connections)  # the client fails over between the nodes
    settings = settings.with_overrides(es_url=urls, es_username="elastic", es_password=connections[0]["password"])
    write_articles(Path(settings.source), 200)
    es = index.connect(settings)
    index.ensure_index(es, settings)
    articles = index.versioned_index(settings.index_alias)
    es.cluster.health(index=articles, wait_for_status="green", timeout="60s")
    assert es.indices.get_settings(index=articles, name="index.number_of_replicas",
                                   include_defaults=True)[articles]["settings"]["index"]["number_of_replicas"] == "1"
    stopped = victim(es, articles)

    run = popen_run(settings, "--workers", "2", "--batch-size", "20")
    wait_for(lambda: count_now(es, settings.index_alias) >= 40 or run.poll() is not None, 180, "two batches")
    assert run.poll() is None, "the run ended before a node could be stopped"
    started = time.monotonic()
    pid = local_es.pid_of(stopped)
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # the node is lost at once, in the middle of the run
    assert run.poll() is None, "the run ended before the node was lost"
    out, err = run.communicate(timeout=600)
    print(f"the run during the node loss exited {run.returncode}: {err.strip()[-500:]}")
    if run.returncode != 0:  # allowed once: the re-run must then finish the job
        assert "Traceback" not in err, err[-3000:]
        again = ingest_cli(settings, "run", "--json", check=False)
        assert again.returncode == 0, again.stderr[-3000:]
        out = again.stdout
    assert jsonl(out)[-1]["state"] == "success"
    assert time.monotonic() - started < 300

    health = es.cluster.health()
    assert health["number_of_nodes"] == 2 and health["status"] in {"green", "yellow"}
    assert count_now(es, settings.index_alias) == 200
    assert_converged(es, settings, reference_corpus)
