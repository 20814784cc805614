"""Settings: one object, read once from the environment (and the local node's connection file).

Every variable, its type, default and meaning is declared once in `ingest.variables` (the README's settings
table and `ingest settings` come from there); `Settings` takes its defaults from those declarations.
Without ES_URL, the connection file written by `scripts/local_es.py` for the `local` node is used.

    load_settings()            → Settings from os.environ
    load_settings_traced(env)  → (Settings, {field: where its value came from})
    explain(settings, origins) → one `Effective` row per variable, secrets masked (`ingest settings`)
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ingest import variables as v
from ingest.errors import TerminalError
from ingest.variables import spacy_models

__all__ = ["PROJECT_ROOT", "Effective", "Settings", "allowed_source", "explain", "load_settings",
           "load_settings_traced", "local_connection", "local_dir", "normalise_root", "settings_from_connection",
           "spacy_models", "worker_count"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # this checkout (tests, bench); never a default setting
DEFAULT = "default"
ENVIRONMENT = "environment"


@dataclass(frozen=True)
class Settings:
    es_url: str = v.ES_URL.default
    es_username: str | None = v.ES_USERNAME.default
    es_password: str | None = v.ES_PASSWORD.default
    es_api_key: str | None = v.ES_API_KEY.default
    es_ca_cert: str | None = v.ES_CA_CERT.default
    index_alias: str = v.INDEX.default
    source: str = v.SOURCE.default
    spacy_model: str = v.SPACY_MODEL.default
    spacy_models: tuple[tuple[str, str], ...] = v.SPACY_MODELS.default  # (language, model) for other languages
    batch_size: int = v.BATCH_SIZE.default  # a task loads the spaCy model once: large batches amortise it
    max_batches: int = v.MAX_BATCHES.default
    workers: int = v.WORKERS.default  # 0: the machine's cores
    max_delete_share: float = v.MAX_DELETE_SHARE.default
    allowed_roots: tuple[str, ...] = v.ALLOWED_ROOTS.default  # empty: only `source`
    json_fields: str | None = v.JSON_FIELDS.default  # path of a JSON field map, see ingest.extract.extract_options
    max_file_mb: float = v.MAX_FILE_MB.default
    request_timeout: float = 60.0
    watch: str = v.WATCH.default  # on | poll | off
    watch_settle: float = v.WATCH_SETTLE.default
    watch_poll: float = v.WATCH_POLL.default
    schedule: str | None = v.SCHEDULE.default  # None: @daily while watching, @hourly without

    @property
    def watching(self) -> bool:
        """Whether new files are watched for: a local folder, and INGEST_WATCH not off (an fsspec store
        sends no events here: it keeps the scheduled listing)."""
        return self.watch != "off" and "://" not in self.source

    @property
    def reconciliation(self) -> str | None:
        """The DAG's scheduled full listing (INGEST_SCHEDULE): a cron expression or preset, None for none;
        unset: daily while a watcher announces new files, hourly without one."""
        schedule = self.schedule or ("@daily" if self.watching else "@hourly")
        return None if schedule.strip().lower() in {"none", "manual"} else schedule

    @property
    def ledger_index(self) -> str:
        return f"{self.index_alias}-ledger"

    @property
    def runs_index(self) -> str:
        return f"{self.index_alias}-runs"

    @property
    def manifests_index(self) -> str:
        return f"{self.index_alias}-manifests"

    @property
    def inbox_index(self) -> str:
        return f"{self.index_alias}-inbox"

    @property
    def watches_index(self) -> str:
        return f"{self.index_alias}-watches"

    @property
    def alerts_index(self) -> str:
        return f"{self.index_alias}-alerts"

    @property
    def alert_checks_index(self) -> str:
        """One document per (checked run, chunk of its document ids): what the watches' searches look up."""
        return f"{self.index_alias}-alert-checks"

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{key: value for key, value in changes.items() if value is not None})

    @property
    def public_url(self) -> str:
        """`es_url` without any user:password written into it (several URLs: each)."""
        return ",".join(re.sub(r"(?<=://)[^/@]*@", "", url) for url in self.es_url.split(","))

    def describe(self) -> str:
        """For messages: where this talks to, without secrets."""
        return f"{self.public_url} (alias {self.index_alias})"


