"""Watch benchmark (issue 18): what checking 1,000 watches adds to a run that wrote 2,000 documents.

    .venv/bin/python bench/watches.py                      # needs the node of `make run`, or ES_URL
    options: --docs 2000 --watches 1000 --workers N (default: cores) --json

1. `run_once` (what `ingest run` does) over the first N BBC texts (../shared/corpus/bbc, copied to a temporary
   folder, never into the repository) into a throwaway alias with no watches: the run's time.
2. N watches added, their queries drawn from the texts' own title words (one word, or two words ANDed; every
   fifth with a `--since` filter), each with a webhook to a local recording HTTP server.
3. `alerts.check_run` on that run: the run's ids stored for a terms lookup, the watches searched 25 at a
   time (named queries) restricted to them, in `msearch` requests, alerts recorded, one webhook POST per
   matching watch.
   Then the same check again (every story known: searches and the look-up of known alerts, nothing sent).
Reported: seconds of each, the ratio check / run (target ≤ 0.10), searches, matches, alerts, POSTs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "corpus" / "bbc"
sys.path.insert(0, str(ROOT))


class Counter(BaseHTTPRequestHandler):
    posts = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with Counter.lock:
            Counter.posts += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def copy_texts(limit: int, folder: Path) -> list[Path]:
    files = sorted(BBC.glob("*/*.txt"))[:limit]
    for path in files:
        target = folder / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return files


def watch_queries(files: list[Path], count: int, seed: int = 18) -> list[tuple[str, dict[str, Any]]]:
    """Queries an analyst might save: words of the texts' titles (first lines), alone or in pairs."""
    rng = random.Random(seed)
    words = sorted({w for f in files for w in re.findall(r"[A-Za-z]{5,}", f.read_text(errors="replace")
                                                                       .splitlines()[0])})
    out = []
    for n in range(count):
        query = rng.choice(words) if n % 2 else f"{rng.choice(words)} {rng.choice(words)}"
        out.append((query, {"since": "2004"} if n % 5 == 0 else {}))
    return out


def cleanup(es: Any, alias: str) -> None:
    names = list(es.options(ignore_status=404).indices.get(index=f"{alias}-*"))
    if names:
        es.indices.delete(index=",".join(names))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from ingest import alerts, index, watches
    from ingest.config import load_settings
    from ingest.notify import SmtpSettings
    from ingest.pipeline import RunOptions, run_once

    server = ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{server.server_address[1]}/hook"
    result: dict[str, Any] = {"docs_requested": args.docs, "watches": args.watches, "workers": args.workers}
    with tempfile.TemporaryDirectory() as tmp:
        files = copy_texts(args.docs, Path(tmp) / "bbc")
        settings = load_settings().with_overrides(source=str(Path(tmp) / "bbc"),
                                                  index_alias=f"bench-watch-{uuid.uuid4().hex[:8]}")
        es = index.connect(settings)
        run_id = f"bench-{uuid.uuid4().hex[:8]}"
        try:
            start = time.perf_counter()
            summary = run_once(settings, run_id, RunOptions(), workers=args.workers).to_dict()
            result["run_s"] = round(time.perf_counter() - start, 2)
            result["run_state"] = summary["state"]
            result["documents_written"] = summary["counts"]["indexed_docs"]
            for n, (query, filters) in enumerate(watch_queries(files, args.watches)):
                watch = watches.make_watch(f"w{n:04d}", query, filters, f"{hook}/{n}", ())
                watches.add(es, settings, watch, wait=False)
            index.refresh(es, settings.watches_index)
            for label in ("check_s", "recheck_s"):
                start = time.perf_counter()
                report = alerts.check_run(es, settings, run_id, SmtpSettings())
                result[label] = round(time.perf_counter() - start, 2)
                result[label.replace("_s", "")] = {k: v for k, v in report.to_dict().items() if k != "problems"}
                result[label.replace("_s", "") + "_problems"] = report.problems[:5]
            result["webhook_posts"] = Counter.posts
        finally:
            cleanup(es, settings.index_alias)
            server.shutdown()
    result["check_vs_run"] = round(result["check_s"] / result["run_s"], 4)
    result["recheck_vs_run"] = round(result["recheck_s"] / result["run_s"], 4)
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    sys.exit(main())
