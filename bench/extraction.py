"""Extraction quality on the labelled dev halves of ../shared/corpus: our pipeline next to trafilatura.

Runs the same library code `ingest inspect` runs (`ingest.parse.parse` + `ingest.normalise.normalise`)
in-process over every labelled page, and trafilatura 2.3.1 with default settings on the same bytes:

    date       calendar date as the page meant it == label (pages with a date label)
    title      exact title after whitespace folding == label (trafilatura_eval)
    body_f1    bag-of-words token F1 of the body against the full ground-truth body
    snippets   fraction of `body_snippets` found in the body (whitespace-folded)
    excluded   fraction of `not_in_body` snippets absent from the body (boilerplate exclusion)
    authors    the set of author names == label (pages whose label names an author; trafilatura_eval)
    no_author_for_unsigned  no author found where the label has none
    crashes    pages where extraction raised an unexpected exception (must be zero)
    ms_per_page  CPU time of this process per page (time.process_time: what other work on the machine
               leaves out), each page read by both extractors one after the other
    time_ratio ours' CPU time over trafilatura's on the same pages (in the table's last line: all corpora)

Neither extractor is given the page URL: a seed file is only its bytes.

    python bench/extraction.py [--corpus NAME ...] [--half odd|even] [--limit N] [--json] [--show-failures METRIC]

`--half` splits the dev pages by their sorted position: a rule is accepted only when it helps (or is
neutral) on both halves, a guard against fitting the pages one has read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import traceback
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CORPORA = ("htmldate_mediacloud", "trafilatura_eval", "article_extraction_benchmark")
sys.path.insert(0, str(ROOT))


@dataclass
class Extracted:
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD as the page meant it
    body: str = ""
    authors: tuple[str, ...] = ()
    crashed: str | None = None
    rejected: str | None = None


@dataclass
class Score:
    values: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0

    def add(self, metric: str, value: float, name: str, detail: str = "") -> None:
        self.values.setdefault(metric, []).append(value)
        if value < 1.0:
            self.failures.setdefault(metric, []).append(f"{name}: {detail}" if detail else name)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {m: round(sum(v) / len(v), 4) for m, v in self.values.items() if v}
        out["n"] = {m: len(v) for m, v in self.values.items()}
        out["crashes"] = len(self.crashes)
        out["seconds"] = round(self.seconds, 2)
        out["ms_per_page"] = round(1000 * self.seconds / max(1, self.pages), 1)
        return out


def ours(data: bytes, name: str) -> Extracted:
    from ingest.errors import Rejected
    from ingest.normalise import normalise
    from ingest.parse import detect_format, parse
    from ingest.records import RawDocument, SourceInfo

    source = SourceInfo(name, detect_format(name, data), hashlib.sha256(data).hexdigest(), len(data))
    try:
        docs = [d for d in parse(data, source) if isinstance(d, RawDocument)]
        if not docs:
            return Extracted(rejected="no document")
        article = normalise(docs[0])
    except Rejected as exc:
        return Extracted(rejected=str(exc))
    date = article.published_at.date().isoformat() if article.published_at else None
    return Extracted(title=article.title, date=date, body=article.body, authors=article.authors)


def trafilatura_default(data: bytes, name: str) -> Extracted:
    import trafilatura

    result = trafilatura.extract(data, output_format="json", with_metadata=True)
    if not result:
        return Extracted()
    doc = json.loads(result)
    authors = tuple(a.strip() for a in (doc.get("author") or "").split(";") if a.strip())
    date = doc.get("date") or None
    return Extracted(title=doc.get("title"), date=date, body=doc.get("text") or "", authors=authors)


EXTRACTORS: dict[str, Callable[[bytes, str], Extracted]] = {"ours": ours, "trafilatura": trafilatura_default}


def fold(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold()))


def token_f1(got: str, want: str) -> float:
    g, w = tokens(got), tokens(want)
    common = sum((g & w).values())
    if not common:
        return 0.0
    precision, recall = common / sum(g.values()), common / sum(w.values())
    return 2 * precision * recall / (precision + recall)


def norm_date(value: str | None) -> str | None:
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value or "")
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None


def score_page(score: Score, got: Extracted, label: dict[str, Any], name: str, corpus: str) -> None:
    if "note" in label:  # bot-block stubs: no content to extract from
        return
    if corpus != "article_extraction_benchmark":
        wanted = {d for d in (norm_date(label.get("date")), norm_date(label.get("date_htmldate"))) if d}
        if corpus == "htmldate_mediacloud" or not label.get("date_htmldate"):
            wanted = {d for d in [norm_date(label.get("date"))] if d}
        if wanted:
            score.add("date", float(got.date in wanted), name, f"got {got.date} want {sorted(wanted)}")
        elif label.get("date") is None:
            score.add("no_date_for_undated", float(got.date is None), name, f"got {got.date}")
    if label.get("title"):
        score.add("title", float(fold(got.title) == fold(label["title"])), name,
                  f"got {fold(got.title)!r} want {fold(label['title'])!r}")
    if "author" in label:
        wanted = _author_set(label["author"])
        found = {fold(a).casefold() for a in got.authors}
        metric = "authors" if wanted else "no_author_for_unsigned"
        score.add(metric, float(found == wanted), name, f"got {sorted(found)} want {sorted(wanted)}")
    body = fold(got.body)
    if label.get("body"):
        f1 = token_f1(got.body, label["body"])
        score.add("body_f1", f1, name, f"{f1:.3f}")
    for snippet in label.get("body_snippets", []):
        score.add("snippets", float(fold(snippet) in body), name, repr(snippet[:60]))
    for snippet in label.get("not_in_body", []):
        score.add("excluded", float(fold(snippet) not in body), name, repr(snippet[:60]))


def _author_set(label: str | list[str]) -> set[str]:
    """The label's author names ('A; B', 'A, B' or a list), case-folded."""
    parts = label if isinstance(label, list) else re.split(r"\s*[;|]\s*", label)
    return {fold(p).casefold() for p in parts if p and p.strip()}


