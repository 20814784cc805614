"""scripts/_proc.py, the process helpers of local_es.py, airflow_local.py and services.py, on real processes:
a parent with a grandchild, one that ignores SIGTERM, a zombie, a reused pid file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import _proc
import psutil
import pytest

# A parent that starts a grandchild and waits; with IGNORE, both ignore SIGTERM.
TREE = """
import signal, subprocess, sys, time
if sys.argv[1] == "ignore":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import signal, sys, time\\n"
                          "if sys.argv[1] == 'ignore': signal.signal(signal.SIGTERM, signal.SIG_IGN)\\n"
                          "print('ready', flush=True)\\ntime.sleep(600)", sys.argv[1]], stdout=sys.stdout)
time.sleep(600)
"""


def start_tree(mode: str) -> tuple[subprocess.Popen[str], list[psutil.Process]]:
    parent = subprocess.Popen([sys.executable, "-c", TREE, mode], stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    assert parent.stdout is not None and parent.stdout.readline().strip() == "ready"
    family = _proc.family(psutil.Process(parent.pid))
    assert len(family) == 2
    return parent, family


@pytest.mark.parametrize("mode", ["obey", "ignore"])
def test_terminate_ends_a_process_and_its_descendants(mode: str) -> None:
    parent, family = start_tree(mode)
    started = time.monotonic()
    left = _proc.terminate(family, grace=1 if mode == "ignore" else 30)
    assert left == []
    assert not any(_proc.alive(p.pid) for p in family)
    assert parent.poll() is not None  # reaped: no zombie of ours left behind
    if mode == "obey":
        assert time.monotonic() - started < 10  # SIGTERM did it, not the SIGKILL after the grace


def test_a_zombie_is_not_alive_and_a_pid_file_names_only_a_running_process(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    proc = psutil.Process(child.pid)
    deadline = time.monotonic() + 30
    while proc.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.status() == psutil.STATUS_ZOMBIE  # exited, not reaped yet
    assert not _proc.alive(child.pid) and _proc.process(child.pid) is None
    assert _proc.wait_gone([proc], 5) == []  # and waiting reaps it
    assert not psutil.pid_exists(child.pid)

    pid_file = tmp_path / "x.pid"
    assert _proc.read_pid(pid_file) is None
    pid_file.write_text(f"{child.pid}\nmore lines\n")  # postmaster.pid: the pid first
    assert _proc.read_pid(pid_file) == child.pid
    assert not _proc.stop_pid(_proc.read_pid(pid_file), grace=1)  # no longer running: nothing to stop


def test_stop_pid_stops_a_running_process() -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    assert _proc.alive(sleeper.pid)
    started = time.monotonic()
    assert _proc.stop_pid(sleeper.pid, grace=30)
    assert time.monotonic() - started < 10  # SIGTERM ended it
    assert not psutil.pid_exists(sleeper.pid)  # and it was reaped


def test_free_port_is_free_and_a_bound_port_is_not() -> None:
    import socket

    port = _proc.free_port()
    assert _proc.port_free(port)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        assert not _proc.port_free(port)


def test_tail_gives_the_last_lines_or_says_there_is_no_log(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("".join(f"line {i}\n" for i in range(100)))
    assert _proc.tail(log, 2) == "line 98\nline 99"
    assert _proc.tail(tmp_path / "none.log") == f"(no log at {tmp_path / 'none.log'})"
