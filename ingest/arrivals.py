"""Watching a seed folder: which files arrived complete, as they arrive (docs/architecture.md, "Freshness").

    kernel events (inotify) ─┐                       ┌─▶ ready: closed after writing, or moved in
    folder mtimes (polling) ─┴─▶ pending (path …) ───┤
    catch-up since the watermark                     └─▶ ready: unchanged for `settle` seconds

A file is taken only once it is complete: closed after writing (IN_CLOSE_WRITE) or renamed into place
(IN_MOVED_TO); one that shows neither — a hard link, a file found by a scan, any file on a network mount —
once its size and mtime stayed the same for `settle` seconds. Hidden names and what `sources.skip_reason`
calls temporary or partial (`x.part`, `~$x`, …) are never announced: they are complete only under their
final name. Network mounts (NFS, SMB, sshfs, …) send no kernel events for changes made elsewhere, so there
the watcher looks at the folders' mtimes every `poll` seconds and lists only the folders that changed: a
new or renamed file changes its folder; a file rewritten in place over a network mount does not, and waits
for the scheduled reconciliation. Nothing is ever hashed here.

`FolderWatcher.changes` yields lists of ready paths (relative to the root, '/'-separated). Given the
watermark of an earlier watcher (`since`), it first yields what arrived after it: files whose mtime or
ctime (a rename sets ctime) is later. The library side of the Airflow trigger (`ingest_airflow.triggers`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import errno
import logging
import math
import os
import stat
import struct
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from elasticsearch import Elasticsearch

from ingest import inbox, index, ledger
from ingest.config import Settings, normalise_root
from ingest.errors import IngestError
from ingest.sources import skip_reason

log = logging.getLogger(__name__)

NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs", "beegfs",
    "fuse.sshfs", "fuse.s3fs", "fuse.rclone", "fuse.gcsfuse", "fuse.glusterfs", "fuse.cephfs", "davfs",
    "fuse.davfs2", "fuse.goofys", "fuse.juicefs",
})

# inotify(7)
IN_MODIFY, IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO = 0x2, 0x8, 0x40, 0x80
IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MOVE_SELF = 0x100, 0x200, 0x400, 0x800
IN_Q_OVERFLOW, IN_IGNORED, IN_ONLYDIR, IN_ISDIR = 0x4000, 0x8000, 0x01000000, 0x40000000
IN_NONBLOCK, IN_CLOEXEC = os.O_NONBLOCK, os.O_CLOEXEC
WATCH_MASK = (IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
              | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
_EVENT = struct.Struct("iIII")
Folders = dict[str, tuple[float, list[str]]]  # folder → (mtime, subfolders)
ANNOUNCE_AT_ONCE = 5000  # paths handed on at a time (a catch-up may find many)
QUICK = 2.0  # seconds of quiet for a file found in a folder made a moment ago
MARK_EVERY = 10.0  # seconds between two writes of the watermark
NUDGE_EVERY = 60.0  # seconds after which files still waiting in the inbox are announced again
T = TypeVar("T")


@dataclass(frozen=True)
class WatchOptions:
    """How to watch: `mode` auto (kernel events where the filesystem gives them, else polling) or poll;
    `settle`: seconds a file with no close event must stay unchanged; `poll`: seconds between two looks at
    the folders when polling; `slack`: seconds of clock and timestamp skew allowed when catching up."""

    mode: str = "auto"
    settle: float = 30.0
    poll: float = 5.0
    slack: float = 2.0


@dataclass
class _Pending:
    first_seen: float
    last_event: float
    writing: bool = False  # a write was seen: only a close (or a long silence) makes it ready
    quick: bool = False  # found in a folder made a moment ago: writers fill new folders fast
    size: int = -1
    mtime: float = -1.0


@dataclass
class FolderWatcher:
    root: str
    options: WatchOptions = field(default_factory=WatchOptions)
    pending: dict[str, _Pending] = field(default_factory=dict)
    ready: set[str] = field(default_factory=set)
    mode: str = ""

    def __post_init__(self) -> None:
        self.base = Path(self.root)
        self._wake = asyncio.Event()

    @property
    def oldest_pending(self) -> float | None:
        """When the oldest file still waiting to be complete was first seen (the watermark stays before it)."""
        return min((p.first_seen for p in self.pending.values()), default=None)

    async def changes(self, since: float | None = None) -> AsyncIterator[list[str]]:
        """Ready paths, a list at a time, forever; first what arrived after `since` (if given). An empty
        list now and then says the watcher is alive and idle (at least every 30 seconds)."""
        notify = None if self.options.mode == "poll" or is_network_mount(self.base) else _inotify_or_none()
        self.mode = "inotify" if notify is not None else "poll"
        log.info("watching %s (%s)", self.root, self.mode)
        folders: Folders = {}
        loop = asyncio.get_running_loop()
        if notify is not None:
            await asyncio.to_thread(self._watch_tree, notify, "")
        else:
            folders = await asyncio.to_thread(_folders, self.base)
        if since is not None:
            await asyncio.to_thread(self._catch_up, since - self.options.slack)
        try:
            while True:
                if notify is not None:
                    self._wake.clear()
                    self._on_events(notify, notify.read())
                    # told once when events wait (then read here): a level-triggered reader left in place
                    # would spin the loop for as long as they are unread
                    loop.add_reader(notify.fd, self._readable, loop, notify.fd)
                else:
                    folders = await asyncio.to_thread(self._poll_folders, folders)
                await asyncio.to_thread(self._settle)
                batch = sorted(self.ready)[:ANNOUNCE_AT_ONCE]
                self.ready.difference_update(batch)
                yield batch
                if not self.ready:
                    await self._sleep(1.0 if notify is not None else self.options.poll)
        finally:
            if notify is not None:
                loop.remove_reader(notify.fd)
                notify.close()

    def _readable(self, loop: asyncio.AbstractEventLoop, fd: int) -> None:
        loop.remove_reader(fd)
        self._wake.set()

    async def _sleep(self, seconds: float) -> None:
        """Until kernel events come (then a quarter second more, so a burst arrives whole) or `seconds`.
        The flag is cleared just before the events are read, not here: events that came while the last
        batch was handed on have set it already, and must not wait for the timeout."""
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds if self.pending or self.mode == "poll"
                                   else 30.0)
            await asyncio.sleep(0.25)
        except TimeoutError:
            pass

    # ------------------------------------------------------------------------------------- kernel events
    def _watch_tree(self, notify: _Inotify, rel: str) -> None:
        """Watch `rel` and every folder below it (not hidden, not through links)."""
        stack = [rel]
        while stack:
            folder = stack.pop()
            if not notify.add(self.base / folder if folder else self.base, folder):
                continue
            stack.extend(f"{folder}/{name}" if folder else name for name in _subfolders(self.base / folder))

    def _on_events(self, notify: _Inotify, events: list[tuple[int, int, str]]) -> None:
        now = time.time()
        for wd, mask, name in events:
            if mask & IN_Q_OVERFLOW:
                log.warning("watching %s: the kernel dropped events (queue overflow); looking at every file",
                            self.root)
                self._catch_up(min(now, self.oldest_pending or now) - 60)
                continue
            if mask & IN_IGNORED:
                notify.forget(wd)
                continue
            folder = notify.folders.get(wd)
            if folder is None or not name or name.startswith("."):
                continue
            rel = f"{folder}/{name}" if folder else name
            if mask & IN_ISDIR:
                if mask & (IN_CREATE | IN_MOVED_TO):
                    self._watch_tree(notify, rel)
                    self._found_in(rel, complete=bool(mask & IN_MOVED_TO))
                continue
            self._on_file(rel, mask, now)

    def _on_file(self, rel: str, mask: int, now: float) -> None:
        if skip_reason(rel.rsplit("/", 1)[-1]):
            return
        if mask & (IN_DELETE | IN_MOVED_FROM):
            self.pending.pop(rel, None)
            self.ready.discard(rel)
        elif mask & (IN_CLOSE_WRITE | IN_MOVED_TO):
            self.pending.pop(rel, None)
            self.ready.add(rel)
        elif mask & (IN_CREATE | IN_MODIFY):
            entry = self.pending.setdefault(rel, _Pending(first_seen=now, last_event=now))
            entry.last_event = now
            entry.writing = entry.writing or bool(mask & IN_MODIFY)

    # ------------------------------------------------------------------------------------- polling
    def _poll_folders(self, known: Folders) -> Folders:
        """Stat the known folders; list only those whose mtime changed (new ones included): their new
        files become pending."""
        now = time.time()
        seen: Folders = {}
        stack = [""]
        while stack:
            rel = stack.pop()
            try:
                mtime = (self.base / rel if rel else self.base).stat().st_mtime
            except OSError:
                continue
            before = known.get(rel)
            if before is not None and before[0] == mtime:
                seen[rel] = before
            else:
                seen[rel] = (mtime, [f"{rel}/{n}" if rel else n for n in _subfolders(self.base / rel)])
                since = (before[0] if before else 0.0) - self.options.slack
                for path, info in _files_in(self.base, rel):
                    if max(info.st_mtime, info.st_ctime) >= since:
                        self.pending.setdefault(path, _Pending(first_seen=now, last_event=now, size=info.st_size,
                                                               mtime=info.st_mtime))
            stack.extend(seen[rel][1])
        return seen

    # ------------------------------------------------------------------------------------- settling
    def _found_in(self, rel: str, complete: bool) -> None:
        """Files already in a folder that just appeared: moved in whole (ready), or still being filled."""
        now = time.time()
        for path, _ in _walk_files(self.base, rel):
            if complete:
                self.ready.add(path)
            else:
                self.pending.setdefault(path, _Pending(first_seen=now, last_event=now, quick=True))

    def _catch_up(self, since: float) -> None:
        """Every file changed or moved in after `since`: pending, so each is taken once it is complete."""
        now = time.time()
        found = 0
        for path, info in _walk_files(self.base, ""):
            if max(info.st_mtime, info.st_ctime) < since or path in self.ready:
                continue
            found += 1
            if now - info.st_mtime >= self.options.settle:
                self.ready.add(path)  # unchanged for a while: complete
            else:
                self.pending.setdefault(path, _Pending(first_seen=now, last_event=0.0))
        log.info("watching %s: %d files changed since %s", self.root, found, time.ctime(since))

    def _quiet_needed(self, entry: _Pending) -> float:
        """Seconds without events before a pending file is looked at: a file being written waits for its
        close (or twenty times `settle` of silence: a writer that died); one found in a new folder, 2."""
        if entry.writing:
            return self.options.settle * 20
        return min(self.options.settle, QUICK) if entry.quick else self.options.settle

    def _settle(self) -> None:
        """Pending files that stayed unchanged long enough become ready; vanished ones are forgotten."""
        now = time.time()
        for path, entry in list(self.pending.items()):
            if now - entry.last_event < self._quiet_needed(entry) and entry.last_event:
                continue
            try:
                info = (self.base / path).lstat()
            except OSError:
                del self.pending[path]
                continue
            if (info.st_size, info.st_mtime) == (entry.size, entry.mtime) or (
                    entry.last_event == 0.0 and now - info.st_mtime >= self.options.settle):
                del self.pending[path]
                self.ready.add(path)
            else:  # changed since the last look (or first looked at now): quiet for another while
                entry.size, entry.mtime, entry.last_event = info.st_size, info.st_mtime, now


async def announce_arrivals(settings: Settings, options: WatchOptions) -> AsyncIterator[dict[str, Any]]:
    """Watch `settings.source` forever and put each complete arrival in the inbox; yield one small
    announcement (root, how many, when: never the paths) after each write, for the trigger to fire.

    Elasticsearch being away loses nothing: the paths stay in memory and are written when it answers, and
    the watermark (what a restarted watcher catches up from) only advances past what is safely written.
    Files left in the inbox that no run took (a failed event run gives its files back) are announced
    again once a minute until a run takes them."""
    root = normalise_root(settings.source)
    es = await asyncio.to_thread(index.connect, settings)
    since = await _until_written(lambda: _prepare(es, settings, root))
    watcher = FolderWatcher(root, options)
    unsent: set[str] = set()
    marked = fired = time.monotonic()
    async for paths in watcher.changes(since):
        unsent.update(paths)
        seen_until = min(time.time(), watcher.oldest_pending or math.inf)
        if unsent:
            try:
                count = await asyncio.to_thread(inbox.announce, es, settings, root, sorted(unsent))
            except IngestError as exc:
                log.warning("watching %s: %d files wait to be announced: %s", root, len(unsent), exc)
                continue
            unsent.clear()
            fired = time.monotonic()
            yield {"root": root, "announced": count, "at": datetime.now(UTC).isoformat(), "mode": watcher.mode}
        if time.monotonic() - marked >= MARK_EVERY:
            marked = time.monotonic()
            with contextlib.suppress(IngestError):
                await asyncio.to_thread(inbox.set_watermark, es, settings, root, seen_until)
        if time.monotonic() - fired >= NUDGE_EVERY:
            fired = time.monotonic()
            with contextlib.suppress(IngestError):
                if waiting := await asyncio.to_thread(inbox.waiting, es, settings, root):
                    yield {"root": root, "waiting": waiting, "at": datetime.now(UTC).isoformat(),
                           "mode": watcher.mode}


def _prepare(es: Elasticsearch, settings: Settings, root: str) -> float:
    """The inbox exists; what to catch up from: the watermark of an earlier watcher of `root`; for the
    first watcher, the last time a run wrote a ledger entry of `root` (what came since is new to the
    index); for a root no run ever read, the beginning (every file there is new)."""
    inbox.ensure(es, settings)
    since = inbox.watermark(es, settings, root)
    if since is None:
        since = ledger.last_written(es, settings, root) or 0.0
    return since


async def _until_written(step: Callable[[], T]) -> T:
    delay = 1.0
    while True:
        try:
            return await asyncio.to_thread(step)
        except IngestError as exc:
            log.warning("watcher waits for Elasticsearch: %s", exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)


def _subfolders(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return [e.name for e in entries if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _files_in(base: Path, rel: str) -> Iterator[tuple[str, os.stat_result]]:
    """The files directly in folder `rel` that could be seeds (not hidden, not temporary), with their stat."""
    try:
        with os.scandir(base / rel if rel else base) as entries:
            for entry in entries:
                if entry.name.startswith(".") or skip_reason(entry.name) or entry.is_dir(follow_symlinks=False):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
                    yield (f"{rel}/{entry.name}" if rel else entry.name), info
    except OSError:
        return


def _walk_files(base: Path, rel: str) -> Iterator[tuple[str, os.stat_result]]:
    stack = [rel]
    while stack:
        folder = stack.pop()
        yield from _files_in(base, folder)
        stack.extend(f"{folder}/{n}" if folder else n for n in _subfolders(base / folder if folder else base))


def _folders(base: Path) -> Folders:
    """Every folder below `base` (itself as '') with its mtime and its subfolders."""
    seen: Folders = {}
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            mtime = (base / rel if rel else base).stat().st_mtime
        except OSError:
            continue
        seen[rel] = (mtime, [f"{rel}/{n}" if rel else n for n in _subfolders(base / rel if rel else base)])
        stack.extend(seen[rel][1])
    return seen


def is_network_mount(path: Path) -> bool:
    """The filesystem holding `path` is one that sends no kernel events for changes made elsewhere."""
    return filesystem_type(path) in NETWORK_FILESYSTEMS


def filesystem_type(path: Path) -> str:
    """The type of the filesystem `path` lies on, from /proc/self/mounts ('' where that cannot be read)."""
    try:
        target = str(path.resolve())
        best, kind = "", ""
        for line in Path("/proc/self/mounts").read_text().splitlines():
            fields = line.split()
            if len(fields) < 3:
                continue
            mount = fields[1].replace("\\040", " ")
            if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) >= len(best):
                best, kind = mount, fields[2]
        return kind
    except OSError:
        return ""


class _Inotify:
    """The kernel's inotify, through libc (no extra package): one descriptor, one watch per folder."""

    def __init__(self) -> None:
        self.libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        self.fd = int(self.libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC))
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.folders: dict[int, str] = {}

    def add(self, path: Path, rel: str) -> bool:
        wd = int(self.libc.inotify_add_watch(self.fd, os.fsencode(path), WATCH_MASK))
        if wd < 0:
            code = ctypes.get_errno()
            if code == errno.ENOSPC:
                log.warning("cannot watch %s: the kernel's limit of inotify watches is reached "
                            "(fs.inotify.max_user_watches); files arriving there wait for the reconciliation",
                            path)
            return False
        self.folders[wd] = rel
        return True

    def forget(self, wd: int) -> None:
        self.folders.pop(wd, None)

    def read(self) -> list[tuple[int, int, str]]:
        events: list[tuple[int, int, str]] = []
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return events
            offset = 0
            while offset + _EVENT.size <= len(data):
                wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
                raw = data[offset + _EVENT.size: offset + _EVENT.size + length].rstrip(b"\0")
                events.append((wd, mask, os.fsdecode(raw)))
                offset += _EVENT.size + length

    def close(self) -> None:
        os.close(self.fd)


def _inotify_or_none() -> _Inotify | None:
    try:
        return _Inotify()
    except (OSError, AttributeError) as exc:
        log.warning("no kernel file events here (%s): polling the folders instead", exc)
        return None
