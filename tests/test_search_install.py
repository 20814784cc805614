"""A non-editable install (a built wheel, installed into a folder of its own) creates its indices, runs
and searches from any folder: mappings and Kibana objects are package data, nothing is read from the
checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import SEED, jsonl, settings_env

from ingest.config import PROJECT_ROOT, Settings


def test_a_built_wheel_runs_from_any_folder(settings: Settings, tmp_path: Path) -> None:
    project = tmp_path / "news-ingest"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, project / name)
    shutil.copytree(PROJECT_ROOT / "ingest", project / "ingest", ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(tmp_path / "dist"), str(project)], check=True,
                   capture_output=True, timeout=600)
    (wheel,) = (tmp_path / "dist").glob("news_ingest-*.whl")
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True,
                   capture_output=True, timeout=600)
    shutil.rmtree(project)  # nothing of the copied tree is left to read from

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SEED, Path(settings.source) / SEED.name)
    env = {**settings_env(settings), "PYTHONPATH": str(site)}

    def ingest(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "ingest.cli", *args], env=env, cwd=elsewhere,
                                capture_output=True, text=True, timeout=600, check=False)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    where = subprocess.run([sys.executable, "-c", "import ingest; print(ingest.__file__)"], env=env,
                           cwd=elsewhere, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(site), where
    article = jsonl(ingest("inspect", str(SEED)))[0]
    assert any(p["name"] == "Pakistan" for p in article["locations_geo"])
    report = json.loads(ingest("run", "--json").splitlines()[-1])
    assert report["counts"]["indexed_docs"] == 1
    assert jsonl(ingest("search", "attacked", "--json"))[0]["total"] == 1
    assert len(jsonl(ingest("kibana", "export"))) >= 10
    assert not any(os.scandir(elsewhere))  # it wrote nothing where it ran
