"""The `ingest` command as a user runs it, on the real Elasticsearch node: its main function in this process
(`ingest_cli`), and the installed entry point in a process of its own where the exit status is the point."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from conftest import BIN, SEED, ingest_cli, ingest_process, jsonl, settings_env

from ingest.config import Settings
from ingest.variables import BATCH_SIZE, VARIABLES


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


def _bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a user with no settings but `extra` (and no local node: an empty INGEST_LOCAL_DIR)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "INGEST_", "AIRFLOW"))}
    return {**env, "INGEST_LOCAL_DIR": str(tmp_path / "local"), **extra}


def test_settings_prints_values_and_origins_secrets_masked(tmp_path: Path) -> None:
    env = _bare_env(tmp_path, ES_URL="https://ingest:url-secret@es.example:9243", ES_API_KEY="id:key-secret",
                    INGEST_BATCH_SIZE="40", INGEST_SMTP_PASSWORD="mail-secret")
    result = subprocess.run([str(BIN / "ingest"), "settings", "--json"], env=env, capture_output=True, text=True,
                            check=True, timeout=120, cwd=tmp_path)
    assert "secret" not in result.stdout
    rows = {row["name"]: row for row in jsonl(result.stdout)}
    assert set(rows) == {variable.name for variable in VARIABLES}
    assert rows["ES_URL"] == {**rows["ES_URL"], "value": "https://es.example:9243", "origin": "environment"}
    assert (rows["ES_API_KEY"]["value"], rows["INGEST_SMTP_PASSWORD"]["value"]) == ("****", "****")
    assert (rows["INGEST_BATCH_SIZE"]["value"], rows["INGEST_BATCH_SIZE"]["origin"]) == ("40", "environment")
    assert (rows["INGEST_MAX_BATCHES"]["value"], rows["INGEST_MAX_BATCHES"]["origin"]) == ("256", "default")
    text = subprocess.run([str(BIN / "ingest"), "settings"], env=env, capture_output=True, text=True, check=True,
                          timeout=120).stdout
    assert "INGEST_BATCH_SIZE" in text and "[environment]" in text and "secret" not in text


def test_a_bad_setting_names_the_variable(tmp_path: Path) -> None:
    result = subprocess.run([str(BIN / "ingest"), "status"], env=_bare_env(tmp_path, INGEST_BATCH_SIZE="lots"),
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 2
    assert "INGEST_BATCH_SIZE='lots'" in result.stderr and "Traceback" not in result.stderr


def test_run_help_states_the_registrys_defaults(tmp_path: Path) -> None:
    result = subprocess.run([str(BIN / "ingest"), "run", "--help"], env=_bare_env(tmp_path), capture_output=True,
                            text=True, check=True, timeout=120)
    text = " ".join(result.stdout.split())
    assert f"INGEST_BATCH_SIZE, {BATCH_SIZE.default})" in text and "INGEST_MAX_DELETE_SHARE (50%)" in text


def test_airflow_side_of_settings_names_the_connections(tmp_path: Path) -> None:
    """`python -m ingest_airflow settings`: what a task sees, Airflow's connections included."""
    es_conn = {"conn_type": "elasticsearch", "host": "es.internal", "port": 9200, "schema": "https",
               "login": "ingest", "password": "conn-secret-es"}
    smtp_conn = {"conn_type": "smtp", "host": "mail.internal", "port": 587, "login": "m",
                 "password": "conn-secret-mail"}
    env = _bare_env(tmp_path, AIRFLOW_HOME=str(tmp_path / "airflow"), INGEST_INDEX="news",
                    AIRFLOW_CONN_ELASTICSEARCH_DEFAULT=json.dumps(es_conn),
                    AIRFLOW_CONN_SMTP_DEFAULT=json.dumps(smtp_conn))
    result = subprocess.run([str(BIN / "python"), "-m", "ingest_airflow", "settings", "--json"], env=env,
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "conn-secret" not in result.stdout
    rows = {row["name"]: row for row in jsonl(result.stdout)}
    assert rows["ES_URL"]["value"] == "https://es.internal:9200"
    assert rows["ES_URL"]["origin"] == rows["ES_PASSWORD"]["origin"] == "Airflow connection elasticsearch_default"
    assert rows["ES_PASSWORD"]["value"] == "****"
    assert (rows["INGEST_SMTP_HOST"]["value"], rows["INGEST_SMTP_HOST"]["origin"]) == \
        ("mail.internal", "Airflow connection smtp_default")
    assert (rows["INGEST_INDEX"]["value"], rows["INGEST_INDEX"]["origin"]) == ("news", "environment")


def test_default_source_is_the_working_directorys_seeds(settings: Settings, tmp_path: Path) -> None:
    """Without INGEST_SOURCE, `ingest run` reads `seeds/` of the folder it runs in (as `make run` does in the
    checkout), never a folder inside the installed package."""
    workdir = tmp_path / "project"
    (workdir / "seeds").mkdir(parents=True)
    shutil.copy(SEED, workdir / "seeds" / SEED.name)
    env = {k: v for k, v in settings_env(settings).items() if k != "INGEST_SOURCE"}
    result = subprocess.run([str(BIN / "ingest"), "run", "--json"], env=env, cwd=workdir, capture_output=True,
                            text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = jsonl(result.stdout)[0]
    assert report["counts"]["indexed_docs"] == 1
    assert report["source"] == str((workdir / "seeds").resolve())
