"""Stories: near-duplicate and syndicated copies of one story share a `story_id` (docs/architecture.md).

    articles = assign_stories(es, "articles", articles)   # just before bulk indexing (provisional)
    consolidate(es, "articles", run_doc_ids, gone=retired_ids)   # when the run ends: final ids

Each body becomes a MinHash signature over its word 5-shingles (128 hash functions of the form
(a·x + b) mod p over the shingles' CRC-32; numpy, no extra dependency), cut into 32 bands of 4 rows. The
band keys are stored in the keyword field `story_bands` and the signature (base64) in `story_signature`.
To place an article, one `terms` query on its bands (all of a batch's queries in one `_msearch`) finds
the candidates that share at least one band — any worker, no in-memory index across
runs; the candidate whose signature agrees on at least `THRESHOLD` of the 128 positions (the Jaccard
estimate) and agrees most gives its `story_id`; with none, the article starts a story of its own id.
Articles of one batch are matched against each other too. `bench/stories.py` measures precision and
recall on pairs built from the BBC texts.

The chance that two bodies of Jaccard similarity J share a band is 1 - (1 - J⁴)³²: 0.9998 at J = 0.7,
0.87 at J = 0.5, 0.05 at J = 0.2.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt
from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan

from ingest.errors import TerminalError, TransientError
from ingest.index import bulk_actions, classified_errors, refresh
from ingest.records import Article

SHINGLE = 5  # words per shingle
PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.5  # estimated Jaccard similarity of the bodies' shingle sets to join a story
CANDIDATES = 10  # indexed articles looked at per article (the ones sharing most bands)
_PRIME = 4_294_967_291  # largest prime below 2**32: (a·x + b) stays below 2**64 for 32-bit a, b, x
_WORD = re.compile(r"\w+")

Signature = npt.NDArray[np.uint32]


@lru_cache(maxsize=1)
def _coefficients() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """Fixed hash functions: the same on every worker and in every run (seeded generator)."""
    rng = np.random.default_rng(20190316)
    a = rng.integers(1, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
    return a, b


def shingles(text: str) -> set[int]:
    """CRC-32 of each run of SHINGLE words (case folded); a shorter text is one shingle."""
    words = _WORD.findall(text.casefold())
    if len(words) <= SHINGLE:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> Signature | None:
    """The MinHash signature of a text's shingles; None for a text without words."""
    values = shingles(text)
    if not values:
        return None
    a, b = _coefficients()
    x = np.fromiter(values, dtype=np.uint64, count=len(values))
    hashed = (a[:, None] * x[None, :] + b[:, None]) % np.uint64(_PRIME)
    result: Signature = hashed.min(axis=1).astype(np.uint32)
    return result


def band_keys(sig: Signature) -> tuple[str, ...]:
    """One keyword per band: its number and a digest of its rows ('07:1f…')."""
    return tuple(f"{i:02d}:{hashlib.blake2b(sig[i * ROWS:(i + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
                 for i in range(BANDS))


