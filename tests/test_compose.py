"""docker-compose.yml is valid compose for the full stack (validated where the compose plugin exists)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ingest.config import PROJECT_ROOT

SERVICES = {"elasticsearch", "kibana", "postgres", "airflow-init", "airflow-apiserver", "airflow-scheduler",
            "airflow-dag-processor", "airflow-triggerer", "ingest-setup"}


def _compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, check=False)
    return probe.returncode == 0


def test_compose_file_names_the_full_stack() -> None:
    text = (PROJECT_ROOT / "docker-compose.yml").read_text()
    for service in SERVICES:
        assert f"\n  {service}:" in text, service
    assert "docker.elastic.co/elasticsearch/elasticsearch:9." in text
    assert "docker.elastic.co/kibana/kibana:9." in text


@pytest.mark.skipif(not _compose_available(), reason="docker compose plugin not installed: config not validated")
def test_docker_compose_config_is_valid() -> None:
    result = subprocess.run(["docker", "compose", "-f", str(PROJECT_ROOT / "docker-compose.yml"), "config", "-q"],
                            capture_output=True, text=True, check=False, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
