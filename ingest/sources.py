"""Seed files under a source root: a local folder or any fsspec URL (s3://, gs://, … with its driver).

The listing is a stream in path order — the order the ledger is read in — so discovery compares the two
without holding either in memory (a folder with a million entries is sorted in spilled runs).

What is never read, and why (each listed file is `Listed` with a `skip` reason, or read):
- hidden files and folders (a leading dot) are not listed at all;
- temporary, lock and partial files (`~$x.txt`, `x.part`, `x.crdownload`, `x.swp`, `x~`, …);
- symbolic links that leave the root, broken links, link loops and links to folders (a folder's files
  are listed under their own path; following folder links is how loops and escapes happen);
- anything that is not a regular file (named pipes would block a read forever, devices never end).
A folder whose entries cannot be read makes the listing incomplete: the run then deletes nothing.
Reading re-checks that a file still resolves inside the root and did not change since it was listed.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import fsspec

from ingest.config import normalise_root
from ingest.errors import (
    FileChanged,
    FileTooLarge,
    FileVanished,
    NotARegularFile,
    PermissionDenied,
    UnreadableFile,
)
from ingest.records import SeedFile

_CHUNK = 1 << 20
SPILL_AT = 20_000  # directory entries held in memory before a sorted run is spilled to disk

# name patterns of files that are being written, or belong to an editor or an office suite
_TEMP_SUFFIXES = {
    ".part": "an unfinished download or upload", ".partial": "an unfinished download or upload",
    ".crdownload": "an unfinished browser download", ".download": "an unfinished browser download",
    ".opdownload": "an unfinished browser download", ".!ut": "an unfinished download",
    ".tmp": "a temporary file", ".temp": "a temporary file", ".swp": "an editor swap file",
    ".swo": "an editor swap file", ".swx": "an editor swap file", ".lock": "a lock file",
    ".lck": "a lock file",
}


def skip_reason(name: str) -> str | None:
    """Why a file of this name is not an article to read, or None. By what the name says it is."""
    lower = name.lower()
    if lower.startswith("~$"):
        return "an office lock file (~$…): the document is open in an editor"
    if lower.endswith("~") or (lower.startswith("#") and lower.endswith("#")):
        return "an editor backup or autosave file"
    for suffix, what in _TEMP_SUFFIXES.items():
        if lower.endswith(suffix):
            return f"{what} ({suffix}): read once it is complete under its final name"
    return None


@dataclass(frozen=True)
class Listed:
    """One entry of the listing: a file to consider, or one deliberately not read (`skip` says why)."""

    file: SeedFile
    skip: str | None = None


@dataclass
class Listing:
    """The files under `root`, streamed in path order. After iterating, `problems` lists the folders
    that could not be read: a listing with problems is not complete."""

    root: str
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = normalise_root(self.root)

    @property
    def complete(self) -> bool:
        return not self.problems

    def __iter__(self) -> Iterator[Listed]:
        if "://" in self.root:
            fs, base = _fs(self.root)
            if not fs.isdir(base):
                raise FileNotFoundError(f"source folder not found: {self.root}")
            yield from self._walk_remote(fs, base, "")
            return
        folder = Path(self.root)
        if not folder.is_dir():
            raise FileNotFoundError(f"source folder not found: {self.root}")
        yield from self._walk_local(folder, "")

    def entries(self, paths: Iterable[str]) -> Iterator[Listed]:
        """The entries of these paths (relative to the root, as a watcher announced them), judged by the
        same rules as a walk: paths under hidden folders, or that left the root, or vanished, give none."""
        folder = Path(self.root)
        remote = _fs(self.root) if "://" in self.root else None
        for rel in paths:
            parts = PurePosixPath(rel).parts
            if not parts or rel.startswith("/") or any(p in {"..", "."} or p.startswith(".") for p in parts):
                continue
            if remote is None and not _plain_folder(folder, parts[:-1]):
                continue  # under a link to a folder: a walk never goes there either
            listed = self._local_entry(folder, rel) if remote is None else self._remote_entry(*remote, rel)
            if listed is not None:
                yield listed

    # ------------------------------------------------------------------------------------- local
    def _walk_local(self, base: Path, rel: str) -> Iterator[Listed]:
        folder = base / rel if rel else base
        try:
            keys = _sorted_keys(folder)
        except OSError as exc:
            self.problems.append(f"cannot list folder {rel or '.'}: {exc.strerror or exc}")
            return
        for key in keys:
            path = f"{rel}/{key}" if rel else key
            if key.endswith("/"):
                yield from self._walk_local(base, path.rstrip("/"))
            else:
                listed = self._local_entry(base, path)
                if listed is not None:
                    yield listed

    def _local_entry(self, base: Path, rel: str) -> Listed | None:
        full = base / rel
        try:
            info = full.lstat()
        except FileNotFoundError:
            return None  # vanished between listing the folder and looking at it: not there
        except OSError as exc:
            self.problems.append(f"cannot look at {rel}: {exc.strerror or exc}")
            return None
        if not _valid_name(rel):
            return Listed(self._seed(rel, info), "the file name is not valid UTF-8")
        if stat.S_ISLNK(info.st_mode):
            return self._link(base, rel, info)
        if not stat.S_ISREG(info.st_mode):
            return Listed(self._seed(rel, info), f"not a regular file ({_kind(info.st_mode)})")
        return Listed(self._seed(rel, info), skip_reason(full.name))

    def _link(self, base: Path, rel: str, link_info: os.stat_result) -> Listed:  # noqa: PLR0911 - one per kind
        full = base / rel
        try:
            target = full.resolve(strict=True)
            info = target.stat()
        except RuntimeError:
            return Listed(self._seed(rel, link_info), "a symbolic link loop (not followed)")
        except FileNotFoundError:
            return Listed(self._seed(rel, link_info), "a broken symbolic link: its target does not exist")
        except OSError as exc:
            reason = "a symbolic link loop (not followed)" if exc.errno == 40 else f"cannot follow link: {exc}"
            return Listed(self._seed(rel, link_info), reason)
        if not target.is_relative_to(base):
            return Listed(self._seed(rel, link_info),
                          "a symbolic link to a place outside the source folder (not followed)")
        if stat.S_ISDIR(info.st_mode):
            return Listed(self._seed(rel, link_info),
                          "a symbolic link to a folder (not followed: its files are listed under their own path)")
        if not stat.S_ISREG(info.st_mode):
            return Listed(self._seed(rel, link_info), f"a symbolic link to {_kind(info.st_mode)}")
        return Listed(self._seed(rel, info), skip_reason(full.name) or skip_reason(target.name))

    def _seed(self, rel: str, info: os.stat_result) -> SeedFile:
        return SeedFile(path=_printable(rel), root=self.root, size=int(info.st_size), mtime=float(info.st_mtime))

    # ------------------------------------------------------------------------------------- remote
    def _walk_remote(self, fs: Any, base: str, rel: str) -> Iterator[Listed]:
        try:
            infos = fs.ls(f"{base}/{rel}" if rel else base, detail=True)
        except OSError as exc:
            self.problems.append(f"cannot list folder {rel or '.'}: {exc}")
            return
        keyed = []
        for info in infos:
            name = str(info["name"]).rstrip("/").rsplit("/", 1)[-1]
            if name.startswith(".") or not name:
                continue
            keyed.append((name + "/" if info.get("type") == "directory" else name, info))
        for key, info in sorted(keyed, key=lambda item: item[0]):
            path = f"{rel}/{key}" if rel else key
            if key.endswith("/"):
                yield from self._walk_remote(fs, base, path.rstrip("/"))
            else:
                seed = SeedFile(path=path, root=self.root, size=int(info.get("size") or 0), mtime=_mtime(info))
                yield Listed(seed, skip_reason(key))


    def _remote_entry(self, fs: Any, base: str, rel: str) -> Listed | None:
        try:
            info = fs.info(f"{base}/{rel}")
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.problems.append(f"cannot look at {rel}: {exc}")
            return None
        if info.get("type") == "directory":
            return None
        seed = SeedFile(path=rel, root=self.root, size=int(info.get("size") or 0), mtime=_mtime(info))
        return Listed(seed, skip_reason(PurePosixPath(rel).name))


def _plain_folder(base: Path, parts: tuple[str, ...]) -> bool:
    """`base/parts…` is a folder reached without following a link (what a walk of `base` would enter)."""
    folder = base.joinpath(*parts)
    try:
        return folder.resolve(strict=True) == folder and folder.is_dir()
    except (OSError, RuntimeError):
        return False


def _sorted_keys(folder: Path) -> Iterator[str]:
    """The entries of one folder in path order, hidden ones left out; a folder's key ends with '/' so the
    order is that of the full paths ('a-b' < 'a/x' because '-' < '/'). Past SPILL_AT entries, sorted runs
    are spilled to temporary files and merged, so memory stays bounded whatever the folder holds."""
    runs: list[IO[str]] = []
    chunk: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            chunk.append(entry.name + "/" if is_dir else entry.name)
            if len(chunk) >= SPILL_AT:
                runs.append(_spill(sorted(chunk, key=_printable)))
                chunk = []
    chunk.sort(key=_printable)
    if not runs:
        return iter(chunk)
    return _merged(runs, chunk)


def _spill(keys: list[str]) -> IO[str]:
    run = tempfile.TemporaryFile("w+", encoding="utf-8", errors="surrogateescape", newline="")  # noqa: SIM115
    for key in keys:
        run.write(key + "\0")
    run.seek(0)
    return run


def _read_run(run: IO[str]) -> Iterator[str]:
    buffer = ""
    while block := run.read(1 << 16):
        buffer += block
        *keys, buffer = buffer.split("\0")
        yield from keys
    run.close()


def _merged(runs: list[IO[str]], last: list[str]) -> Iterator[str]:
    yield from heapq.merge(*(_read_run(r) for r in runs), last, key=_printable)


def _valid_name(rel: str) -> bool:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(rel: str) -> str:
    """The path as the ledger stores it: undecodable bytes of a file name written as \\xNN."""
    return rel if _valid_name(rel) else os.fsencode(rel).decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def _fs(root: str) -> tuple[Any, str]:
    fs, base = fsspec.core.url_to_fs(root)
    return fs, str(base).rstrip("/")


def _mtime(info: dict[str, Any]) -> float:
    value = info.get("mtime") or info.get("LastModified") or info.get("updated") or info.get("created") or 0
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return float(value)


# ----------------------------------------------------------------------------------------- reading
def read_bytes(seed: SeedFile, limit: int | None = None) -> bytes:
    """The file's bytes, as listed: a file that left the root, vanished or changed since it was listed
    is refused with a reason (the next run lists it again)."""
    with _open(seed) as fh:
        data: bytes = fh.read() if limit is None else fh.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise FileTooLarge(seed.path, f"grew past the {limit / 1024 / 1024:.1f} MB limit while being read")
    if "://" not in seed.root and len(data) != seed.size:
        raise FileChanged(seed.path, "changed while being read (still being written?); "
                                        "it is read again next run")
    return data


def sha256_of(seed: SeedFile) -> str:
    digest = hashlib.sha256()
    with _open(seed) as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _open(seed: SeedFile) -> IO[bytes]:
    if "://" in seed.root:
        fs, base = _fs(seed.root)
        try:
            handle: IO[bytes] = fs.open(f"{base}/{seed.path}", "rb")
        except OSError as exc:
            raise UnreadableFile(seed.path, f"cannot read: {exc}") from exc
        return handle
    folder = Path(seed.root)
    try:
        target = (folder / seed.path).resolve(strict=True)
        if not target.is_relative_to(folder):
            raise NotARegularFile(seed.path, "now a link to a place outside the source folder (not followed)")
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError as exc:
        raise FileVanished(seed.path, "vanished before it could be read") from exc
    except PermissionError as exc:
        raise PermissionDenied(seed.path, "cannot read: permission denied") from exc
    except (OSError, RuntimeError) as exc:
        raise UnreadableFile(seed.path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotARegularFile(seed.path, f"now {_kind(info.st_mode)}, not a regular file")
    if info.st_size != seed.size or info.st_mtime != seed.mtime:
        os.close(fd)
        raise FileChanged(seed.path, "changed since it was listed (still being written?); "
                                        "it is read again next run")
    return os.fdopen(fd, "rb")
