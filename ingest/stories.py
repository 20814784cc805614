"""Stories: near-duplicate and syndicated copies of one story share a `story_id` (docs/architecture.md).

    articles = assign_stories(es, "articles", articles)   # just before bulk indexing

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from elasticsearch import Elasticsearch

from ingest.errors import TerminalError, TransientError
from ingest.index import classified_errors
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
        searches.append({"index": index})
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
