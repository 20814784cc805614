"""Precision and recall of story grouping (ingest/stories.py) on pairs built from the BBC texts.

    .venv/bin/python bench/stories.py [--sample 300] [--negatives 3000] [--seed 1] [--json]

Reads ../shared/corpus/bbc in place (third-party data: never copied into the project). Every text goes
through the real readers (`extract_file`: the .txt reader, or the HTML reader for wrapped copies), so the
body compared is the body the pipeline would index. Pairs:

- positives: the corpus's own exact duplicates (files with the same body, 133 groups) and near-duplicates
  (one headline, bodies that differ: the BBC edited the story and both versions were kept), and for a sample
  of articles, edited copies: `wrapper` (the story in an HTML page with navigation, a new headline, share
  and related-story boilerplate), `dropped` (one paragraph — two sentences — left out, new headline),
  `words` (five words replaced, a wire lead in front), `combined` (HTML wrapper + a dropped paragraph +
  three words changed);
- negatives: two different articles of the same BBC category (same topic, different story; pairs with
  identical bodies or headlines excluded), sampled at random, plus each sampled article's most similar other article
  of its category (`nearest`: the hardest negatives; some of these are really follow-ups of one story,
  listed with --show so one can judge).

A pair is predicted "same story" when the two bodies share a MinHash band and their estimated Jaccard
similarity reaches stories.THRESHOLD — exactly the test `assign_stories` applies to candidates.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "corpus" / "bbc"
sys.path.insert(0, str(ROOT))

from ingest import stories  # noqa: E402
from ingest.extract import extract_file  # noqa: E402

Edit = Callable[[str, str, random.Random], tuple[str, bytes]]


SENTENCE_END = re.compile(r'(?<=[.!?"])\s+(?=["A-Z])')


def read_bbc() -> dict[Path, tuple[str, list[str]]]:
    """path → (headline, paragraphs). The files run several paragraphs together on one line, so the
    paragraphs of the copies are re-cut the way news sites print them: two sentences each."""
    out = {}
    for path in sorted(BBC.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        title, _, rest = text.partition("\n")
        sentences = [s for line in rest.split("\n") if line.strip() for s in SENTENCE_END.split(line.strip())]
        out[path] = (title.strip(), [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)])
    return out


def body_of(name: str, data: bytes) -> str:
    result = extract_file(name, data)
    return result.articles[0].body if result.articles else ""


def as_text(title: str, paragraphs: list[str]) -> tuple[str, bytes]:
    return "copy.txt", (title + "\n\n" + "\n\n".join(paragraphs) + "\n").encode()


def as_html(title: str, paragraphs: list[str]) -> tuple[str, bytes]:
    paras = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Daily Courier</title>
<meta property="og:site_name" content="Daily Courier"></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a>
<a href="/sport">Sport</a> <a href="/tech">Technology</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter</p>
<div class="share">Share this article on Facebook Twitter Email</div>
{paras}
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Markets rally after rate cut</a></li>
<li><a href="/b">Minister resigns over expenses row</a></li></ul></aside></main>
<footer><p>Sign up for our newsletter to get the top stories in your inbox every morning.</p>
<p>© 2005 Daily Courier. All rights reserved.</p></footer></body></html>"""
    return "copy.html", page.encode()


def new_headline(title: str, rng: random.Random) -> str:
    return rng.choice(["UPDATE 1-", "Report: ", "", "WATCH: "]) + title.upper() if rng.random() < 0.5 else \
        f"{title} - analysis"


def drop_paragraph(paragraphs: list[str], rng: random.Random) -> list[str]:
    if len(paragraphs) < 3:
        return paragraphs
    drop = rng.randrange(1, len(paragraphs))
    return paragraphs[:drop] + paragraphs[drop + 1:]


def change_words(paragraphs: list[str], n: int, rng: random.Random) -> list[str]:
    words = [p.split() for p in paragraphs]
    slots = [(i, j) for i, ws in enumerate(words) for j in range(len(ws))]
    for i, j in rng.sample(slots, min(n, len(slots))):
        words[i][j] = rng.choice(["however", "reportedly", "officials", "Tuesday", "billion", "sharply"])
    return [" ".join(ws) for ws in words]


