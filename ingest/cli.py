"""The `ingest` command (docs/architecture.md, "Command line"): inspect, run, setup, search, status, reindex,
kibana, watch, alerts, settings."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest import inbox, index, kibana, ledger, runs, search, watches
from ingest.config import Effective, Settings, explain, load_settings, load_settings_traced, normalise_root
from ingest.counts import RunCounts
from ingest.enrich import Enricher, EnrichOptions
from ingest.errors import IngestError, TransientError
from ingest.extract import enrich_results, extract_file, extract_options
from ingest.logs import quiet_third_party
from ingest.pipeline import RunOptions, run_once
from ingest.variables import INDEX, RUN_PARAM_HELP, markdown_table


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("elastic_transport").setLevel(logging.ERROR)  # its retries log tracebacks; we say why
    quiet_third_party()  # an entry point: the library itself leaves logging alone
    try:
        settings = load_settings().with_overrides(index_alias=getattr(args, "index", None),
                                                  source=getattr(args, "source", None))
    except IngestError as exc:  # a variable that does not parse: its name and value
        print(f"ingest {args.command}: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.func(args, settings))
    except TransientError as exc:
        print(f"ingest {args.command}: {exc}\n  is Elasticsearch running at {settings.public_url}? "
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
    p.add_argument("--source", help=_help(RUN_PARAM_HELP["source"]))
    p.add_argument("--index", help=_help(RUN_PARAM_HELP["index"]))
    p.add_argument("--force", action="store_true", help="re-process every file, changed or not")
    p.add_argument("--dry-run", action="store_true", help="parse and enrich, write nothing")
    p.add_argument("--workers", type=int, help=_help(RUN_PARAM_HELP["workers"]))
    p.add_argument("--batch-size", type=int, help=_help(RUN_PARAM_HELP["batch_size"]))
    p.add_argument("--no-delete", action="store_true",
                   help="keep the documents of files that left the source")
    p.add_argument("--allow-mass-delete", action="store_true", help=_help(RUN_PARAM_HELP["allow_mass_delete"]))
    p.add_argument("--events", action="store_true",
                   help="only the files a watcher announced (the inbox), no listing and no deletions")
    p.add_argument("--json", action="store_true", help="print the run report as JSON")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("setup", help="create the index template, versioned index + alias and ledger (idempotent)")
    p.add_argument("--index", help=_help(INDEX.help("alias")))
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("search", help="search indexed articles")
    p.add_argument("query", nargs="?", help="full-text query (default: all articles)")
    _filter_arguments(p)
    p.add_argument("--index", help=_help(INDEX.help("alias to search")))
    p.add_argument("--size", type=int, default=10)
    p.add_argument("--sort", choices=["relevance", "date"], help="default: relevance with a query, else date")
    p.add_argument("--facets", action="store_true", help="top people, organisations, places, publishers, languages")
    p.add_argument("--collapse", action="store_true", help="one article per story (copies of one story)")
    p.add_argument("--json", action="store_true",
                   help='print {"total": n, "hits": [article + "highlight", ...], "facets": {...}}')
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("reindex", help="rebuild the index under the current template and pipeline, then swap the "
                                       "alias atomically (no downtime)")
    p.add_argument("--index", help=_help(INDEX.help("alias")))
    p.add_argument("--delete-old", action="store_true", help="delete the previous version after the swap")
    p.add_argument("--accept-fewer", action="store_true",
                   help="swap even when the new version holds fewer articles (files the pipeline now rejects)")
    p.add_argument("--drop-unused", action="store_true",
                   help="only delete the versions the alias no longer points at, rebuild nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("kibana", help="Kibana saved objects: data views, saved search, News and Ingestion dashboards")
    p.add_argument("action", choices=["import", "check", "export"],
                   help="import: load them into Kibana (KIBANA_URL); check: their fields against the live indices; "
                        "export: print them as NDJSON")
    p.add_argument("--index", help=_help(INDEX.help("alias the data views read")))
    p.set_defaults(func=cmd_kibana)

    _watch_parsers(sub)

    p = sub.add_parser("status", help="ledger summary: files by state")
    p.add_argument("--index", help=_help(INDEX.help("alias")))
    p.add_argument("--files", action="store_true", help="every file with its state and reason")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)
    _settings_parser(sub)
    return parser


def _settings_parser(sub: Any) -> None:
    p = sub.add_parser("settings", help="each setting's effective value and where it came from (secrets masked)")
    p.add_argument("--json", action="store_true", help="one JSON object a line: name, value, origin, description")
    p.add_argument("--markdown", action="store_true", help="the table of every variable and its default (README)")
    p.set_defaults(func=cmd_settings)


def _help(text: str) -> str:
    """A help text for argparse, which reads `%` as a format."""
    return text.replace("%", "%%")


def _filter_arguments(p: argparse.ArgumentParser) -> None:
    """The filters of `ingest search`, which `ingest watch add` takes too."""
    for facet in ("person", "organization", "location", "publisher"):
        p.add_argument(f"--{facet}", action="append", metavar="NAME", help=f"only articles with this {facet}")
    p.add_argument("--since", help="published on or after (YYYY[-MM[-DD]])")
    p.add_argument("--until", help="published on or before (YYYY[-MM[-DD]])")
    p.add_argument("--mentions", help="mentions a date inside YYYY[-MM[-DD]] or A..B")
    p.add_argument("--language", metavar="CODE", help="only articles in this language (ISO 639-1: de, fr, …)")


def _watch_parsers(sub: Any) -> None:
    p = sub.add_parser("watch", help="saved searches that tell their owner about each new story (watchlists)")
    actions = p.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add or replace a watch")
    add.add_argument("name", metavar="NAME", help="the watch's name (its id): letters, digits, _ . -")
    add.add_argument("query", metavar="QUERY", help="a query in the syntax of `ingest search` ('' for any article)")
    _filter_arguments(add)
    add.add_argument("--webhook", metavar="URL", help="POST the new stories as JSON to this URL")
    add.add_argument("--email", action="append", metavar="ADDR", help="send the new stories to this address "
                     "(repeatable; SMTP from INGEST_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM, _STARTTLS)")
    listing = actions.add_parser("list", help="every watch (webhook URLs redacted)")
    listing.add_argument("--json", action="store_true")
    remove = actions.add_parser("remove", help="delete a watch (its alerts stay)")
    remove.add_argument("name", metavar="NAME")
    for q in (add, listing, remove):
        q.add_argument("--index", help=_help(INDEX.help("alias the watch searches")))
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("alerts", help="the alerts the watches raised, newest first")
    p.add_argument("--watch", metavar="NAME", help="only this watch's")
    p.add_argument("--size", type=int, default=100)
    p.add_argument("--index", help=_help(INDEX.help("alias")))
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.set_defaults(func=cmd_alerts)


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
    enricher = Enricher(EnrichOptions.from_settings(settings))
    options = extract_options(settings.json_fields, settings.max_file_mb)
    results = (extract_file(str(p), p.read_bytes(), options) for p in _files(args.paths))
    for result in enrich_results(enricher, results):
        for article in result.articles:
            _emit(article.to_dict())
        for rejection in result.rejections:
            _emit(rejection.to_dict())
    return 0


# ---------------------------------------------------------------------------------------------- run
def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit status 1 when the run failed (the report's `reason` says why), 0 otherwise."""
    run_id = f"cli__{datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}"
    progress = _progress if sys.stderr.isatty() and not args.json else None
    settings = settings.with_overrides(batch_size=args.batch_size)
    options = RunOptions(force=args.force, dry_run=args.dry_run, delete_missing=not args.no_delete,
                         allow_mass_delete=args.allow_mass_delete, events=args.events)
    report = run_once(settings, run_id, options, progress=progress, workers=args.workers)
    alerts = _check_watches(settings, run_id) if not options.dry_run else {}
    if args.json:
        _emit({**report.to_dict(), **({"alerts": alerts} if alerts else {})})
    else:
        print(f"run {report.run_id} → {settings.describe()}: {report.state}")
        _print_counts(report.counts or RunCounts())
        for what, n in (report.would_write or {}).items():
            print(f"  would write {what}: {n}")
        if alerts.get("watches"):
            print(f"  watches checked: {alerts['watches']}, new alerts {alerts['new_alerts']}, notifications "
                  f"sent {alerts['notifications']}, failed {alerts['failed']}")
    if report.failed:
        print(f"ingest run: the run failed: {report.reason}", file=sys.stderr)
        return 1
    return 0


