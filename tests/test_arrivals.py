"""The folder watcher (ingest/arrivals.py) on real folders, with the kernel's events and with polling; and the
inbox an event run reads (`ingest run --events`), against the real Elasticsearch node."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ingest_cli, jsonl
from elasticsearch import Elasticsearch

from ingest import inbox, ledger
from ingest.arrivals import FolderWatcher, WatchOptions, filesystem_type
from ingest.config import Settings


def watch(root: Path, mode: str, act: Callable[[], object], seconds: float,
          since: float | None = None) -> list[tuple[float, str]]:
    """Run the watcher over `root` for `seconds` while `act` (a coroutine function) changes the folder;
    every path it hands on, with the second it came at."""
    found: list[tuple[float, str]] = []

    async def main() -> None:
        watcher = FolderWatcher(str(root), WatchOptions(mode=mode, settle=2.0, poll=0.5))
        start = time.monotonic()

        async def collect() -> None:
            async for batch in watcher.changes(since):
                found.extend((time.monotonic() - start, p) for p in batch)

        task = asyncio.create_task(collect())
        await asyncio.sleep(0.5)
        await act()  # type: ignore[misc]
        await asyncio.sleep(seconds)
        task.cancel()

    asyncio.run(main())
    return found


def story(title: str) -> str:
    return f"{title}\n\nLISBON (Reuters) - {title}, the city said on Saturday.\n"


@pytest.mark.parametrize("mode", ["auto", "poll"])
def test_complete_arrivals_are_handed_on_once_and_unfinished_names_never(tmp_path: Path, mode: str) -> None:
    root, staging = tmp_path / "src", tmp_path / "staging"
    (root / "desk").mkdir(parents=True)
    staging.mkdir()

    async def act() -> None:
        (staging / "a.txt").write_text(story("Moved in"))
        (staging / "a.txt").rename(root / "desk" / "moved.txt")
        (root / "written.txt").write_text(story("Written in place"))
        (root / ".hidden.txt").write_text(story("Hidden"))
        (root / "upload.txt.part").write_text(story("Half an upload"))
        (root / "~$draft.txt").write_text(story("An office lock"))
        (root / "new" / "deeper").mkdir(parents=True)
        (root / "new" / "deeper" / "inside.txt").write_text(story("In a new folder"))

    found = watch(root, mode, act, 6.0)
    paths = [p for _, p in found]
    assert sorted(paths) == ["desk/moved.txt", "new/deeper/inside.txt", "written.txt"], found


def test_a_file_kept_open_is_handed_on_once_it_is_closed(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    closed_at: list[float] = []

    async def act() -> None:
        with (root / "slow.txt").open("w") as out:
            for n in range(4):  # pauses longer than `settle` (2 s) while the file is open
                out.write(f"Paragraph {n}.\n\n")
                out.flush()
                await asyncio.sleep(2.5)
        closed_at.append(time.monotonic())

    start = time.monotonic()
    found = watch(root, "auto", act, 3.0)
    assert [p for _, p in found] == ["slow.txt"], found
    assert found[0][0] >= closed_at[0] - start - 0.5, "handed on before its writer closed it"


def test_a_watcher_started_later_catches_up_on_what_arrived_since_its_watermark(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    (root / "old.txt").write_text(story("Before the watermark"))
    (root / "meanwhile.txt").write_text(story("While no watcher ran"))
    old = time.time() - 3600
    os.utime(root / "meanwhile.txt", (old, old))  # an old mtime, as `cp -p` or `mv` from elsewhere keep
    time.sleep(2.5)  # past the slack (2 s) the catch-up allows for skewed clocks
    watermark = time.time()
    (root / "meanwhile.txt").rename(root / "arrived.txt")  # after the watermark: a rename sets ctime

    async def nothing() -> None:
        return None

    found = watch(root, "auto", nothing, 4.0, since=watermark)
    assert [p for _, p in found] == ["arrived.txt"], found


def test_the_filesystem_type_is_read_from_the_mount_table(tmp_path: Path) -> None:
    assert filesystem_type(tmp_path) not in {"", "nfs", "cifs"}  # a local filesystem here
    assert filesystem_type(Path("/proc")) == "proc"


# ------------------------------------------------------------------------------------------- the inbox
@pytest.mark.es
def test_an_event_run_reads_only_the_announced_files_and_deletes_nothing(settings: Settings, es: Elasticsearch) -> None:
    source = Path(settings.source)
    for name in ("one.txt", "two.txt", "three.txt"):
        (source / name).write_text(story(f"Story {name}"))
    first = jsonl(ingest_cli(settings, "run", "--json").stdout)[-1]
    assert first["counts"]["indexed_files"] == 3

    (source / "new.txt").write_text(story("A new arrival"))
    (source / "unannounced.txt").write_text(story("Nobody announced me"))
    (source / "two.txt").unlink()  # gone, but an event run deletes nothing
    root = str(source.resolve())
    inbox.announce(es, settings, root, ["new.txt", "one.txt", "vanished.txt", "../escape.txt", ".hidden.txt"])
    assert inbox.waiting(es, settings, root) == 5
    status = jsonl(ingest_cli(settings, "status", "--json").stdout)[0]
    assert status["inbox"] == 5

    report = jsonl(ingest_cli(settings, "run", "--events", "--json").stdout)[-1]
    assert report["state"] == "success" and report["mode"] == "events", report
    counts = report["counts"]
    assert (counts["discovered"], counts["new"], counts["unchanged"], counts["deleted"]) == (2, 1, 1, 0), counts
    entries = ledger.get_entries(es, settings, root, ["new.txt", "unannounced.txt", "two.txt"])
    assert entries["new.txt"].state == "indexed"
    assert "unannounced.txt" not in entries  # waits for its announcement or the reconciliation
    assert entries["two.txt"].state == "indexed"  # retired only by a complete listing
    assert inbox.waiting(es, settings, root) == 0  # what the run took is gone from the inbox

    full = jsonl(ingest_cli(settings, "run", "--json").stdout)[-1]
    assert full["mode"] == "full" and (full["counts"]["new"], full["counts"]["deleted"]) == (1, 1), full
