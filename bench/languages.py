"""Articles beyond English, measured (issue 19).

    .venv/bin/python bench/languages.py [--half odd|even] [--language de] [--show N] [--json]
        the German pages of trafilatura_eval dev (German by our `language` field): the share with at least
        one place on the map (`locations_geo`), with at least one mentioned date, with both, and with at least
        one person; `--show N` prints the N most frequent place names, mentioned-date texts and people (to
        read what the rules find)
    .venv/bin/python bench/languages.py --node-cost [--repeat 3]
        what the hunspell dictionaries cost the local Elasticsearch node: start time and heap used after
        start, with English only and with every language of the articles template (fresh nodes, each
        started `--repeat` times; heap after a settled minute, the lowest of several readings)

Run the first from an older checkout (copy this file into its bench/) for the "before" figures: it uses only
`ingest.extract` and `ingest.enrich`. Reads ../shared/corpus in place (third-party data: never copied).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "trafilatura_eval"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from ingest.enrich import Enricher, EnrichOptions  # noqa: E402
from ingest.extract import enrich_results, extract_file  # noqa: E402


def pages(half: str | None) -> list[Path]:
    names = sorted(json.loads((CORPUS / "dev.json").read_text("utf-8")))
    if half:
        names = names[0::2] if half == "odd" else names[1::2]
    return [CORPUS / "html" / name for name in names]


def coverage(half: str | None, language: str, show: int) -> dict[str, Any]:
    files = pages(half)
    results = [extract_file(str(p), p.read_bytes()) for p in files if p.is_file()]
    articles = [a for r in enrich_results(Enricher(EnrichOptions()), results) for a in r.articles]
    chosen = [a for a in articles if (a.language or "").lower().split("-")[0] == language]
    placed = [a for a in chosen if a.locations_geo]
    dated = [a for a in chosen if a.dates_mentioned]
    both = [a for a in chosen if a.locations_geo and a.dates_mentioned]
    named = [a for a in chosen if a.entities.person]
    out: dict[str, Any] = {
        "pages": len(files), "articles": len(articles), f"{language}_articles": len(chosen),
        "with_place": round(len(placed) / max(1, len(chosen)), 3),
        "with_mentioned_date": round(len(dated) / max(1, len(chosen)), 3),
        "with_both": round(len(both) / max(1, len(chosen)), 3),
        "with_person": round(len(named) / max(1, len(chosen)), 3),
        "people_per_article": round(sum(len(a.entities.person) for a in chosen) / max(1, len(chosen)), 2),
    }
    if show:
        out["places"] = Counter(p.name for a in chosen for p in a.locations_geo).most_common(show)
        out["dates"] = Counter(d.text for a in chosen for d in a.dates_mentioned).most_common(show)
        out["people"] = Counter(p for a in chosen for p in a.entities.person).most_common(show)
    return out


def node_cost(repeat: int) -> dict[str, Any]:
    import local_es

    out: dict[str, Any] = {}
    for label, locales in (("en_US only", ("en_US",)), ("all", local_es.HUNSPELL_LOCALES)):
        starts, heaps = [], []
        for _ in range(repeat):
            name = "bench-hunspell"
            local_es.remove(name)
            start = time.perf_counter()
            connection = local_es.start(name, local_es.free_port(), 300, local_es.NodeOptions(hunspell=locales))
            starts.append(time.perf_counter() - start)
            heaps.append(_settled_heap_mb(connection))
            local_es.stop(name)
            local_es.remove(name)
        out[label] = {"locales": len(locales), "start_s": round(statistics.median(starts), 1),
                      "heap_used_mb": round(statistics.median(heaps), 1), "runs": repeat}
    return out


def _settled_heap_mb(connection: dict[str, str]) -> float:
    """Heap used a minute after start, the lowest of twelve readings five seconds apart (GC noise)."""
    from elasticsearch import Elasticsearch

    es = Elasticsearch(connection["url"], basic_auth=(connection["username"], connection["password"]))
    time.sleep(5)
    readings = []
    for _ in range(12):
        stats = es.nodes.stats(metric="jvm")
        node = next(iter(stats["nodes"].values()))
        readings.append(node["jvm"]["mem"]["heap_used_in_bytes"] / 2**20)
        time.sleep(5)
    return min(readings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("odd", "even"))
    parser.add_argument("--language", default="de")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--node-cost", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = node_cost(args.repeat) if args.node_cost else coverage(args.half, args.language, args.show)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:<22} {value}")
    return 0


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    sys.exit(main())
