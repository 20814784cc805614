"""What every BBC News article becomes (extract + enrich, in process, no Elasticsearch), one JSON a line, to
compare two versions of the pipeline on English text:

    .venv/bin/python bench/bbc_dump.py --out /tmp/after.jsonl [--limit N]
    .venv/bin/python bench/bbc_dump.py --compare /tmp/before.jsonl /tmp/after.jsonl

`pipeline_version` is left out (a bump for other languages must not hide that English stayed the same).
Reads ../shared/corpus/bbc in place (third-party data: never copied into the project).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "corpus" / "bbc"
sys.path.insert(0, str(ROOT))

from ingest.enrich import Enricher, EnrichOptions  # noqa: E402
from ingest.extract import enrich_results, extract_file  # noqa: E402


def dump(out: Path, limit: int | None) -> None:
    files = sorted(BBC.glob("*/*.txt"))[:limit] if limit else sorted(BBC.glob("*/*.txt"))
    start = time.perf_counter()
    results = [extract_file(str(p.relative_to(BBC)), p.read_bytes()) for p in files]
    with out.open("w", encoding="utf-8") as fh:
        for result in enrich_results(Enricher(EnrichOptions()), results):
            for article in result.articles:
                doc = article.to_dict()
                doc.pop("pipeline_version", None)
                fh.write(json.dumps(doc, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"{len(files)} files → {out} in {time.perf_counter() - start:.1f} s", file=sys.stderr)


def compare(before: Path, after: Path) -> int:
    old, new = before.read_text().splitlines(), after.read_text().splitlines()
    changed = [json.loads(a)["source"]["path"] for a, b in zip(old, new, strict=False) if a != b]
    print(json.dumps({"before": len(old), "after": len(new), "changed": len(changed), "first": changed[:10]}))
    return 0 if len(old) == len(new) and not changed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        parser.error("--out or --compare")
    dump(args.out, args.limit)
    return 0


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    sys.exit(main())