EDITS: dict[str, Callable[[str, list[str], random.Random], tuple[str, bytes]]] = {
    "wrapper": lambda t, ps, rng: as_html(new_headline(t, rng), ps),
    "dropped": lambda t, ps, rng: as_text(new_headline(t, rng), drop_paragraph(ps, rng)),
    "words": lambda t, ps, rng: as_text(t, ["LONDON (Reuters) - " + ps[0], *change_words(ps, 5, rng)[1:]]),
    "combined": lambda t, ps, rng: as_html(new_headline(t, rng), change_words(drop_paragraph(ps, rng), 3, rng)),
}


class Bench:
    """The corpus read once, and the verdicts on every pair judged so far."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.corpus = read_bbc()
        self.bodies = {p: body_of(str(p), p.read_bytes()) for p in self.corpus}
        self.digest = {p: hashlib.sha256(b.encode()).hexdigest() for p, b in self.bodies.items()}
        self.sigs = {p: stories.signature(b) for p, b in self.bodies.items()}
        self.pairs: dict[str, list[tuple[bool, bool]]] = defaultdict(list)  # kind → [(truth, predicted)]
        self.by_category: dict[str, list[Path]] = defaultdict(list)
        for path in self.corpus:
            self.by_category[path.parent.name].append(path)

    def judge(self, kind: str, truth: bool, a: str, b: str) -> bool:
        predicted = stories.same_story(a, b)
        self.pairs[kind].append((truth, predicted))
        return predicted

    def different(self, a: Path, b: Path) -> bool:
        """Two different stories for a negative pair: neither the body nor the headline is the same."""
        return self.digest[a] != self.digest[b] and self.corpus[a][0] != self.corpus[b][0]

    def corpus_duplicates(self) -> None:
        by_digest: dict[str, list[Path]] = defaultdict(list)
        by_title: dict[str, dict[str, Path]] = defaultdict(dict)  # headline → one file per distinct body
        for path, (title, _) in self.corpus.items():
            by_digest[self.digest[path]].append(path)
            by_title[title].setdefault(self.digest[path], path)
        for same in by_digest.values():
            if len(same) > 1:
                self.judge("exact duplicates", True, self.bodies[same[0]], self.bodies[same[1]])
        for versions in by_title.values():
            if len(versions) > 1:
                first, second = list(versions.values())[:2]
                self.judge("same headline, body edited", True, self.bodies[first], self.bodies[second])

    def edited_copies(self, sample: list[Path]) -> None:
        for path in sample:
            title, paragraphs = self.corpus[path]
            for kind, edit in EDITS.items():
                self.judge(f"edited: {kind}", True, self.bodies[path], body_of(*edit(title, paragraphs, self.rng)))

    def random_negatives(self, n: int) -> None:
        drawn = 0
        while drawn < n:
            a, b = self.rng.sample(self.by_category[self.rng.choice(sorted(self.by_category))], 2)
            if self.different(a, b):
                self.judge("negative: same category", False, self.bodies[a], self.bodies[b])
                drawn += 1

    def nearest_negatives(self, sample: list[Path]) -> list[tuple[Path, Path, float]]:
        flagged = []
        for path in sample:
            sig = self.sigs[path]
            others = [q for q in self.by_category[path.parent.name] if self.different(q, path) and
                      self.sigs[q] is not None]
            if sig is None or not others:
                continue
            scored = [(stories.similarity(sig, s), q) for q in others if (s := self.sigs[q]) is not None]
            sim, nearest = max(scored)
            if self.judge("negative: nearest in category", False, self.bodies[path], self.bodies[nearest]):
                flagged.append((path, nearest, sim))
        return flagged


def grouping(bench: Bench) -> dict[str, Any]:
    """The whole BBC corpus grouped into stories: as `consolidate` groups it (connected groups of linked
    bodies: the same whatever the order) and as placing one body at a time by its most similar earlier
    body groups it (`assign_stories` alone, the ids before consolidation), in path order and reversed.
    Pairs in one group that are different stories (`different`: neither body nor headline the same) are
    false merges; pairs with the same body or headline left in different groups are misses."""
    sigs = {str(p): s for p, s in sorted(bench.sigs.items())}
    nodes = [stories.Node(p, "", p, stories.band_keys(s) if s is not None else (), s) for p, s in sigs.items()]
    placed = {"consolidated": stories.components(nodes), "one at a time": _one_at_a_time(nodes),
              "one at a time, reversed": _one_at_a_time(nodes[::-1])}
    paths = sorted(bench.corpus)
    same = [(a, b) for i, a in enumerate(paths) for b in paths[i + 1:] if not bench.different(a, b)]
    out: dict[str, Any] = {}
    for name, story in placed.items():
        groups: dict[str, list[Path]] = defaultdict(list)
        for p, s in story.items():
            groups[s].append(Path(p))
        merged = sum(1 for g in groups.values() for i, a in enumerate(g) for b in g[i + 1:] if bench.different(a, b))
        missed = sum(1 for a, b in same if story[str(a)] != story[str(b)])
        out[name] = {"stories_of_2_or_more": sum(1 for g in groups.values() if len(g) > 1),
                     "false_merge_pairs": merged, "missed_same_pairs": missed, "same_pairs": len(same)}
    forward, backward = (_partition(placed[k]) for k in ("one at a time", "one at a time, reversed"))
    out["one at a time: groups that differ with the order"] = len(forward ^ backward)
    out["consolidated: groups that differ with the order"] = len(
        _partition(placed["consolidated"]) ^ _partition(stories.components(nodes[::-1])))
    return out


def _one_at_a_time(nodes: list[stories.Node]) -> dict[str, str]:
    local: dict[str, list[stories.Member]] = {}
    story: dict[str, str] = {}
    for node in nodes:
        if node.signature is None:
            story[node.id] = node.id
            continue
        found = stories.best_story(node.signature, [m for k in node.bands for m in local.get(k, ())])
        story[node.id] = found or node.id
        for key in node.bands:
            local.setdefault(key, []).append(stories.Member(story[node.id], node.signature))
    return story


def _partition(story: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for doc, s in story.items():
        groups[s].add(doc)
    return {frozenset(g) for g in groups.values()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=300, help="articles to make edited copies of")
    parser.add_argument("--negatives", type=int, default=3000, help="random same-category negative pairs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", action="store_true", help="print the nearest-neighbour pairs judged the same")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    bench = Bench(random.Random(args.seed))
    sample = bench.rng.sample(sorted(bench.corpus), args.sample)
    bench.corpus_duplicates()
    bench.edited_copies(sample)
    bench.random_negatives(args.negatives)
    flagged = bench.nearest_negatives(sample)
    report = summarise(bench.pairs)
    report["corpus_grouping"] = grouping(bench)
    report["seconds"] = round(time.perf_counter() - start, 1)
    report["parameters"] = {"shingle": stories.SHINGLE, "permutations": stories.PERMUTATIONS,
                            "bands": stories.BANDS, "rows": stories.ROWS, "threshold": stories.THRESHOLD}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    if args.show:
        titles = {p: t for p, (t, _) in bench.corpus.items()}
        for a, b, sim in flagged:
            print(f"  {sim:.2f}  {a.relative_to(BBC)} {titles[a]!r}  ~  {b.relative_to(BBC)} {titles[b]!r}")
    return 0


def summarise(pairs: dict[str, list[tuple[bool, bool]]]) -> dict[str, Any]:
    rows = {kind: {"pairs": len(v), "judged_same": sum(p for _, p in v)} for kind, v in pairs.items()}
    everything = [x for v in pairs.values() for x in v]
    tp = sum(1 for t, p in everything if t and p)
    fp = sum(1 for t, p in everything if not t and p)
    fn = sum(1 for t, p in everything if t and not p)
    random_only = [x for k, v in pairs.items() if k != "negative: nearest in category" for x in v]
    fp_random = sum(1 for t, p in random_only if not t and p)
    return {
        "by_kind": rows,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "precision_without_nearest": round(tp / (tp + fp_random), 4) if tp + fp_random else None,
    }


def print_report(report: dict[str, Any]) -> None:
    print(f"{'pairs':<32} {'n':>6} {'judged same':>12}")
    for kind, row in report["by_kind"].items():
        print(f"{kind:<32} {row['pairs']:>6} {row['judged_same']:>12}")
    print(f"precision {report['precision']}  recall {report['recall']}  "
          f"(precision over random negatives only: {report['precision_without_nearest']})  "
          f"{report['parameters']}  {report['seconds']} s")
    print("the whole corpus grouped:")
    for name, row in report["corpus_grouping"].items():
        print(f"  {name}: {row}")


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    sys.exit(main())
