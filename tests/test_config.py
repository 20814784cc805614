"""Settings: environment, the local node's connection file, and an orchestrator's connection record; one
registry of variables (ingest/variables.py) behind the defaults, help texts and README; logging left to
the entry points."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from ingest import variables as v
from ingest.config import (
    Settings,
    connection_origins,
    explain,
    load_settings,
    load_settings_traced,
    local_dir,
    normalise_root,
    settings_from_connection,
)
from ingest.errors import TerminalError
from ingest.notify import SmtpSettings


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    settings = load_settings({"ES_URL": "https://es.example:9243", "ES_API_KEY": "k", "INGEST_INDEX": "news",
                              "INGEST_BATCH_SIZE": "5", "INGEST_LOCAL_DIR": str(tmp_path)})
    assert settings.es_url == "https://es.example:9243"
    assert settings.es_api_key == "k"
    assert settings.index_alias == "news" and settings.ledger_index == "news-ledger"
    assert settings.batch_size == 5


def test_local_node_connection_file_is_used_without_es_url(tmp_path: Path) -> None:
    node = tmp_path / "es" / "local"
    node.mkdir(parents=True)
    (node / "connection.json").write_text(json.dumps({"url": "http://127.0.0.1:9299", "username": "elastic",
                                                      "password": "pw"}))
    settings = load_settings({"INGEST_LOCAL_DIR": str(tmp_path)})
    assert (settings.es_url, settings.es_username, settings.es_password) == ("http://127.0.0.1:9299", "elastic", "pw")
    assert load_settings({"INGEST_LOCAL_DIR": str(tmp_path), "ES_URL": "http://other:9200"}).es_url == \
        "http://other:9200"


def test_airflow_style_connection_record() -> None:
    base = Settings()
    conn = settings_from_connection(base, host="es.internal", port=9200, schema="https", login="ingest",
                                    password="secret", extra={"ca_certs": "/etc/ca.pem"})
    assert conn.es_url == "https://es.internal:9200"
    assert (conn.es_username, conn.es_password, conn.es_ca_cert) == ("ingest", "secret", "/etc/ca.pem")
    with_scheme = settings_from_connection(base, host="http://elasticsearch:9200", port=None, schema=None,
                                           login=None, password=None, extra={"api_key": "abc"})
    assert with_scheme.es_url == "http://elasticsearch:9200" and with_scheme.es_api_key == "abc"
    assert settings_from_connection(base, host=None, port=None, schema=None, login=None, password=None,
                                    extra={}) == base


# ---------------------------------------------------------------------------------------------- one source
ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ("ingest", "ingest_airflow", "dags")


def _library_sources() -> list[Path]:
    return [p for folder in LIBRARY for p in sorted((ROOT / folder).rglob("*.py"))]


def test_every_settings_field_is_declared_once_with_its_default() -> None:
    declared = [variable.field for variable in v.SETTINGS_VARIABLES]
    assert len(declared) == len(set(declared)) and len(v.VARIABLES) == len({x.name for x in v.VARIABLES})
    own = {f.name for f in fields(Settings)} - {"request_timeout"}  # not a variable: the CLI's and tasks' own
    assert set(declared) == own
    defaults = Settings()
    for variable in v.SETTINGS_VARIABLES:
        assert getattr(defaults, variable.field or "") == variable.default, variable.name
    smtp = SmtpSettings()
    for variable in v.SMTP_VARIABLES:
        assert getattr(smtp, variable.field or "") == variable.default, variable.name


def test_every_variable_the_library_names_is_declared() -> None:
    """An INGEST_ name in the library, the DAGs or the README that the registry does not know is a setting
    read (or documented) around it."""
    names = {x.name for x in v.VARIABLES}
    texts = {str(p.relative_to(ROOT)): p.read_text() for p in _library_sources()}
    texts["README.md"] = (ROOT / "README.md").read_text()
    for where, text in texts.items():
        unknown = set(re.findall(r"\bINGEST_[A-Z_]*[A-Z]\b", text)) - names
        assert not unknown, f"{where} names undeclared variables {sorted(unknown)}"


def test_only_the_registry_reads_the_environment() -> None:
    """No module of the library, no DAG reads a setting from the environment itself (and no default is
    written twice): they go through `ingest.variables`."""
    reads = re.compile(r"""(environ|env|getenv)\b[^\n]{0,20}["'](INGEST|ES|KIBANA)_[A-Z_]+""")
    for path in _library_sources():
        found = reads.search(path.read_text())
        assert found is None or path.name == "variables.py", f"{path.relative_to(ROOT)}: {found and found.group()}"