def similarity(a: Signature, b: Signature) -> float:
    """Share of agreeing positions: an estimate of the Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def encode(sig: Signature) -> str:
    return base64.b64encode(sig.astype("<u4").tobytes()).decode("ascii")


def decode(text: str) -> Signature | None:
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    if len(raw) != 4 * PERMUTATIONS:
        return None  # written with other parameters: not comparable
    result: Signature = np.frombuffer(raw, dtype="<u4").astype(np.uint32)
    return result


def same_story(a: str, b: str) -> bool:
    """Whether two bodies would share a story: a common band and an estimated Jaccard ≥ THRESHOLD."""
    sa, sb = signature(a), signature(b)
    if sa is None or sb is None:
        return False
    return bool(set(band_keys(sa)) & set(band_keys(sb))) and similarity(sa, sb) >= THRESHOLD


@dataclass(frozen=True)
class Member:
    """An article already placed in a story (indexed, or earlier in the same batch)."""

    story_id: str
    signature: Signature


def fingerprinted(article: Article) -> tuple[Article, Signature | None]:
    sig = signature(article.body)
    if sig is None:
        return article.replace(story_bands=(), story_signature=None), None
    return article.replace(story_bands=band_keys(sig), story_signature=encode(sig)), sig


def assign_stories(es: Elasticsearch, index: str, articles: Sequence[Article]) -> list[Article]:
    """The articles with `story_id`, `story_bands` and `story_signature` set (see the module docstring)."""
    prints = [fingerprinted(a) for a in articles]
    found = _indexed_candidates(es, index, [a.story_bands for a, _ in prints])
    local: dict[str, list[Member]] = {}  # band key → members placed earlier in this batch
    placed: list[Article] = []
    for (article, sig), indexed in zip(prints, found, strict=True):
        if sig is None:
            placed.append(article.replace(story_id=article.id))
            continue
        batch = [m for key in article.story_bands for m in local.get(key, ())]
        story = best_story(sig, [*indexed, *batch]) or article.id
        placed.append(article.replace(story_id=story))
        member = Member(story, sig)
        for key in article.story_bands:
            local.setdefault(key, []).append(member)
    return placed


def best_story(sig: Signature, members: Iterable[Member]) -> str | None:
    """The story of the most similar member at or above THRESHOLD (ties: the smaller story id)."""
    scored = [(similarity(sig, m.signature), m.story_id) for m in members]
    good = [(-score, story) for score, story in scored if score >= THRESHOLD]
    return min(good)[1] if good else None


def _indexed_candidates(es: Elasticsearch, index: str, bands: list[tuple[str, ...]]) -> list[list[Member]]:
    """For each article, the indexed articles sharing most bands with it: one `_msearch`, one terms-style
    query per article (a `bool` of `term`s, so documents sharing more bands, the most similar, come first).
    On an index made before stories existed the field is unmapped and nothing is found."""
    wanted = [i for i, b in enumerate(bands) if b]
    out: list[list[Member]] = [[] for _ in bands]
    if not wanted:
        return out
    searches: list[dict[str, Any]] = []
    for i in wanted:
        searches.append({"index": index, "ignore_unavailable": True})  # a dry run before the first run: none
        searches.append({
            "size": CANDIDATES, "_source": ["story_id", "story_signature"],
            "query": {"bool": {"should": [{"term": {"story_bands": key}} for key in bands[i]],
                               "minimum_should_match": 1}},
        })
    with classified_errors(f"finding story candidates in {index}"):
        response = es.msearch(searches=searches)
    for i, result in zip(wanted, response["responses"], strict=True):
        if "error" in result:
            _raise_for(index, int(result.get("status") or 0), result["error"])
        out[i] = [m for hit in result["hits"]["hits"] if (m := _member(hit)) is not None]
    return out


def _member(hit: dict[str, Any]) -> Member | None:
    source = hit.get("_source") or {}
    sig = decode(source.get("story_signature") or "")
    return Member(str(source.get("story_id") or hit["_id"]), sig) if sig is not None else None


def _raise_for(index: str, status: int, error: Any) -> None:
    reason = error.get("reason") if isinstance(error, dict) else error
    message = f"finding story candidates in {index}: Elasticsearch answered {status}: {reason}"
    raise TransientError(message) if status == 429 or status >= 500 else TerminalError(message)


# ---------------------------------------------------------------------------------------------- consolidation
# `assign_stories` places an article by what is already indexed, so two batches running side by side can
# each start a story for copies of one another. After the batches, `consolidate` makes the grouping a
# property of the set of documents alone: two documents are linked when they share a band and reach
# THRESHOLD (the test above, symmetric), a story is a connected group of linked documents, and its id is
# the smallest member id. Only the run's documents and what they reach are read: their groups, found
# through `story_bands`, and the other members of the stories they were in (a group can split when a
# link went away). Documents whose story id names a deleted document (`gone`) are looked at too.
PAGE = 500  # seeds per closure; ids per request
KNOWN_IN_QUERY = 10_000  # documents already read that a search leaves out itself


@dataclass(frozen=True)
class Node:
    """An indexed document as consolidation sees it."""

    id: str
    index: str
    story_id: str
    bands: tuple[str, ...]
    signature: Signature | None


def consolidate(es: Elasticsearch, index: str, seeds: Iterable[str], gone: Iterable[str] = ()) -> int:
    """Give every group reachable from `seeds` (document ids) or holding a story named by a `gone` id the
    smallest member id as `story_id`; returns how many documents changed. Idempotent: a second call with
    the same index writes nothing. Memory: the ids seen so far, and one group's documents at a time."""
    refresh(es, index)  # every batch's documents visible
    done: set[str] = set()
    changed = 0
    for chunk in _pages(seeds):
        changed += _settle(es, index, _fetch(es, index, [i for i in chunk if i not in done]), done)
    for chunk in _pages(gone):
        orphans = _search(es, index, {"terms": {"story_id": chunk}}, done)
        changed += _settle(es, index, orphans, done)
    return changed


