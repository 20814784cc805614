"""docker-compose.yml describes the full stack consistently; `docker compose config` validates it where a
compose implementation is installed (no engine is needed for that), and the test says it skipped otherwise."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from ingest.config import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
SERVICES = {"elasticsearch", "kibana", "kibana-setup", "postgres", "airflow-init", "airflow-apiserver",
            "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer", "ingest-setup"}


def _compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def test_full_stack_services_and_versions(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == SERVICES
    assert services["elasticsearch"]["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:9.")
    assert services["kibana"]["image"].startswith("docker.elastic.co/kibana/kibana:9.")
    commands = {name: services[name].get("command") for name in services if name.startswith("airflow-")}
    assert commands["airflow-apiserver"] == ["api-server"]
    assert commands["airflow-dag-processor"] == ["dag-processor"]
    assert "ingest setup" in " ".join(services["ingest-setup"]["command"])


def test_dependencies_volumes_and_mounts_exist(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, service in services.items():
        assert "image" in service or "build" in service, name
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (PROJECT_ROOT / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in compose.get("volumes", {}), f"{name} uses undeclared volume {source}"
    connection = json.loads(services["airflow-scheduler"]["environment"]["AIRFLOW_CONN_ELASTICSEARCH_DEFAULT"]
                            .replace("${ELASTIC_PASSWORD:-changeme}", "x"))
    assert connection["host"] == "http://elasticsearch:9200"
    assert Path(PROJECT_ROOT / "mappings" / "kibana" / "articles.ndjson").exists()


@pytest.mark.skipif(_compose_command() is None, reason="no docker compose / docker-compose: config not validated")
def test_docker_compose_config_is_valid() -> None:
    command = _compose_command()
    assert command is not None
    result = subprocess.run([*command, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True,
                            check=False, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
