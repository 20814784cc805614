"""`ingest reindex`: a new version of the index under the current template, filled by re-running the
pipeline over the ledger's files, swapped in atomically while a search loop keeps getting answers."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import SEED, ingest_cli, jsonl
from elasticsearch import Elasticsearch
from test_search import OTHER

from ingest import PIPELINE_VERSION, index, ledger
from ingest.config import Settings


def test_reindex_swaps_versions_while_searches_keep_answering(settings: Settings, es: Elasticsearch) -> None:
    source = Path(settings.source)
    shutil.copy(SEED, source / SEED.name)
    (source / "ferry.txt").write_text(OTHER)
    ingest_cli(settings, "run")
    alias = settings.index_alias
    assert index.alias_indices(es, alias) == [f"{alias}-v1"]
    before = {h["_id"]: h["_source"]["story_id"]
              for h in es.search(index=alias, source=["story_id"])["hits"]["hits"]}

    answers: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def search_loop() -> None:
        client = index.connect(settings)
        while not stop.is_set():
            try:
                answers.append(int(client.search(index=alias, query={"match": {"body": "attacked"}})
                                   ["hits"]["total"]["value"]))
            except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(repr(exc))
            time.sleep(0.02)

    loop = threading.Thread(target=search_loop)
    loop.start()
    try:
        report = jsonl(ingest_cli(settings, "reindex", "--json").stdout)[0]
    finally:
        time.sleep(0.5)
        stop.set()
        loop.join()
    assert errors == []
    assert len(answers) > 20 and set(answers) == {1}  # before, during and after the swap: the seed, once

    assert report["old"] == [f"{alias}-v1"] and report["new"] == f"{alias}-v2"
    assert report["old_count"] == report["new_count"] == 2
    assert index.alias_indices(es, alias) == [f"{alias}-v2"]
    assert es.indices.exists(index=f"{alias}-v1")  # kept until told to drop it
    after = {h["_id"]: h["_source"]["story_id"] for h in es.search(index=alias, source=["story_id"])["hits"]["hits"]}
    assert after == before
    assert {e.pipeline_version for e in ledger.all_entries(es, settings)} == {PIPELINE_VERSION}

    ingest_cli(settings, "run")  # writes go to the new version; nothing to re-process
    assert index.count(es, alias) == 2
    dropped = jsonl(ingest_cli(settings, "reindex", "--drop-unused", "--json").stdout)[0]
    assert dropped == {"deleted": [f"{alias}-v1"]}
    assert not es.indices.exists(index=f"{alias}-v1")


def test_reindex_refuses_to_swap_to_fewer_articles(settings: Settings, es: Elasticsearch) -> None:
    source = Path(settings.source)
    shutil.copy(SEED, source / SEED.name)
    (source / "ferry.txt").write_text(OTHER)
    ingest_cli(settings, "run")
    (source / "ferry.txt").unlink()  # the ledger still lists it: the rebuild cannot read it
    result = ingest_cli(settings, "reindex", check=False)
    assert result.returncode == 1
    assert "would hold 1 articles" in result.stderr and "ferry.txt" in result.stderr
    alias = settings.index_alias
    assert index.alias_indices(es, alias) == [f"{alias}-v1"]
    assert not es.indices.exists(index=f"{alias}-v2")  # the unused new version is removed

    report = jsonl(ingest_cli(settings, "reindex", "--accept-fewer", "--delete-old", "--json").stdout)[0]
    assert report["new_count"] == 1 and report["deleted"] == [f"{alias}-v1"]
    assert index.alias_indices(es, alias) == [f"{alias}-v2"]


def test_an_index_from_an_older_template_is_upgraded_by_reindex(
    settings: Settings, es: Elasticsearch, caplog: pytest.LogCaptureFixture
) -> None:
    alias = settings.index_alias
    old_mapping = {"dynamic": False, "properties": {"title": {"type": "text"}, "body": {"type": "text"}}}
    es.indices.create(index=f"{alias}-v1", mappings=old_mapping, aliases={alias: {"is_write_index": True}})
    with caplog.at_level(logging.WARNING, logger="ingest.index"):
        index.ensure_index(es, settings)
    assert any("run `ingest reindex`" in r.getMessage() for r in caplog.records)

    shutil.copy(SEED, Path(settings.source) / SEED.name)
    ingest_cli(settings, "run")
    assert ingest_cli(settings, "search", "attacked", "--json", check=False).stdout.startswith('{"total": 0')
    ingest_cli(settings, "reindex", "--delete-old")
    assert jsonl(ingest_cli(settings, "search", "attacked", "--json").stdout)[0]["total"] == 1
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="ingest.index"):
        index.ensure_index(es, settings)
    assert not caplog.records
