"""Stories: edited copies of one story share its `story_id`, a different story does not — within one batch,
and across runs through the `story_bands` terms query on the real Elasticsearch node."""

from __future__ import annotations

import html
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from conftest import SEED, ingest_cli, jsonl
from test_search import OTHER

from ingest import index, stories
from ingest.config import Settings

SEED_TEXT = SEED.read_text()
STORY = SEED_TEXT.split("Washington", 1)[1]  # the story after the byline line
PARAGRAPHS = [p.strip() for p in STORY.split("\n\n") if p.strip()]
assert len(PARAGRAPHS) > 10


def html_copy() -> str:
    """Another outlet's page: its own headline and wrapper, one paragraph dropped."""
    kept = PARAGRAPHS[:5] + PARAGRAPHS[6:]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in kept)
    return (f"<html><head><title>US presses Pakistan on terror groups - The Daily Courier</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article>"
            f"<h1>US presses Pakistan on terror groups</h1><p>By PTI | Washington, March 16, 2019</p>{body}"
            f"</article><footer>Sign up for our newsletter. © The Daily Courier</footer></body></html>")


def edited_text_copy() -> str:
    """The wire text with a new headline and a few words changed."""
    changed = [p.replace("senior", "top").replace("Friday", "on Friday").replace("building", "mounting")
               for p in PARAGRAPHS]
    return "Washington keeps up pressure on Pakistan\n\n" + "\n\n".join(changed) + "\n"


def test_signatures_decide_same_story() -> None:
    body = "\n\n".join(PARAGRAPHS)
    assert stories.same_story(body, "\n\n".join(PARAGRAPHS[:5] + PARAGRAPHS[6:]))
    assert stories.same_story(body, edited_text_copy())
    assert not stories.same_story(body, OTHER)
    assert not stories.same_story(body, "")


def test_band_keys_are_the_same_in_every_process() -> None:
    """Workers must agree: the hash functions come from a fixed seed, not from the process."""
    code = ("import sys; from ingest import stories; "
            "print(' '.join(stories.band_keys(stories.signature(sys.stdin.read()))))")
    other = subprocess.run([sys.executable, "-c", code], input=STORY, capture_output=True, text=True, check=True)
    sig = stories.signature(STORY)
    assert sig is not None
    assert other.stdout.split() == list(stories.band_keys(sig))
    decoded = stories.decode(stories.encode(sig))
    assert decoded is not None and stories.similarity(sig, decoded) == 1.0


def test_copies_share_the_story_within_a_batch_and_across_runs(settings: Settings) -> None:
    source = Path(settings.source)
    (source / "a_seed.txt").write_text(SEED_TEXT)
    (source / "b_courier.html").write_text(html_copy())
    (source / "c_ferry.txt").write_text(OTHER)
    assert jsonl(ingest_cli(settings, "run", "--json").stdout)[0]["counts"]["indexed_docs"] == 3
    (source / "d_rewrite.txt").write_text(edited_text_copy())  # a later run: found through story_bands
    assert jsonl(ingest_cli(settings, "run", "--json").stdout)[0]["counts"]["indexed_docs"] == 1

    es = index.connect(settings)
    hits = es.search(index=settings.index_alias, size=10, source=["source.path", "story_id", "story_bands"])
    by_file = {h["_source"]["source"]["path"].rsplit("/", 1)[-1]: h for h in hits["hits"]["hits"]}
    seed = by_file["a_seed.txt"]
    story = min(by_file[n]["_id"] for n in ("a_seed.txt", "b_courier.html", "d_rewrite.txt"))
    assert seed["_source"]["story_id"] == story  # the smallest member id names the story
    assert by_file["b_courier.html"]["_source"]["story_id"] == story
    assert by_file["d_rewrite.txt"]["_source"]["story_id"] == story
    ferry = by_file["c_ferry.txt"]
    assert ferry["_source"]["story_id"] == ferry["_id"]
    assert len(seed["_source"]["story_bands"]) == stories.BANDS

    collapsed = jsonl(ingest_cli(settings, "search", "--collapse", "--json").stdout)[0]
    assert collapsed["total"] == 4 and collapsed["stories"] == 2
    assert sorted(h["story_size"] for h in collapsed["hits"]) == [1, 3]
    human = ingest_cli(settings, "search", "--collapse").stdout
    assert "2 stories" in human and "[+2 copies]" in human


def test_a_re_run_keeps_story_ids(settings: Settings) -> None:
    source = Path(settings.source)
    (source / "copy.html").write_text(html_copy())
    (source / "seed.txt").write_text(SEED_TEXT)
    ingest_cli(settings, "run")
    es = index.connect(settings)

    def story_ids() -> dict[str, str]:
        found = es.search(index=settings.index_alias, size=10, source=["story_id"])["hits"]["hits"]
        return {h["_id"]: h["_source"]["story_id"] for h in found}

    before = story_ids()
    assert len(set(before.values())) == 1
    ingest_cli(settings, "run", "--force")
    assert story_ids() == before


