"""docker-compose.yml describes the full stack consistently; `docker compose config` validates it where a
compose implementation is installed (no engine is needed for that), and the test says it skipped otherwise."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from ingest.config import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
SERVICES = {"elasticsearch", "kibana", "kibana-setup", "postgres", "redis", "airflow-init", "airflow-apiserver",
            "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer", "airflow-worker", "ingest-setup",
            "hunspell-setup"}
AIRFLOW_SERVICES = {name for name in SERVICES if name.startswith("airflow-")}


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
    setup = services["ingest-setup"]
    assert "ingest kibana import" in " ".join(setup["command"]) and setup["environment"]["KIBANA_URL"]


def test_the_node_gets_the_hunspell_dictionary_the_template_stems_with(compose: dict[str, Any]) -> None:
    """The articles template's analyzers need config/hunspell/en_US on the full distribution too."""
    services = compose["services"]
    assert "hunspell-en-us" in services["hunspell-setup"]["command"]
    assert "en_US" in services["hunspell-setup"]["command"] and "ignore_case" in services["hunspell-setup"]["command"]
    assert any(v.startswith("hunspell:/usr/share/elasticsearch/config/hunspell") for v in
               services["elasticsearch"]["volumes"])
    assert services["elasticsearch"]["depends_on"]["hunspell-setup"]["condition"] == "service_completed_successfully"
    template = json.loads((PROJECT_ROOT / "ingest" / "mappings" / "articles.template.json").read_text())
    assert "en_US" in json.dumps(template["template"]["settings"]["analysis"])


def test_celery_executor_with_redis_and_postgres(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in AIRFLOW_SERVICES | {"ingest-setup"}:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://") and "@redis:6379" in env[
            "AIRFLOW__CELERY__BROKER_URL"], name
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql"), name
        assert "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], name
        # one secret for all: tokens and served task logs must verify across containers
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"] and env["AIRFLOW__API__SECRET_KEY"], name
        # the workers preload the model from a settings module the image carries (the project is at
        # /opt/news-ingest, Dockerfile)
        module, _, attribute = env["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"].rpartition(".")
        folder = Path(env["PYTHONPATH"]).relative_to("/opt/news-ingest")
        assert f"\n{attribute} = " in (PROJECT_ROOT / folder / f"{module}.py").read_text(), name
    assert services["redis"]["image"].startswith("redis:")
    assert "healthcheck" in services["redis"] and "ports" not in services["redis"]
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy", name
        assert services[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully", name


def test_worker_scales(compose: dict[str, Any]) -> None:
    """`docker compose up --scale airflow-worker=4` needs a worker without a fixed name or host port."""
    worker = compose["services"]["airflow-worker"]
    assert worker["command"][:2] == ["celery", "worker"]
    assert "container_name" not in worker and "ports" not in worker and "hostname" not in worker
    assert "celery@" in " ".join(worker["healthcheck"]["test"])
    assert not [n for n, s in compose["services"].items() if "container_name" in s]
    # the same image as the scheduler: the library and the spaCy model are in it
    scheduler = compose["services"]["airflow-scheduler"]
    assert worker["image"] == scheduler["image"] and worker["build"] == scheduler["build"]


def test_image_bakes_in_the_model_by_hash() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM apache/airflow:3\.", dockerfile, re.M)
    assert "--require-hashes -r /opt/news-ingest/requirements-model.txt" in dockerfile
    assert "spacy.load(" in dockerfile  # the build fails if the baked model does not load
    model = (PROJECT_ROOT / "requirements-model.txt").read_text()
    pins = [line for line in model.splitlines() if "==" in line and not line.startswith("#")]
    assert pins and model.count("--hash=sha256:") >= len(pins)


@pytest.mark.skipif(_compose_command() is None, reason="no docker compose / docker-compose: config not validated")
def test_docker_compose_config_is_valid() -> None:
    command = _compose_command()
    assert command is not None
    result = subprocess.run([*command, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True,
                            check=False, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
