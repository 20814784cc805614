"""Throughput and memory of the pipeline on real news text (BBC News 2004-05, 2,225 plain-text articles).

    .venv/bin/python bench/throughput.py                 # extract + enrich in process, no Elasticsearch
    .venv/bin/python bench/throughput.py --es            # a full `ingest run` into a throwaway alias, then
                                                         # the re-run (must be a no-op), on the node of
                                                         # `make run` (or ES_URL)
    options: --limit N (files), --json

Reads ../shared/corpus/bbc in place (third-party data: never copied into the project).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "corpus" / "bbc"
sys.path.insert(0, str(ROOT))

from ingest.enrich import Enricher, EnrichOptions  # noqa: E402
from ingest.extract import enrich_results, extract_file  # noqa: E402


def bbc_files(limit: int | None) -> list[Path]:
    files = sorted(p for p in BBC.glob("*/*.txt"))
    return files[:limit] if limit else files


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_process(files: list[Path]) -> dict[str, Any]:
    enricher = Enricher(EnrichOptions())
    start = time.perf_counter()
    _ = enricher.nlp
    load = time.perf_counter() - start
    start = time.perf_counter()
    results = [extract_file(str(p), p.read_bytes()) for p in files]
    extracted = time.perf_counter() - start
    start = time.perf_counter()
    articles = [a for r in enrich_results(enricher, results) for a in r.articles]
    enriched = time.perf_counter() - start
    words = sum(a.word_count for a in articles)
    return {
        "files": len(files), "articles": len(articles), "words": words,
        "model_load_s": round(load, 2),
        "parse_normalise_s": round(extracted, 2), "parse_normalise_docs_per_s": round(len(files) / extracted, 1),
        "enrich_s": round(enriched, 2), "enrich_docs_per_s": round(len(articles) / enriched, 1),
        "enrich_words_per_s": round(words / enriched),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def with_elasticsearch(files: list[Path]) -> dict[str, Any]:
    import shutil
    import tempfile

    from ingest.config import load_settings
    from ingest.index import connect
    from ingest.pipeline import run_once

    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            target = Path(tmp) / path.parent.name / path.name
            target.parent.mkdir(exist_ok=True)
            shutil.copy(path, target)
        settings = load_settings().with_overrides(source=tmp, index_alias=f"bench-{uuid.uuid4().hex[:8]}")
        try:
            start = time.perf_counter()
            first = run_once(settings, run_id=f"bench-{uuid.uuid4().hex[:8]}").to_dict()
            first_s = time.perf_counter() - start
            start = time.perf_counter()
            again = run_once(settings, run_id=f"bench-{uuid.uuid4().hex[:8]}").to_dict()
            again_s = time.perf_counter() - start
        finally:
            es = connect(settings)
            es.options(ignore_status=404).indices.delete(
                index=f"{settings.index_alias}-v1,{settings.ledger_index},{settings.runs_index}"
            )
    return {
        "files": len(files), "first_run_s": round(first_s, 1), "files_per_s": round(len(files) / first_s, 1),
        "indexed_docs": first["counts"]["indexed_docs"], "rerun_s": round(again_s, 2),
        "rerun_indexed_docs": again["counts"]["indexed_docs"], "rerun_unchanged": again["counts"]["unchanged"],
        "peak_rss_mb": round(peak_rss_mb()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--es", action="store_true", help="full runs against Elasticsearch")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not BBC.is_dir():
        print(f"corpus not found: {BBC}", file=sys.stderr)
        return 2
    files = bbc_files(args.limit)
    result = with_elasticsearch(files) if args.es else in_process(files)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<28} {value}")
    return 0


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    sys.exit(main())
