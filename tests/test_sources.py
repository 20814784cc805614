"""The source listing: path order shared with the ledger, symlinks never followed out of the root, files
that are not articles skipped with a reason, files that change or vanish refused with a reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from ingest import ledger, sources
from ingest.config import Settings
from ingest.errors import UnreadableFile
from ingest.pipeline import RunOptions, run_once
from ingest.records import SeedFile

TRICKY = ["a-b.txt", "a/b.txt", "a b.txt", "A.txt", "a.txt", "é.txt", "z/ä.txt", "a.b/c.txt", "10.txt",
          "9.txt", "日本.txt", "a/b/c/d.txt", "a0.txt", "a/.hidden/x.txt", "story.txt/inside.txt"]
STORY = ("The harbour authority said on Monday that the northern pier will reopen next week after "
         "repairs to storm damage, ending months of disruption for ferry passengers. ") * 3


def listed(root: Path) -> dict[str, str | None]:
    return {item.file.path: item.skip for item in sources.Listing(str(root))}


def write(root: Path, rel: str, text: str = "x") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_listing_is_in_the_order_the_ledger_sorts_by(tmp_path: Path) -> None:
    for rel in TRICKY:
        write(tmp_path, rel)
    paths = [item.file.path for item in sources.Listing(str(tmp_path))]
    assert paths == sorted(paths)  # code-point order = UTF-8 byte order = Elasticsearch keyword order
    assert "a/.hidden/x.txt" not in paths
    assert "story.txt/inside.txt" in paths  # a folder named like a file is a folder


def test_large_folders_are_sorted_in_spilled_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "SPILL_AT", 7)
    names = [f"{n:03d}{'-' if n % 3 else '/'}x" for n in range(50)]
    for name in names:
        write(tmp_path, name if name.endswith("-x") else name + "/f.txt")
    paths = [item.file.path for item in sources.Listing(str(tmp_path))]
    assert paths == sorted(paths) and len(paths) == 50


def test_symlinks_are_never_followed_out_of_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    secret = write(outside, "secret.txt", "password=hunter2")
    target = write(root, "real.txt", STORY)
    (root / "to-secret.txt").symlink_to(secret)
    (root / "to-etc-passwd.txt").symlink_to("/etc/passwd")
    (root / "inside-link.txt").symlink_to(target)
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "broken.txt").symlink_to(root / "missing.txt")
    (root / "folder-link").symlink_to(root)
    (root / "parent-link").symlink_to(tmp_path)
    os.mkfifo(root / "pipe.txt")

    found = listed(root)
    assert found["real.txt"] is None and found["inside-link.txt"] is None
    assert "outside the source folder" in (found["to-secret.txt"] or "")
    assert "outside the source folder" in (found["to-etc-passwd.txt"] or "")
    assert "loop" in (found["loop.txt"] or "")
    assert "broken" in (found["broken.txt"] or "")
    assert "folder" in (found["folder-link"] or "") and "folder" in (found["parent-link"] or "")
    assert "named pipe" in (found["pipe.txt"] or "")
    assert not any(p.startswith(("folder-link/", "parent-link/")) for p in found)


@pytest.mark.parametrize("name", ["~$report.txt", "story.txt.part", "story.html.crdownload", "story.txt.tmp",
                                  "story.txt.swp", "story.txt~", "#story.txt#", "upload.json.partial"])
def test_temporary_lock_and_partial_files_are_skipped(tmp_path: Path, name: str) -> None:
    write(tmp_path, name, STORY)
    assert listed(tmp_path)[name]


def test_a_file_that_changed_or_vanished_since_listing_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "story.txt", STORY)
    seed = next(iter(sources.Listing(str(tmp_path)))).file
    assert sources.read_bytes(seed) == STORY.encode()
    path.write_text(STORY + "More.")
    with pytest.raises(UnreadableFile, match="changed since it was listed"):
        sources.read_bytes(seed)
    path.unlink()
    with pytest.raises(UnreadableFile, match="vanished"):
        sources.read_bytes(seed)


def test_a_link_swapped_to_point_outside_after_listing_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "root"
    real = write(root, "real.txt", STORY)
    (root / "link.txt").symlink_to(real)
    seed = next(i.file for i in sources.Listing(str(root)) if i.file.path == "link.txt")
    (root / "link.txt").unlink()
    (root / "link.txt").symlink_to(write(tmp_path, "outside.txt", STORY))
    with pytest.raises(UnreadableFile, match="outside the source folder"):
        sources.read_bytes(SeedFile(seed.path, seed.root, seed.size, seed.mtime))


@pytest.mark.es
def test_hostile_folder_layout_ends_with_every_file_accounted_for(settings: Settings, es: Elasticsearch) -> None:
    root = Path(settings.source)
    for rel in TRICKY:
        write(root, rel, f"{rel}\n\n{STORY}")
    outside = write(root.parent / "outside", "secret.txt", f"Secret\n\n{STORY}")
    (root / "to-secret.txt").symlink_to(outside)
    (root / "loop.txt").symlink_to(root / "loop.txt")
    write(root, "~$locked.txt", STORY)
    write(root, "draft.txt.part", STORY)

    first = run_once(settings, "t-sources-1", RunOptions(), workers=1)
    assert first.state == "success", first.reason
    entries = {e.path: e for e in ledger.all_entries(es, settings)}
    visible = [t for t in TRICKY if "/." not in t]
    assert {p for p, e in entries.items() if e.state == "indexed"} == set(visible)
    for path in ("to-secret.txt", "loop.txt", "~$locked.txt", "draft.txt.part"):
        assert entries[path].state == "skipped" and entries[path].reason, path
    es.indices.refresh(index=settings.index_alias)
    bodies = [h["_source"]["title"] for h in es.search(index=settings.index_alias, size=100)["hits"]["hits"]]
    assert "Secret" not in bodies

    again = run_once(settings, "t-sources-2", RunOptions(), workers=1)  # the merge pairs every path
    assert again.counts is not None
    assert again.counts.unchanged == again.counts.discovered == len(visible) + 4
    assert again.counts.new == 0 and again.counts.deleted == 0