def _print_counts(counts: RunCounts, indent: str = "  ") -> None:
    for key, value in counts.numbers().items():
        print(f"{indent}{key:<17} {value}")
    for kind, n in counts.rejected_by_kind.items():
        print(f"{indent}  {kind:<25} {n}")


def _check_watches(settings: Settings, run_id: str) -> dict[str, Any]:
    """The watches checked against what the run wrote (a failed run too). A problem here is reported, never
    fails the run: the alerts not delivered are tried again at the next check."""
    from ingest.alerts import check_run
    from ingest.notify import SmtpSettings

    try:
        report = check_run(index.connect(settings), settings, run_id, SmtpSettings.from_env())
    except IngestError as exc:
        print(f"ingest run: checking the watches failed: {exc}", file=sys.stderr)
        return {"run_id": run_id, "error": str(exc)}
    for problem in report.problems:
        print(f"ingest run: alerts: {problem}", file=sys.stderr)
    return report.to_dict()


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r  batches [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------------------------- setup
def cmd_setup(args: argparse.Namespace, settings: Settings) -> int:
    es = index.connect(settings)
    alias = index.ensure_index(es, settings)
    behind = ", ".join(index.alias_indices(es, alias))
    print(f"index template, {behind} with alias {alias}, and ledger ready at {settings.public_url}")
    return 0


# ---------------------------------------------------------------------------------------------- search
def search_request(args: argparse.Namespace, tags: tuple[str, str]) -> search.SearchRequest:
    return search.SearchRequest(
        query=args.query, person=tuple(args.person or ()), organization=tuple(args.organization or ()),
        location=tuple(args.location or ()), publisher=tuple(args.publisher or ()), since=args.since,
        until=args.until, mentions=args.mentions, language=args.language, size=args.size, sort=args.sort,
        facets=args.facets,
        collapse=args.collapse, tags=tags,
    )


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    tags = ("<em>", "</em>") if args.json else (("\033[1m", "\033[0m") if sys.stdout.isatty() else ("**", "**"))
    result = search.search(index.connect(settings), settings.index_alias, search_request(args, tags))
    if args.json:
        _emit(result.to_json())
        return 0
    stories = f", {result.stories} stor{'y' if result.stories == 1 else 'ies'}" if result.stories is not None else ""
    print(f"{result.total} article(s){stories} in {settings.index_alias}")
    for hit in result.hits:
        _print_hit(hit)
    for name, rows in result.facets.items():
        if rows:
            print(f"{name}: " + ", ".join(f"{value} ({n})" for value, n in rows))
    return 0


def _print_hit(hit: search.Hit) -> None:
    doc = hit.article
    extra = (hit.story_size or 1) - 1
    copies = f"  [+{extra} cop{'y' if extra == 1 else 'ies'}]" if extra else ""
    title = (hit.highlight.get("title") or [str(doc.get("title") or "")])[0]
    print(f"- {doc.get('published_at') or '(no date)'}  {doc.get('publisher') or ''}  {title}{copies}")
    ents = doc.get("entities", {})
    for kind in ("person", "organization", "location"):
        if ents.get(kind):
            print(f"    {kind}: {', '.join(ents[kind][:8])}")
    for fragment in [*hit.highlight.get("lead", []), *hit.highlight.get("body", [])][:3]:
        print(f"    … {' '.join(fragment.split())} …")


# ---------------------------------------------------------------------------------------------- watches
def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    es = index.connect(settings)
    if args.action == "add":
        filters = {name: getattr(args, name) for name in watches.FILTERS if getattr(args, name, None) is not None}
        watch = watches.make_watch(args.name, args.query, filters, args.webhook, tuple(args.email or ()))
        new = watches.add(es, settings, watch)
        print(f"watch {watch.name} {'added' if new else 'replaced'} on {settings.describe()}: "
              f"{', '.join(watch.channels) or 'no webhook or e-mail: its alerts are only recorded'}")
        return 0
    if args.action == "remove":
        if not watches.remove(es, settings, args.name):
            raise IngestError(f"no watch named {args.name} on {settings.describe()}")
        print(f"watch {args.name} removed (its alerts stay)")
        return 0
    found = [w.shown() for w in watches.all_watches(es, settings)]
    if args.json:
        for doc in found:
            _emit(doc)
        return 0
    for doc in found:
        shown = "; ".join(f"{k}={v}" for k, v in sorted(doc["filters"].items()))
        targets = ", ".join([*([doc["webhook"]] if doc["webhook"] else []), *doc["email"]]) or "(nobody)"
        print(f"{doc['name']}: {doc['query'] or '(any article)'}{'  [' + shown + ']' if shown else ''}"
              f"  → {targets}")
    if not found:
        print(f"no watches on {settings.describe()}: `ingest watch add NAME QUERY --webhook URL` adds one")
    return 0


def cmd_alerts(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.alerts import list_alerts

    found = list_alerts(index.connect(settings), settings, args.watch, args.size)
    for alert in found:
        if args.json:
            _emit(alert)
            continue
        state = "delivered" if alert.get("delivered") else f"{alert.get('status')}: {alert.get('reason') or ''}"
        copies = len(alert.get("article_ids") or ()) - 1
        more = f" [+{copies} cop{'y' if copies == 1 else 'ies'}]" if copies > 0 else ""
        print(f"{alert.get('matched_at', '')[:19]}  {alert['watch']}  {alert.get('published_at') or '(no date)'}  "
              f"{alert.get('title') or alert.get('article_id')}{more}  ({state})")
    if not found and not args.json:
        print(f"no alerts on {settings.describe()}")
    return 0


# ---------------------------------------------------------------------------------------------- reindex
def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.reindex import reindex

    if args.drop_unused:
        es = index.connect(settings)
        current = set(index.alias_indices(es, settings.index_alias))
        unused = sorted(set(index.versions(es, settings.index_alias)) - current)
        deleted = index.delete_indices(es, unused)
        _emit({"deleted": deleted}) if args.json else print(f"deleted: {', '.join(deleted) or 'nothing'}")
        return 0
    progress = _progress if sys.stderr.isatty() and not args.json else None
    report = reindex(settings, delete_old=args.delete_old, accept_fewer=args.accept_fewer, progress=progress)
    if args.json:
        _emit(report.to_dict())
        return 0
    print(f"{report.alias} → {report.new} ({report.new_count} articles; was {', '.join(report.old) or 'nothing'} "
          f"with {report.old_count})")
    for line in report.unreadable:
        print(f"  not rebuilt: {line}")
    kept = [name for name in report.old if name not in report.deleted]
    if kept:
        print(f"  kept {', '.join(kept)}: `ingest reindex --drop-unused` deletes it")
    return 0


# ---------------------------------------------------------------------------------------------- kibana
def cmd_kibana(args: argparse.Namespace, settings: Settings) -> int:
    objects = kibana.load_objects(settings)
    if args.action == "export":
        for obj in objects:
            _emit(obj)
        return 0
    if args.action == "check":
        with index.classified_errors("reading field capabilities"):
            problems = kibana.check_live(index.connect(settings), objects)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(objects)} saved objects, {len(problems)} problem(s) against {settings.describe()}")
        return 1 if problems else 0
    target = kibana.KibanaTarget.from_env(settings)
    answer = kibana.send(kibana.import_request(objects, target))
    print(f"imported {answer.get('successCount', 0)} saved objects into {target.url}")
    return 0


# ---------------------------------------------------------------------------------------------- status
def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """Counts from an aggregation and files streamed in (root, path) order: flat memory for any ledger."""
    es = index.connect(settings)
    with index.classified_errors("reading the ledger"):
        if not es.indices.exists(index=settings.ledger_index):
            raise IngestError(f"no ledger yet at {settings.describe()}: run `ingest run` first")
    counts = dict(sorted(ledger.state_counts(es, settings).items()))
    kinds = dict(sorted(ledger.kind_counts(es, settings).items(), key=lambda kv: (-kv[1], kv[0])))
    total = sum(counts.values())
    rows = (_file_row(e) for e in ledger.stream_entries(es, settings, None)) if args.files else None
    report = runs.latest(es, settings)
    last = report.to_dict() if report is not None else None
    waiting = inbox.waiting(es, settings, normalise_root(settings.source))
    if args.json:
        head = json.dumps({"index": settings.index_alias, "files": total, "states": counts,
                           "rejected_by_kind": kinds, "last_run": last, "inbox": waiting}, ensure_ascii=False)
        if rows is None:
            sys.stdout.write(head + "\n")
            return 0
        sys.stdout.write(head[:-1] + ', "entries": [')  # one JSON object, its entries written as they come
        for n, row in enumerate(rows):
            sys.stdout.write(("," if n else "") + json.dumps(row, ensure_ascii=False))
        sys.stdout.write("]}\n")
        return 0
    if report is not None:
        print(f"last run {report.run_id} ({report.state}, finished {report.finished_at}):")
        if report.reason:
            print(f"  why it failed: {report.reason}")
        print("  " + ", ".join(f"{k} {v}" for k, v in (report.counts or RunCounts()).numbers().items()))
    print(f"{total} file(s) in the ledger of {settings.describe()}")
    if waiting:
        print(f"  {waiting} announced file(s) of {settings.source} wait in the inbox for the next event run")
    for state, n in counts.items():
        print(f"  {state:<9} {n}")
    if kinds:
        print("rejected files by kind:")
    for kind, n in kinds.items():
        print(f"  {kind:<25} {n}")
    for row in rows or ():
        why = f"  [{row['stage']}: {row['kind'] or ledger.UNKNOWN_KIND}] {row['reason']}" if row["reason"] else ""
        print(f"{row['state']:<9} {row['path']}  docs={len(row['doc_ids'])}{why}")
    return 0


def _file_row(entry: ledger.LedgerEntry) -> dict[str, Any]:
    row = entry.to_dict()
    return {k: row[k] for k in ("root", "path", "state", "stage", "kind", "reason", "doc_ids", "rejected_records",
                                "attempts", "sha256", "last_run_id", "updated_at", "same_content_as")}


# ---------------------------------------------------------------------------------------------- settings
def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    """Every variable of `ingest.variables`: its effective value here and where it came from (the library
    knows no Airflow: `python -m ingest_airflow settings` adds Airflow's connections)."""
    from ingest.notify import SmtpSettings

    if args.markdown:
        print(markdown_table())
        return 0
    loaded, origins = load_settings_traced()
    print_settings(explain(loaded, origins, smtp=SmtpSettings.from_env()), as_json=args.json)
    return 0


def print_settings(rows: list[Effective], *, as_json: bool) -> None:
    """`ingest settings`' output (also `python -m ingest_airflow settings`'): a line per variable."""
    if as_json:
        for row in rows:
            _emit(row.to_dict())
        return
    width = max(len(row.name) for row in rows)
    for row in rows:
        print(f"{row.name:<{width}}  {row.value}  [{row.origin}]")


if __name__ == "__main__":
    sys.exit(main())
