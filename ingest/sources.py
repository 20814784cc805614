"""Seed files under a source root: a local folder or any fsspec URL (s3://, gs://, … with its driver).

Hidden files and folders (a leading dot) are never listed. Files are returned sorted by path so a run
processes them in a stable order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import fsspec

from ingest.errors import UnreadableFile
from ingest.records import SeedFile

_CHUNK = 1 << 20


def _fs(root: str) -> tuple[Any, str]:
    fs, base = fsspec.core.url_to_fs(root)
    return fs, str(base).rstrip("/")


def normalise_root(root: str) -> str:
    """A local folder becomes its absolute path, so ledger entries match across working directories."""
    return root if "://" in root else str(Path(root).expanduser().resolve())


def list_seed_files(root: str) -> Iterator[SeedFile]:
    root = normalise_root(root)
    fs, base = _fs(root)
    if not fs.isdir(base):
        raise FileNotFoundError(f"source folder not found: {root}")
    infos = fs.find(base, detail=True, withdirs=False)
    for full, info in sorted(infos.items()):
        rel = str(full)[len(base):].lstrip("/")
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        yield SeedFile(path=rel, root=root, size=int(info.get("size") or 0), mtime=_mtime(info))


def _mtime(info: dict[str, Any]) -> float:
    value = info.get("mtime") or info.get("LastModified") or info.get("updated") or info.get("created") or 0
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return float(value)


def read_bytes(seed: SeedFile) -> bytes:
    fs, base = _fs(seed.root)
    try:
        data: bytes = fs.cat_file(f"{base}/{seed.path}")
    except OSError as exc:
        raise UnreadableFile(seed.path, f"cannot read: {exc}") from exc
    return data


def sha256_of(seed: SeedFile) -> str:
    fs, base = _fs(seed.root)
    digest = hashlib.sha256()
    try:
        with fs.open(f"{base}/{seed.path}", "rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise UnreadableFile(seed.path, f"cannot read: {exc}") from exc
    return digest.hexdigest()
