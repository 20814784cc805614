"""The `ingest` command as a user runs it, on the real Elasticsearch node: its main function in this process
(`ingest_cli`), and the installed entry point in a process of its own where the exit status is the point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SEED, ingest_cli, ingest_process, jsonl

from ingest.config import Settings


def test_inspect_prints_one_article_per_document_and_rejections(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"title": "Ferry service resumes", "text": "The ferry service resumed. " * 20})
                   + "\n[1, 2\n")
    result = ingest_cli(settings, "inspect", str(SEED), str(bad))
    rows = jsonl(result.stdout)
    seed = next(r for r in rows if r.get("source", {}).get("path") == str(SEED))
    assert seed["published_at"] == "2019-03-16T10:10:00+05:30"
    assert seed["published_at_source"] == "text"
    assert seed["publisher"] == "Business Standard"
    assert len(seed["id"]) >= 16
    ferry = [r for r in rows if r.get("title") == "Ferry service resumes"]
    assert len(ferry) == 1
    rejected = [r for r in rows if "rejected" in r]
    assert len(rejected) == 1
    assert rejected[0]["source"]["path"] == str(bad)
    assert rejected[0]["rejected"]["stage"] and rejected[0]["rejected"]["reason"]


def test_inspect_is_deterministic(settings: Settings) -> None:
    first = jsonl(ingest_cli(settings, "inspect", str(SEED)).stdout)
    second = jsonl(ingest_cli(settings, "inspect", str(SEED)).stdout)
    assert first == second


def test_run_search_and_status(settings: Settings) -> None:
    shutil.copy(SEED, Path(settings.source) / SEED.name)
    report = jsonl(ingest_cli(settings, "run", "--json").stdout)[0]
    assert report["counts"]["indexed_docs"] == 1

    def total(*args: str) -> int:
        return int(jsonl(ingest_cli(settings, "search", *args, "--json").stdout)[0]["total"])

    assert total() == 1
    assert total("Pakistan") == 1
    assert total("zeppelin") == 0
    assert total("--location", "Pakistan") == 1
    assert total("--location", "Atlantis") == 0
    assert total("--publisher", "Business Standard") == 1
    assert total("--since", "2019-03-16", "--until", "2019-03-16") == 1
    assert total("--since", "2019-03-17") == 0
    assert total("--until", "2019-03-15") == 0
    assert total("--person", "Pompeo") == 1
    assert total("--organization", "Jaish-e-Mohammed") == 1
    assert total("--location", "United States") == 1  # "US" in the text, canonical name in the index
    assert total("--mentions", "2019-02-14") == 1  # "February 14", resolved against the publication date
    assert total("--mentions", "2019-02") == 1
    assert total("--mentions", "2018-01-20") == 1  # inside "January 2018"
    assert total("--mentions", "2019-02-15..2019-03-14") == 0
    assert total("Jaish-e-Mohammed", "--location", "Pakistan", "--mentions", "2019-02") == 1

    status = jsonl(ingest_cli(settings, "status", "--json").stdout)[0]
    assert status["states"] == {"indexed": 1}
    human = ingest_cli(settings, "status", "--files").stdout
    assert SEED.name in human and "indexed" in human


def test_bad_date_argument_says_why(settings: Settings) -> None:
    result = ingest_cli(settings, "search", "--since", "last tuesday", check=False)
    assert result.returncode == 1
    assert "not a date" in result.stderr


def test_the_installed_command_exits_with_the_status_it_means(settings: Settings) -> None:
    bad_date = ingest_process(settings, "search", "--since", "last tuesday", check=False)
    assert bad_date.returncode == 1 and "not a date" in bad_date.stderr and not bad_date.stdout
    usage = ingest_process(settings, "search", "--sort", "sideways", check=False)
    assert usage.returncode == 2 and "invalid choice" in usage.stderr
    missing = ingest_process(settings, "inspect", str(Path(settings.source) / "absent.txt"), check=False)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_json_field_map_reads_a_custom_crawler_export(settings: Settings, tmp_path: Path) -> None:
    export = tmp_path / "crawl.json"
    export.write_text(json.dumps({"headline_text": "Ferry service resumes", "story": "The ferry resumed. " * 20,
                                  "first_seen": "2024-05-02T08:00:00+01:00"}))
    mapping = tmp_path / "fields.json"
    mapping.write_text(json.dumps({"title": ["headline_text"], "body": ["story"], "published": ["first_seen"]}))
    default = jsonl(ingest_cli(settings, "inspect", str(export)).stdout)
    assert all(row.get("title") != "Ferry service resumes" for row in default)

    mapped = jsonl(ingest_cli(settings.with_overrides(json_fields=str(mapping)), "inspect", str(export)).stdout)[0]
    assert mapped["title"] == "Ferry service resumes"
    assert mapped["published_at"] == "2024-05-02T08:00:00+01:00"
    assert mapped["body"].startswith("The ferry resumed.")