def select(names: list[str], half: str | None, limit: int | None) -> list[str]:
    """Sorted page names; `half` keeps the odd or even positions (1-based) of that order, then `limit`."""
    ordered = sorted(names)
    if half == "odd":
        ordered = ordered[0::2]
    elif half == "even":
        ordered = ordered[1::2]
    return ordered[:limit] if limit else ordered


def run_corpus(
    corpus: str, limit: int | None, half: str | None = None, keys: tuple[str, ...] = tuple(EXTRACTORS)
) -> dict[str, Score]:
    labels: dict[str, dict[str, Any]] = json.loads((CORPUS / corpus / "dev.json").read_text("utf-8"))
    names = select(list(labels), half, limit)
    scores = {key: Score() for key in keys}
    for name in names:
        data = (CORPUS / corpus / "html" / name).read_bytes()
        for key in keys:
            extractor = EXTRACTORS[key]
            start = time.process_time()
            try:
                got = extractor(data, name)
            except Exception as exc:  # noqa: BLE001 - a crash is what this benchmark counts
                got = Extracted(crashed=f"{type(exc).__name__}: {exc}")
                scores[key].crashes.append(f"{name}: {got.crashed}\n{traceback.format_exc(limit=-3)}")
            scores[key].seconds += time.process_time() - start
            scores[key].pages += 1
            score_page(scores[key], got, labels[name], name, corpus)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", choices=CORPORA, help="default: all three")
    parser.add_argument("--limit", type=int, help="first N labelled pages of each corpus")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--half", choices=("odd", "even"), help="only the odd or even pages (sorted order)")
    parser.add_argument("--ours-only", action="store_true", help="skip the trafilatura baseline (faster)")
    parser.add_argument("--show-failures", metavar="METRIC", help="list our failing pages for a metric")
    args = parser.parse_args(argv)
    report: dict[str, dict[str, Any]] = {}
    _warm_up()
    for corpus in args.corpus or CORPORA:
        keys = ("ours",) if args.ours_only else tuple(EXTRACTORS)
        scores = run_corpus(corpus, args.limit, args.half, keys)
        report[corpus] = {key: s.summary() for key, s in scores.items()}
        if "trafilatura" in scores:
            report[corpus]["ours"]["time_ratio"] = _ratio(scores["ours"].seconds, scores["trafilatura"].seconds)
        if args.show_failures:
            for line in scores["ours"].failures.get(args.show_failures, []):
                print(f"  [{corpus}] {line}", file=sys.stderr)
        for crash in scores["ours"].crashes:
            print(f"  CRASH [{corpus}] {crash}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 1 if any(r["ours"]["crashes"] for r in report.values()) else 0


def _warm_up() -> None:
    """Import and initialise both extractors before anything is timed (the first page would pay for it),
    including dateparser's locales, which both read through htmldate: its first call loads them all (3 s)."""
    import dateparser

    page = b"<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1><p>A text.</p></article></html>"
    for extractor in EXTRACTORS.values():
        extractor(page, "warm-up.html")
    dateparser.parse("am 3. Mai 2020")


def _ratio(ours: float, baseline: float) -> float:
    return round(ours / baseline, 2) if baseline else 0.0


def print_table(report: dict[str, dict[str, Any]]) -> None:
    metrics = ("date", "no_date_for_undated", "title", "authors", "no_author_for_unsigned", "body_f1", "snippets",
               "excluded", "crashes", "seconds", "ms_per_page", "time_ratio")
    print(f"{'corpus':30} {'metric':20} {'ours':>8} {'trafilatura':>12} {'n':>5}")
    for corpus, by_key in report.items():
        for metric in metrics:
            if metric not in by_key["ours"]:
                continue
            n = by_key["ours"]["n"].get(metric, "")
            baseline = by_key.get("trafilatura", {}).get(metric, "-")
            print(f"{corpus:30} {metric:20} {by_key['ours'][metric]:>8} {baseline:>12} {n:>5}")
    if all("trafilatura" in by_key for by_key in report.values()):
        ours = sum(by_key["ours"]["seconds"] for by_key in report.values())
        baseline = sum(by_key["trafilatura"]["seconds"] for by_key in report.values())
        print(f"{'all':30} {'time_ratio':20} {_ratio(ours, baseline):>8}")


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    raise SystemExit(main())