def local_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the local node and Airflow live (INGEST_LOCAL_DIR; relative: from the working directory)."""
    return Path(v.LOCAL_DIR.read(os.environ if env is None else env) or v.LOCAL_DIR.default)


def local_connection(name: str = "local", env: Mapping[str, str] | None = None) -> dict[str, str] | None:
    path = local_connection_file(name, env)
    try:
        data: dict[str, str] = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data


def local_connection_file(name: str = "local", env: Mapping[str, str] | None = None) -> Path:
    return local_dir(env) / "es" / name / "connection.json"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    return load_settings_traced(env)[0]


def load_settings_traced(env: Mapping[str, str] | None = None) -> tuple[Settings, dict[str, str]]:
    """Settings from `env` (default os.environ), and where each field's value came from: `environment`,
    the local node's connection file, or (fields left out) the default."""
    env = os.environ if env is None else env
    settings, origins = Settings(), {}
    if not v.ES_URL.read(env):
        local = local_connection(env=env)
        if local:
            settings = replace(settings, es_url=local["url"], es_username=local["username"],
                               es_password=local["password"])
            origins = dict.fromkeys(("es_url", "es_username", "es_password"),
                                    f"local node ({local_connection_file(env=env)})")
    values = v.read_all(v.SETTINGS_VARIABLES, env)
    origins.update(dict.fromkeys(values, ENVIRONMENT))
    return replace(settings, **values), origins


@dataclass(frozen=True)
class Effective:
    """One variable as `ingest settings` shows it: its effective value (secrets masked) and its origin."""

    name: str
    value: str
    origin: str
    description: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "value": self.value, "origin": self.origin, "description": self.description}


def explain(settings: Settings, origins: Mapping[str, str], env: Mapping[str, str] | None = None,
            smtp: Any = None, smtp_origin: str = ENVIRONMENT) -> list[Effective]:
    """Every variable of `ingest.variables`: the value `settings` (or `smtp`, an `ingest.notify.SmtpSettings`)
    holds, and where it came from (`origins`, as `load_settings_traced` returns them). Secrets show as
    `****` when set."""
    env = os.environ if env is None else env
    own = {f.name for f in fields(Settings)}
    rows = []
    for variable in v.VARIABLES:
        if variable.field in own:
            value, origin = getattr(settings, variable.field), origins.get(variable.field or "", DEFAULT)
        elif variable in v.SMTP_VARIABLES and smtp is not None:
            value = getattr(smtp, variable.field or "")
            origin = smtp_origin if smtp_origin != ENVIRONMENT or variable.read(env) is not None else DEFAULT
        else:
            read = variable.read(env)
            value, origin = (variable.default, DEFAULT) if read is None else (read, ENVIRONMENT)
        shown = variable.text(value) if value is not None and value != () else ""
        if variable is v.ES_URL:
            shown = settings.public_url  # a user:password written into the URL stays out
        if variable.secret and shown:
            shown = "****"
        rows.append(Effective(variable.name, shown or variable.default_text * (origin == DEFAULT), origin,
                              variable.description))
    return rows


def normalise_root(root: str) -> str:
    """A local folder becomes its absolute path, so ledger entries match across working directories."""
    return root if "://" in root else str(Path(root).expanduser().resolve())


def worker_count(settings: Settings) -> int:
    return settings.workers if settings.workers > 0 else max(1, os.cpu_count() or 1)


def allowed_source(settings: Settings, requested: str | None) -> str:
    """The source a run may read: `requested` (a run parameter) only when it resolves inside one of the
    allowed roots (INGEST_ALLOWED_ROOTS, default the configured source); symlinks and `..` are resolved
    first, so neither can lead outside."""
    if not requested:
        return settings.source
    roots = settings.allowed_roots or (settings.source,)
    if "://" in requested:
        if any(requested.rstrip("/") == r.rstrip("/") or requested.startswith(r.rstrip("/") + "/")
               for r in roots if "://" in r):
            return requested
    else:
        target = Path(requested).expanduser().resolve()
        if any(target.is_relative_to(Path(r).expanduser().resolve()) for r in roots if "://" not in r):
            return str(target)
    raise TerminalError(f"source {requested!r} is outside the allowed roots ({', '.join(roots)}); "
                        "set INGEST_ALLOWED_ROOTS to allow it")


def connection_origins(base: Settings, connected: Settings, origins: Mapping[str, str], label: str,
                       ) -> dict[str, str]:
    """`origins` with the fields an orchestrator's connection record changed (`settings_from_connection`)
    attributed to `label` (e.g. "Airflow connection elasticsearch_default")."""
    changed = {f.name for f in fields(Settings) if getattr(base, f.name) != getattr(connected, f.name)}
    return {**origins, **dict.fromkeys(changed, label)}


def settings_from_connection(
    base: Settings, *, host: str | None, port: int | None, schema: str | None, login: str | None,
    password: str | None, extra: dict[str, Any],
) -> Settings:
    """Settings from an orchestrator's connection record (Airflow's `elasticsearch_default`).

    Takes plain values so the library stays free of Airflow. `extra` may hold `api_key` and `ca_certs`.
    """
    if not host:
        return base
    url = host if "://" in host else f"{schema or 'http'}://{host}"
    if port and url.count(":") < 2:
        url = f"{url}:{port}"
    return base.with_overrides(
        es_url=url, es_username=login or None, es_password=password or None,
        es_api_key=extra.get("api_key") or None, es_ca_cert=extra.get("ca_certs") or None,
    )
