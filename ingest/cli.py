"""The `ingest` command (DESIGN.md §4): inspect, run, search, status."""

from __future__ import annotations

import argparse
import calendar
import json
import logging
import re
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ingest import index, ledger
from ingest.config import Settings, load_settings
from ingest.enrich import Enricher, EnrichOptions
from ingest.errors import IngestError, TransientError
from ingest.extract import enrich_results, extract_file, extract_options
from ingest.pipeline import run_once


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("elastic_transport").setLevel(logging.ERROR)  # its retries log tracebacks; we say why
    settings = load_settings().with_overrides(index_alias=getattr(args, "index", None),
                                              source=getattr(args, "source", None))
    try:
        return int(args.func(args, settings))
    except TransientError as exc:
        print(f"ingest {args.command}: {exc}\n  is Elasticsearch running at {settings.es_url}? "
              "`make run` starts the local node; elsewhere set ES_URL", file=sys.stderr)
        return 1
    except IngestError as exc:
        print(f"ingest {args.command}: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"ingest {args.command}: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ingest", description="News seeds → enriched articles → Elasticsearch")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("inspect", help="print the article(s) each file becomes, one JSON a line; no Elasticsearch")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("run", help="one ingestion pass (the same code the DAG runs)")
    p.add_argument("--source", help="seed folder or fsspec URL (default: seeds/)")
    p.add_argument("--index", help="alias to write to (default: articles)")
    p.add_argument("--force", action="store_true", help="re-process every file, changed or not")
    p.add_argument("--dry-run", action="store_true", help="parse and enrich, write nothing")
    p.add_argument("--json", action="store_true", help="print the run report as JSON")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("setup", help="create the index template, versioned index + alias and ledger (idempotent)")
    p.add_argument("--index", help="alias (default: articles)")
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("search", help="search indexed articles")
    p.add_argument("query", nargs="?", help="full-text query (default: all articles)")
    for facet in ("person", "organization", "location", "publisher"):
        p.add_argument(f"--{facet}", action="append", metavar="NAME", help=f"only articles with this {facet}")
    p.add_argument("--since", help="published on or after (YYYY[-MM[-DD]])")
    p.add_argument("--until", help="published on or before (YYYY[-MM[-DD]])")
    p.add_argument("--mentions", help="mentions a date inside YYYY[-MM[-DD]] or A..B")
    p.add_argument("--index", help="alias to search (default: articles)")
    p.add_argument("--size", type=int, default=10)
    p.add_argument("--json", action="store_true", help='print {"total": n, "hits": [article, ...]}')
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("status", help="ledger summary: files by state")
    p.add_argument("--index", help="alias (default: articles)")
    p.add_argument("--files", action="store_true", help="every file with its state and reason")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)
    return parser


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------------- inspect
def _files(paths: list[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from (p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        elif path.exists():
            yield path
        else:
            raise FileNotFoundError(f"no such file: {raw}")


def cmd_inspect(args: argparse.Namespace, settings: Settings) -> int:
    enricher = Enricher(EnrichOptions(spacy_model=settings.spacy_model))
    options = extract_options(settings.json_fields)
    results = (extract_file(str(p), p.read_bytes(), options) for p in _files(args.paths))
    for result in enrich_results(enricher, results):
        for article in result.articles:
            _emit(article.to_dict())
        for rejection in result.rejections:
            _emit(rejection.to_dict())
    return 0


# ---------------------------------------------------------------------------------------------- run
def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    run_id = f"cli__{datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}"
    progress = _progress if sys.stderr.isatty() and not args.json else None
    summary = run_once(settings, run_id, force=args.force, dry_run=args.dry_run, progress=progress)
    if args.json:
        _emit(summary)
    else:
        print(f"run {summary['run_id']} → {settings.describe()}")
        for key, value in summary["counts"].items():
            print(f"  {key:<17} {value}")
    return 0


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r  batches [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------------------------- setup
def cmd_setup(args: argparse.Namespace, settings: Settings) -> int:
    alias = index.ensure_index(index.connect(settings), settings)
    print(f"index template, {index.versioned_index(alias)} with alias {alias}, and ledger ready at {settings.es_url}")
    return 0


# ---------------------------------------------------------------------------------------------- search
def date_range(text: str) -> tuple[str, str]:
    """'2019' / '2019-02' / '2019-02-14' / 'A..B' → (gte, lt) as ISO dates."""
    if ".." in text:
        first, _, last = text.partition("..")
        return date_range(first)[0], date_range(last)[1]
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not match:
        raise IngestError(f"not a date: {text!r} (use YYYY, YYYY-MM, YYYY-MM-DD or A..B)")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    try:
        if day:
            start = date(year, month, day)
            end = start + timedelta(days=1)
        elif month:
            start = date(year, month, 1)
            end = start + timedelta(days=calendar.monthrange(year, month)[1])
        else:
            start, end = date(year, 1, 1), date(year + 1, 1, 1)
    except ValueError as exc:
        raise IngestError(f"not a date: {text!r} ({exc})") from exc
    return start.isoformat(), end.isoformat()


def search_query(args: argparse.Namespace) -> dict[str, Any]:
    must: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    if args.query:
        must.append({"simple_query_string": {
            "query": args.query, "default_operator": "and",
            "fields": ["title^3", "lead^2", "body", "entity_names^2", "publisher.text", "dateline.text"],
        }})
    for facet, fld in (("person", "entities.person"), ("organization", "entities.organization"),
                       ("location", "entities.location"), ("publisher", "publisher")):
        for value in getattr(args, facet) or ():
            filters.append({"bool": {"should": [{"term": {fld: value}}, {"match_phrase": {f"{fld}.text": value}}],
                                     "minimum_should_match": 1}})
    published: dict[str, str] = {}
    if args.since:
        published["gte"] = date_range(args.since)[0]
    if args.until:
        published["lt"] = date_range(args.until)[1]
    if published:
        filters.append({"range": {"published_at": published}})
    if args.mentions:
        gte, lt = date_range(args.mentions)
        filters.append({"range": {"mentioned_ranges": {"gte": gte, "lt": lt, "relation": "intersects"}}})
    return {"bool": {"must": must or [{"match_all": {}}], "filter": filters}}


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    es = index.connect(settings)
    sort = None if args.query else [{"published_at": {"order": "desc", "missing": "_last"}}]
    with index.classified_errors(f"searching {settings.index_alias}"):
        response = es.search(index=settings.index_alias, query=search_query(args), size=args.size, sort=sort,
                             source_excludes=["mentioned_ranges"], track_total_hits=True)
    total = int(response["hits"]["total"]["value"])
    hits = [hit["_source"] for hit in response["hits"]["hits"]]
    if args.json:
        _emit({"total": total, "hits": hits})
        return 0
    print(f"{total} article(s) in {settings.index_alias}")
    for hit in hits:
        print(f"- {hit.get('published_at') or '(no date)'}  {hit.get('publisher') or ''}  {hit.get('title')}")
        ents = hit.get("entities", {})
        for kind in ("person", "organization", "location"):
            if ents.get(kind):
                print(f"    {kind}: {', '.join(ents[kind][:8])}")
    return 0


# ---------------------------------------------------------------------------------------------- status
def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    es = index.connect(settings)
    with index.classified_errors("reading the ledger"):
        if not es.indices.exists(index=settings.ledger_index):
            raise IngestError(f"no ledger yet at {settings.describe()}: run `ingest run` first")
    entries = sorted(ledger.all_entries(es, settings), key=lambda e: (e.root, e.path))
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.state] = counts.get(entry.state, 0) + 1
    files = [_file_row(e) for e in entries] if args.files else None
    last = _last_run(es, settings)
    if args.json:
        _emit({"index": settings.index_alias, "files": len(entries), "states": counts, "last_run": last,
               **({"entries": files} if files is not None else {})})
        return 0
    if last:
        print(f"last run {last['run_id']} ({last.get('state')}, finished {last.get('finished_at')}):")
        print("  " + ", ".join(f"{k} {v}" for k, v in last.get("counts", {}).items()))
    print(f"{len(entries)} file(s) in the ledger of {settings.describe()}")
    for state, n in sorted(counts.items()):
        print(f"  {state:<9} {n}")
    for row in files or ():
        why = f"  [{row['stage']}] {row['reason']}" if row["reason"] else ""
        print(f"{row['state']:<9} {row['path']}  docs={len(row['doc_ids'])}{why}")
    return 0


def _last_run(es: Any, settings: Settings) -> dict[str, Any] | None:
    with index.classified_errors("reading run reports"):
        found = es.options(ignore_status=404).search(
            index=settings.runs_index, size=1, query={"exists": {"field": "finished_at"}},
            sort=[{"finished_at": {"order": "desc", "unmapped_type": "date"}}],
        )
    hits = found.get("hits", {}).get("hits", [])
    return dict(hits[0]["_source"]) if hits else None


def _file_row(entry: ledger.LedgerEntry) -> dict[str, Any]:
    row = entry.to_dict()
    return {k: row[k] for k in ("root", "path", "state", "stage", "reason", "doc_ids", "rejected_records",
                                "attempts", "sha256", "last_run_id", "updated_at", "same_content_as")}


if __name__ == "__main__":
    sys.exit(main())
