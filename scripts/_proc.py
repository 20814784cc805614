"""Processes, ports and logs for the scripts that start local servers (local_es.py, airflow_local.py,
services.py): one copy of each helper, on psutil (pinned in pyproject.toml and constraints.txt; the
virtualenv has it, which is why the Makefile runs these scripts with `.venv/bin/python`).

A process counts as alive while it exists and is not a zombie: an exited child nobody reaped (in a
container whose first process does not reap orphans, that may be forever) holds no resources to stop.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterable
from pathlib import Path

import psutil


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def tail(path: Path, lines: int = 40) -> str:
    """The last `lines` lines of a log, for error messages."""
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text[-lines:])


def read_pid(path: Path) -> int | None:
    """The pid a pid file names (its first word: postmaster.pid holds more lines), or None."""
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def process(pid: int | None) -> psutil.Process | None:
    """The live process with this pid, or None."""
    if pid is None:
        return None
    try:
        proc = psutil.Process(pid)
    except psutil.Error:
        return None
    return proc if running(proc) else None


def running(proc: psutil.Process) -> bool:
    """The process still exists (the same one: a reused pid does not count) and is not a zombie."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def alive(pid: int) -> bool:
    return process(pid) is not None


def wait_gone(procs: Iterable[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait up to `timeout` seconds for the processes to end (reaping those that are our children); the
    ones still running at the end."""
    pending = list(procs)
    deadline = time.monotonic() + timeout
    while True:
        _gone, pending = psutil.wait_procs(pending, timeout=max(0.0, min(0.5, deadline - time.monotonic())))
        pending = [p for p in pending if running(p)]
        if not pending or time.monotonic() >= deadline:
            return pending


def send(procs: Iterable[psutil.Process], sig: int) -> None:
    for proc in procs:
        try:
            proc.send_signal(sig)
        except psutil.Error:
            continue


def signal_group(pid: int, sig: int) -> None:
    """`sig` to the process group `pid` leads (a process started in a session of its own)."""
    try:
        os.killpg(pid, sig)
    except OSError:
        return


def terminate(procs: Iterable[psutil.Process], grace: float) -> list[psutil.Process]:
    """SIGTERM, up to `grace` seconds to end, then SIGKILL; the processes that survived even that."""
    procs = list(procs)
    send(procs, signal.SIGTERM)
    left = wait_gone(procs, grace)
    send(left, signal.SIGKILL)
    left = wait_gone(left, 5)
    _until_reaped([p for p in procs if p not in left], 2)
    return left


def _until_reaped(procs: list[psutil.Process], seconds: float) -> None:
    """Give ended processes that are not our children a moment to be reaped by their parent (init, for a
    daemon), so that their pid is gone when `terminate` returns, as callers expect."""
    deadline = time.monotonic() + seconds
    while any(psutil.pid_exists(p.pid) for p in procs) and time.monotonic() < deadline:
        time.sleep(0.05)


def family(proc: psutil.Process) -> list[psutil.Process]:
    """The process and all its descendants."""
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return [proc]


def stop_pid(pid: int | None, grace: float) -> bool:
    """Stop one process (SIGTERM, then SIGKILL after `grace` seconds): True if it was running."""
    proc = process(pid)
    if proc is None:
        return False
    terminate([proc], grace)
    return True