def test_readme_settings_table_is_the_registrys() -> None:
    readme = (ROOT / "README.md").read_text()
    table = re.search(r"<!-- settings table[^>]*-->\n(.*?)\n<!-- end of settings table -->", readme, re.S)
    assert table is not None, "README.md lost its settings table markers"
    assert table.group(1) == v.markdown_table(), "README's settings table differs: paste `ingest settings --markdown`"


def test_defaults_are_relative_to_the_working_directory_not_the_package(tmp_path: Path) -> None:
    """A pip-installed package has no seeds/ inside it: the default source and local folder are the
    working directory's (`make run` runs from the checkout, so it reads seeds/ there)."""
    settings = load_settings({})
    assert settings.source == "seeds" and not Path(settings.source).is_absolute()
    assert local_dir({}) == Path(".local")
    assert normalise_root(settings.source) == str(Path.cwd() / "seeds")
    assert local_dir({"INGEST_LOCAL_DIR": str(tmp_path)}) == tmp_path


def test_bad_values_name_their_variable() -> None:
    for name, value in (("INGEST_BATCH_SIZE", "many"), ("INGEST_BATCH_SIZE", "0"), ("INGEST_WATCH", "maybe"),
                        ("INGEST_MAX_DELETE_SHARE", "2"), ("INGEST_WATCH_POLL", "-1")):
        with pytest.raises(TerminalError, match=name):
            load_settings({name: value})
    assert load_settings({"INGEST_MAX_DELETE_SHARE": "25%"}).max_delete_share == 0.25
    assert load_settings({"INGEST_WATCH": "false"}).watch == "off"


def test_schedule_is_a_setting() -> None:
    assert load_settings({}).reconciliation == "@daily"  # watching a local folder: a daily full listing
    assert load_settings({"INGEST_WATCH": "off"}).reconciliation == "@hourly"
    assert load_settings({"INGEST_SOURCE": "s3://bucket/news"}).reconciliation == "@hourly"  # no events there
    assert load_settings({"INGEST_SCHEDULE": "0 2 * * *"}).reconciliation == "0 2 * * *"
    assert load_settings({"INGEST_SCHEDULE": "none"}).reconciliation is None


def test_explain_gives_origins_and_masks_secrets(tmp_path: Path) -> None:
    node = tmp_path / "es" / "local"
    node.mkdir(parents=True)
    (node / "connection.json").write_text(json.dumps({"url": "http://127.0.0.1:9299", "username": "elastic",
                                                      "password": "local-secret"}))
    env = {"INGEST_LOCAL_DIR": str(tmp_path), "INGEST_BATCH_SIZE": "25", "INGEST_SMTP_PASSWORD": "mail-secret"}
    settings, origins = load_settings_traced(env)
    rows = {row.name: row for row in explain(settings, origins, env, smtp=SmtpSettings.from_env(env))}
    assert set(rows) == {x.name for x in v.VARIABLES}
    assert (rows["INGEST_BATCH_SIZE"].value, rows["INGEST_BATCH_SIZE"].origin) == ("25", "environment")
    assert (rows["INGEST_MAX_BATCHES"].value, rows["INGEST_MAX_BATCHES"].origin) == ("256", "default")
    assert rows["ES_URL"].value == "http://127.0.0.1:9299" and "local node" in rows["ES_URL"].origin
    assert rows["ES_PASSWORD"].value == "****" and rows["INGEST_SMTP_PASSWORD"].value == "****"
    assert rows["INGEST_LOCAL_DIR"].origin == "environment"
    shown = json.dumps([row.to_dict() for row in rows.values()])
    assert "local-secret" not in shown and "mail-secret" not in shown

    url_secret = {"ES_URL": "https://ingest:url-secret@es.example:9243", "ES_API_KEY": "id:key-secret"}
    settings, origins = load_settings_traced(url_secret)
    shown = json.dumps([row.to_dict() for row in explain(settings, origins, url_secret)])
    assert "url-secret" not in shown and "key-secret" not in shown and "es.example:9243" in shown

    base, origins = load_settings_traced({"INGEST_LOCAL_DIR": str(tmp_path / "none")})
    connected = settings_from_connection(base, host="es.internal", port=9200, schema="https", login="ingest",
                                         password="conn-secret", extra={})
    label = "Airflow connection elasticsearch_default"
    rows = {r.name: r for r in explain(connected, connection_origins(base, connected, origins, label), {})}
    assert rows["ES_URL"].origin == rows["ES_USERNAME"].origin == rows["ES_PASSWORD"].origin == label
    assert rows["ES_PASSWORD"].value == "****" and rows["INGEST_INDEX"].origin == "default"