# ---------------------------------------------------------------------------------------------- stable ids
def _sentences(seed: int, n: int) -> list[str]:
    """n sentences of made-up words, each unlike the others (no shingle in common)."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ter", "ud", "sen", "vo", "ral", "ish", "pen", "dor", "ex", "qua", "bri"]
    words = ["".join(rng.choice(syllables) for _ in range(3)) for _ in range(n * 12)]
    return [" ".join(words[i * 12:(i + 1) * 12]).capitalize() + "." for i in range(n)]


def chain_corpus() -> list[str]:
    """Texts in which a and b are one story, b and c are one story, but a and c are not alike (a chain:
    the order documents arrive in decides which is placed first), a copy of a, and two unrelated texts."""
    s = _sentences(7, 40)
    a, b, c = ("\n\n".join(s[i:i + 20]) for i in (0, 5, 10))
    return [a, b, c, a.replace("Ka", "Ko", 1) + "\n\nAn editor's note.", "\n\n".join(s[30:40]),
            "\n\n".join(_sentences(8, 12))]


def _run(settings: Settings, texts: dict[str, str], *args: str) -> dict[str, str]:
    """A fresh index and source holding `texts` (file name → text), one `ingest run`: document id →
    story_id."""
    source = Path(settings.source)
    for old in source.glob("*.txt"):
        old.unlink()
    for name, text in texts.items():
        (source / name).write_text(f"{' '.join(text.split()[:4])}\n\n{text}\n")  # the content decides the id
    result = ingest_cli(settings, "run", "--json", *args, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    es = index.connect(settings)
    index.refresh(es, settings.index_alias)
    hits = es.search(index=settings.index_alias, size=100, source=["story_id"])["hits"]["hits"]
    return {h["_id"]: h["_source"]["story_id"] for h in hits}


def _partition(ids: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for doc, story in ids.items():
        groups.setdefault(story, set()).add(doc)
    return {frozenset(g) for g in groups.values()}


def test_story_ids_do_not_depend_on_order_batches_or_workers(settings: Settings) -> None:
    texts = chain_corpus()
    a, b, c = texts[:3]
    assert stories.same_story(a, b) and stories.same_story(b, c) and not stories.same_story(a, c)
    forward = {f"{n:02d}.txt": t for n, t in enumerate(texts)}
    backward = {f"{len(texts) - n:02d}.txt": t for n, t in enumerate(texts)}  # content ids: same documents
    runs = {
        "sequential": _run(settings, forward, "--workers", "1"),
        "reverse": _run(replace(settings, index_alias=settings.index_alias + "-r"), backward, "--workers", "1"),
        "parallel": _run(replace(settings, index_alias=settings.index_alias + "-p"), backward,
                         "--workers", "2", "--batch-size", "1"),
    }
    expected = runs["sequential"]
    assert len(expected) == len(texts)
    assert len(_partition(expected)) == 3  # a-b-c and the copy of a; two stories of their own
    for story, members in ((s, {d for d, t in expected.items() if t == s}) for s in set(expected.values())):
        assert story == min(members)  # the smallest member id names the story
    assert runs["reverse"] == expected
    assert runs["parallel"] == expected


def test_consolidation_is_idempotent_and_follows_deletions(settings: Settings) -> None:
    texts = chain_corpus()
    files = {f"{n:02d}.txt": t for n, t in enumerate(texts)}
    ids = _run(settings, files, "--workers", "1")
    es = index.connect(settings)
    assert stories.consolidate(es, settings.index_alias, sorted(ids)) == 0  # a re-run writes nothing
    chain = {d for d, s in ids.items() if list(ids.values()).count(s) > 1}
    root = min(chain)
    path = es.get(index=settings.index_alias, id=root, source=["source.path"])["_source"]["source"]["path"]
    name = path.rsplit("/", 1)[-1]
    (Path(settings.source) / name).unlink()  # the file holding the story's smallest member goes
    left = {n: text for n, text in files.items() if n != name}
    result = ingest_cli(settings, "run", "--json", check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    index.refresh(es, settings.index_alias)
    after = {h["_id"]: h["_source"]["story_id"]
             for h in es.search(index=settings.index_alias, size=100, source=["story_id"])["hits"]["hits"]}
    assert root not in after
    fresh = _run(replace(settings, index_alias=settings.index_alias + "-f"), left, "--workers", "1")
    assert after == fresh  # as if the remaining files had been ingested from scratch

