#!/usr/bin/env python3
"""PostgreSQL and Redis from Debian's packages, started on loopback for the CeleryExecutor tests.

    .venv/bin/python scripts/services.py install   apt-get install postgresql / redis-server where missing (root)
    .venv/bin/python scripts/services.py check     which of the two are installed (exit 3 if one is missing)

`start_postgres(base)` and `start_redis(base)` start a private server each: data, config, log and pid under
`base` (a folder the caller creates and removes), bound to 127.0.0.1 on a free port, with a generated
password, and return how to reach it; `stop_postgres` / `stop_redis` stop it. As root, PostgreSQL runs as
the system user `postgres` (it refuses root); Redis runs as the caller. Processes are handled with psutil
(scripts/_proc.py).
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _proc
from _proc import free_port
from _proc import tail as _tail

PACKAGES = ("postgresql", "redis-server")
PG_USER = "postgres"  # the system user Debian's postgresql package creates


class ServiceError(Exception):
    """A service could not be installed or started; the message says which and why."""


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (/usr/lib/postgresql/<major>/bin)."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    return max(found, key=lambda p: int(p.parent.name)) if found else None


def redis_bin() -> Path | None:
    path = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
    return Path(path) if path else None


def missing_packages() -> list[str]:
    present = {"postgresql": postgres_bin() is not None, "redis-server": redis_bin() is not None}
    return [name for name in PACKAGES if not present[name]]


def ensure_installed() -> None:
    """Install Debian's postgresql and redis-server if either is missing (idempotent; needs root and apt)."""
    missing = missing_packages()
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise ServiceError(f"{' and '.join(missing)} not installed; run: sudo apt-get install -y {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"services: installing {' '.join(missing)} with apt-get …", file=sys.stderr)
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=900)
        if result.returncode != 0:
            raise ServiceError(f"`{' '.join(cmd)}` failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    if still := missing_packages():
        raise ServiceError(f"apt-get finished but {' '.join(still)} is still missing")


def _owner() -> str | None:
    """The user PostgreSQL runs as: None (the caller) unless we are root."""
    return PG_USER if os.geteuid() == 0 else None


def _as(user: str | None, cmd: list[str]) -> list[str]:
    return cmd if user is None else ["runuser", "-u", user, "--", *cmd]


def _chown(path: Path, user: str | None) -> None:
    if user is None:
        return
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)


@dataclass(frozen=True)
class Postgres:
    data_dir: Path
    port: int
    user: str
    password: str
    database: str
    log: Path

    @property
    def sqlalchemy_url(self) -> str:
        return f"postgresql+psycopg2://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    @property
    def celery_result_backend(self) -> str:
        return f"db+postgresql+psycopg2://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"


@dataclass(frozen=True)
class Redis:
    port: int
    password: str
    pid: int
    log: Path

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"