def test_smtp_settings_read_through_the_registry() -> None:
    smtp = SmtpSettings.from_env({"INGEST_SMTP_HOST": "mail.example.org", "INGEST_SMTP_PORT": "465"})
    assert (smtp.host, smtp.port, smtp.ssl, smtp.timeout) == ("mail.example.org", 465, True, v.SMTP_TIMEOUT.default)
    with pytest.raises(TerminalError, match="INGEST_SMTP_PORT"):
        SmtpSettings.from_env({"INGEST_SMTP_PORT": "smtp"})


def test_help_texts_take_their_defaults_from_the_registry() -> None:
    from ingest.cli import _parser

    run = _parser()._subparsers._group_actions[0].choices["run"]  # type: ignore[union-attr]
    text = " ".join(run.format_help().split())
    assert f"INGEST_BATCH_SIZE, {v.BATCH_SIZE.default})" in text
    assert f"INGEST_MAX_DELETE_SHARE ({v.MAX_DELETE_SHARE.default:.0%})" in text
    assert f"INGEST_INDEX, {v.INDEX.default})" in text
    for dag in ("seed_ingest.py", "news_alerts.py"):  # DAG files wire: no default of a setting written there
        source = (ROOT / "dags" / dag).read_text()
        assert not re.search(r"\b(500|256|50 ?%|`articles`)", source), dag


# ---------------------------------------------------------------------------------------------- logging
LOGGING_CHECK = """
import json, logging, sys
import elasticsearch, trafilatura, htmldate, charset_normalizer, courlan, justext, dateparser  # their own setup
def state():
    names = sorted(n for n in logging.root.manager.loggerDict if not n.startswith("ingest"))
    out = {}
    for n in [None, *names]:
        lg = logging.getLogger(n)
        if isinstance(lg, logging.Logger):
            out[str(n)] = [lg.level, lg.propagate, lg.disabled, [type(h).__name__ for h in lg.handlers],
                           [type(f).__name__ for f in lg.filters]]
    return out
before = state()
import importlib, pkgutil, ingest
for module in pkgutil.walk_packages(ingest.__path__, "ingest."):
    if module.name != "ingest.preload":  # the one module whose import loads the models, on purpose
        importlib.import_module(module.name)
assert "spacy" not in sys.modules, "importing the library loaded spaCy"
from ingest.config import Settings
from ingest import extract, index
index.connect(Settings())
extract.extract_options()
after = state()
print(json.dumps({n: (before[n], after[n]) for n in before if before[n] != after[n]}))
from ingest.logs import quiet_third_party
quiet_third_party()
print(json.dumps(sorted(n for n, s in state().items() if n in before and s != before[n])))
"""


def test_the_library_leaves_logging_alone() -> None:
    """Importing the library's modules (all but `ingest.preload`) loads no spaCy, and neither that nor
    calling `connect`/`extract_options` changes a logger; `quiet_third_party` (what the entry points call)
    does."""
    result = subprocess.run([sys.executable, "-c", LOGGING_CHECK], capture_output=True, text=True, check=False,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    changed_by_library, changed_by_entry_point = (json.loads(x) for x in result.stdout.strip().splitlines()[-2:])
    assert changed_by_library == {}
    assert "trafilatura" in changed_by_entry_point and "elastic_transport.transport" in changed_by_entry_point
