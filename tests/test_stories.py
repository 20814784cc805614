"""Stories: edited copies of one story share its `story_id`, a different story does not — within one batch,
and across runs through the `story_bands` terms query on the real Elasticsearch node."""

from __future__ import annotations

import html
import subprocess
import sys
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
    assert seed["_source"]["story_id"] == seed["_id"]  # the first copy starts the story
    assert by_file["b_courier.html"]["_source"]["story_id"] == seed["_id"]
    assert by_file["d_rewrite.txt"]["_source"]["story_id"] == seed["_id"]
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
