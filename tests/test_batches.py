"""Cutting a run's files into batches (ingest.batches.batch_refs, SizeMarks): pure functions, no servers."""

from __future__ import annotations

import itertools
import random

from ingest.batches import BatchRef, SizeMarks, batch_refs


def marks(sizes: list[int], limit: int = 4096) -> SizeMarks:
    result = SizeMarks(limit)
    for size in sizes:
        result.add(size)
    return result


def covers(refs: list[BatchRef], planned: int) -> bool:
    """The batches follow each other without gap or overlap, none empty, from the first file to the last."""
    return (refs[0].start == 0 and refs[-1].stop == planned and all(r.start < r.stop for r in refs)
            and all(a.stop == b.start for a, b in itertools.pairwise(refs)))


def test_equal_counts_without_sizes() -> None:
    refs = batch_refs("r", 2225, 500, 256, slots=2)
    assert covers(refs, 2225) and len(refs) == 6
    assert {r.stop - r.start for r in refs} <= {371, 370}


def test_batches_hold_about_equal_bytes_when_sections_differ_in_length() -> None:
    """A thousand short files, then a thousand four times as long (one folder per section): cut by
    count, the second batch would hold four fifths of the text; cut by bytes, each holds half."""
    sizes = [1_000] * 1_000 + [4_000] * 1_000
    refs = batch_refs("r", len(sizes), 1_500, 256, slots=2, sizes=marks(sizes))
    assert covers(refs, len(sizes)) and len(refs) == 2
    assert [sum(sizes[r.start:r.stop]) for r in refs] == [2_500_000, 2_500_000]
    by_count = batch_refs("r", len(sizes), 1_500, 256, slots=2)
    assert [sum(sizes[r.start:r.stop]) for r in by_count] == [1_000_000, 4_000_000]


def test_batch_size_stays_a_limit_on_files() -> None:
    """Equal bytes would put the small files together; INGEST_BATCH_SIZE=1 still means one file a task."""
    sizes = [50_000, 300, 200, 400]
    refs = batch_refs("r", len(sizes), 1, 256, slots=2, sizes=marks(sizes))
    assert [(r.start, r.stop) for r in refs] == [(0, 1), (1, 2), (2, 3), (3, 4)]
    refs = batch_refs("r", 2_000, 500, 256, slots=2, sizes=marks([1_000] * 1_000 + [4_000] * 1_000))
    assert covers(refs, 2_000) and max(r.stop - r.start for r in refs) <= 500


def test_marks_stay_bounded_and_still_cut_evenly() -> None:
    rng = random.Random(7)
    sizes = [rng.choice((300, 3_000, 30_000)) for _ in range(100_000)]
    assert len(marks(sizes, limit=512).marks) <= 512  # the step doubles instead
    sized = marks(sizes)  # 4,096 samples: one every 32 files here, cuts within a few percent
    assert len(sized.marks) <= 4096 and sized.total == sum(sizes)
    refs = batch_refs("r", len(sizes), 500, 64, slots=2, sizes=sized)
    assert covers(refs, len(sizes)) and len(refs) == 64
    shares = [sum(sizes[r.start:r.stop]) for r in refs]
    assert max(shares) / min(shares) < 1.1, (min(shares), max(shares))


def test_one_huge_file_never_makes_an_empty_batch() -> None:
    sizes = [10] * 5 + [10_000_000] + [10] * 5
    refs = batch_refs("r", len(sizes), 2, 256, slots=2, sizes=marks(sizes))
    assert covers(refs, len(sizes))
    assert any(r.start <= 5 < r.stop for r in refs)


def test_empty_files_fall_back_to_counts() -> None:
    refs = batch_refs("r", 10, 5, 256, slots=1, sizes=marks([0] * 10))
    assert covers(refs, 10) and [r.stop - r.start for r in refs] == [5, 5]


def test_a_dry_runs_local_manifest_gives_back_each_batch_and_retirement_as_planned() -> None:
    from ingest.batches import LocalManifest, Planned, Retirement
    from ingest.ledger import LedgerEntry
    from ingest.records import SeedFile

    manifest = LocalManifest()
    files = [SeedFile(path=f"{n // 700:02d}/Zürich-{n}.txt", root="/seeds", size=n % 37, mtime=n + 0.5,
                      sha256="ab" if n % 3 else "") for n in range(3000)]
    for n, seed in enumerate(files):
        manifest.plan(Planned(seed, "new" if n % 2 else "changed"))
        if n % 1000 == 0:
            entry = LedgerEntry(file=seed, state="indexed", pipeline_version=1, doc_ids=(f"d{n}",))
            manifest.retire(Retirement(entry, "deleted", "file no longer in the source"))
    manifest.flush()
    assert (manifest.planned, manifest.retiring) == (3000, 3)
    for start, stop in [(0, 1), (1023, 1025), (1024, 2048), (2999, 3000), (0, 3000), (2500, 4000)]:
        got = list(manifest.batch(BatchRef("r", 0, start, stop)))
        assert [p.file for p in got] == files[start:stop]
        assert [p.change for p in got] == ["new" if n % 2 else "changed" for n in range(start, min(stop, 3000))]
    outer = []
    for retirement in manifest.retirements():  # read again while reading: each pass sees them all
        outer.append(retirement.entry.path)
        assert [r.entry.doc_ids for r in manifest.retirements()] == [("d0",), ("d1000",), ("d2000",)]
    assert outer == [files[0].path, files[1000].path, files[2000].path]
    manifest.drop()