def start_postgres(base: Path, port: int | None = None, wait: float = 60) -> Postgres:
    """initdb a fresh cluster under base/postgres and start it on 127.0.0.1 (fsync off: test data)."""
    bindir = postgres_bin()
    if bindir is None:
        raise ServiceError("PostgreSQL is not installed (make services)")
    user = _owner()
    root = base / "postgres"
    root.mkdir(parents=True, exist_ok=True)
    _chown(base, user)
    _chown(root, user)
    data, log, pwfile = root / "data", root / "postgres.log", root / "pwfile"
    pg = Postgres(data_dir=data, port=port or free_port(), user="airflow", password=secrets.token_urlsafe(16),
                  database="airflow", log=log)
    fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(pg.password + "\n")
    _chown(pwfile, user)
    init = subprocess.run(
        _as(user, [str(bindir / "initdb"), "-D", str(data), "-U", pg.user, f"--pwfile={pwfile}",
                   "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"]),
        capture_output=True, text=True, check=False, timeout=120,
    )
    pwfile.unlink(missing_ok=True)
    if init.returncode != 0:
        raise ServiceError(f"PostgreSQL initdb in {data} failed:\n{init.stdout[-2000:]}{init.stderr[-2000:]}")
    options = (f"-c listen_addresses=127.0.0.1 -p {pg.port} -c unix_socket_directories={data} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    start = subprocess.run(
        _as(user, [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t",
                   str(int(wait)), "start"]),
        capture_output=True, text=True, check=False, timeout=wait + 30,
    )
    if start.returncode != 0:
        raise ServiceError(f"PostgreSQL did not start on 127.0.0.1:{pg.port}:\n{start.stderr[-1000:]}\n{_tail(log)}")
    env = {**os.environ, "PGPASSWORD": pg.password}
    created = subprocess.run(
        [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", pg.user, pg.database],
        env=env, capture_output=True, text=True, check=False, timeout=60,
    )
    if created.returncode != 0:
        stop_postgres(pg)
        raise ServiceError(f"createdb {pg.database} on 127.0.0.1:{pg.port} failed: {created.stderr.strip()}")
    return pg


def postgres_pid(pg: Postgres) -> int | None:
    pid = _proc.read_pid(pg.data_dir / "postmaster.pid")
    return pid if pid is not None and _proc.alive(pid) else None


def stop_postgres(pg: Postgres, grace: float = 30) -> None:
    """pg_ctl stop -m fast; if the postmaster or one of its processes is still there, SIGKILL them."""
    postmaster = _proc.process(postgres_pid(pg))
    if postmaster is None:
        return
    processes = _proc.family(postmaster)
    bindir = postgres_bin()
    if bindir is not None:
        subprocess.run(_as(_owner(), [str(bindir / "pg_ctl"), "-D", str(pg.data_dir), "-m", "fast", "-w", "-t",
                                      str(int(grace)), "stop"]), capture_output=True, check=False, timeout=grace + 30)
    left = _proc.wait_gone(processes, 5)
    _proc.send(left, signal.SIGKILL)
    _proc.wait_gone(left, 5)


def start_redis(base: Path, port: int | None = None, wait: float = 30) -> Redis:
    """A Redis server on 127.0.0.1 with a password from a 0600 config file, no persistence."""
    binary = redis_bin()
    if binary is None:
        raise ServiceError("redis-server is not installed (make services)")
    root = base / "redis"
    root.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    password = secrets.token_urlsafe(16)
    log = root / "redis.log"
    conf = root / "redis.conf"
    fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"bind 127.0.0.1\nport {port}\nprotected-mode yes\nrequirepass {password}\ndir {root}\n"
                 f'save ""\nappendonly no\ndaemonize no\nlogfile {log}\n')
    process = subprocess.Popen([str(binary), str(conf)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    redis = Redis(port=port, password=password, pid=process.pid, log=log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"redis-server exited ({process.returncode}) on 127.0.0.1:{port}:\n{_tail(log)}")
        if redis_ping(redis):
            return redis
        time.sleep(0.2)
    stop_redis(redis)
    raise ServiceError(f"redis-server did not answer on 127.0.0.1:{port} in {wait:.0f}s:\n{_tail(log)}")


def redis_ping(redis: Redis) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", redis.port), timeout=2) as sock:
            sock.sendall(f"AUTH {redis.password}\r\nPING\r\n".encode())
            reply = b""
            while reply.count(b"\r\n") < 2:
                chunk = sock.recv(256)
                if not chunk:
                    break
                reply += chunk
    except OSError:
        return False
    return reply.startswith(b"+OK\r\n+PONG")


def stop_redis(redis: Redis, grace: float = 10) -> None:
    """SIGTERM, SIGKILL after `grace` seconds; reaped when it is the caller's child."""
    try:
        server = psutil.Process(redis.pid)
    except psutil.Error:
        return
    _proc.terminate(_proc.family(server), grace)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["install", "check"])
    args = parser.parse_args(argv)
    try:
        if args.action == "install":
            ensure_installed()
            print(f"services: installed: PostgreSQL in {postgres_bin()}, Redis {redis_bin()}", file=sys.stderr)
        else:
            missing = missing_packages()
            print("services: missing: " + " ".join(missing) if missing else "services: all installed", file=sys.stderr)
            return 3 if missing else 0
    except ServiceError as exc:
        print(f"services: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