def _settle(es: Elasticsearch, index: str, start: dict[str, Node], done: set[str]) -> int:
    if not start:
        return 0
    nodes = _closure(es, index, start)
    done.update(nodes)
    stories = components(nodes.values())
    actions = ({"_op_type": "update", "_index": n.index, "_id": n.id, "doc": {"story_id": stories[n.id]}}
               for n in nodes.values() if stories[n.id] != n.story_id)
    failed = [o for o in bulk_actions(es, actions, "consolidating story ids") if not o.ok]
    if failed:
        raise TerminalError(f"consolidating story ids in {index}: document {failed[0].doc_id}: {failed[0].error}")
    return sum(1 for n in nodes.values() if stories[n.id] != n.story_id)


def components(nodes: Iterable[Node]) -> dict[str, str]:
    """Document id → the smallest id of its connected group (links: a shared band and THRESHOLD)."""
    listed = sorted(nodes, key=lambda n: n.id)
    parent = {n.id: n.id for n in listed}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_band: dict[str, list[Node]] = {}
    for node in listed:
        if node.signature is None:
            continue
        for other in {o.id: o for key in node.bands for o in by_band.get(key, ())}.values():
            assert other.signature is not None
            if similarity(node.signature, other.signature) >= THRESHOLD:
                a, b = root(node.id), root(other.id)
                parent[max(a, b)] = min(a, b)
        for key in node.bands:
            by_band.setdefault(key, []).append(node)
    return {n.id: root(n.id) for n in listed}


def _closure(es: Elasticsearch, index: str, start: dict[str, Node]) -> dict[str, Node]:
    """`start` and every document linked to it, directly or not, and every member of their stories."""
    nodes = dict(start)
    frontier = list(start.values())
    while frontier:
        found: dict[str, Node] = {}
        for part in (frontier[i:i + PAGE // 5] for i in range(0, len(frontier), PAGE // 5)):
            query = {"bool": {"should": [{"terms": {"story_bands": sorted({k for n in part for k in n.bands})}},
                                         {"terms": {"story_id": sorted({n.story_id for n in part})}}],
                              "minimum_should_match": 1}}
            named = {n.story_id for n in part}
            for hit in _search(es, index, query, nodes.keys() | found.keys()).values():
                if hit.story_id in named or any(_linked(hit, n) for n in part):
                    found[hit.id] = hit
        nodes.update(found)
        frontier = list(found.values())
    return nodes


def _linked(a: Node, b: Node) -> bool:
    return (a.signature is not None and b.signature is not None and bool(set(a.bands) & set(b.bands))
            and similarity(a.signature, b.signature) >= THRESHOLD)


_FIELDS = ["story_id", "story_bands", "story_signature"]


def _node(hit: dict[str, Any]) -> Node:
    source = hit.get("_source") or {}
    return Node(str(hit["_id"]), str(hit["_index"]), str(source.get("story_id") or hit["_id"]),
                tuple(source.get("story_bands") or ()), decode(source.get("story_signature") or ""))


def _fetch(es: Elasticsearch, index: str, ids: list[str]) -> dict[str, Node]:
    if not ids:
        return {}
    with classified_errors(f"reading story fields in {index}"):
        found = es.options(ignore_status=404).mget(index=index, ids=ids, source=_FIELDS)
    return {n.id: n for n in (_node(d) for d in found.get("docs", []) if d.get("found"))}


def _search(es: Elasticsearch, index: str, query: dict[str, Any], known: Iterable[str]) -> dict[str, Node]:
    """Every document matching `query` but those in `known` (a scroll: no cap on how many)."""
    seen = set(known)
    if len(seen) <= KNOWN_IN_QUERY:  # left out by Elasticsearch; beyond, by us
        query = {"bool": {"must": [query], "must_not": [{"ids": {"values": sorted(seen)}}]}}
    with classified_errors(f"finding story members in {index}"):
        hits = scan(es, index=index, size=PAGE, query={"query": query, "_source": _FIELDS})
        return {n.id: n for n in map(_node, hits) if n.id not in seen}


def _pages(ids: Iterable[str]) -> Iterator[list[str]]:
    it = iter(ids)
    while chunk := list(islice(it, PAGE)):
        yield chunk
