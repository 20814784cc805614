"""Checking watches after a run, recording alerts, notifying once (docs/architecture.md, "Watchlists and
alerts").

    report = check_run(es, settings, run_id, SmtpSettings.from_env())

1. The run's documents: the ids the ledger says it wrote (`ledger.run_documents`: new or changed files,
   failed runs included), stored in chunks in `<alias>-alert-checks`, so each watch's search restricts itself
   to them with a terms lookup instead of carrying the ids: never the whole index.
2. Every watch searched at once: `msearch` in chunks of `SEARCHES_PER_REQUEST`.
3. Matches grouped per watch and story (copies of one story share `story_id`): one alert each, its id
   derived from the watch and the story, created with `op_type=create` after checking that no alert of the
   watch already names the story or any of its articles. Re-runs, retries, reindexing, copies and renames
   find the alert there and stay silent.
4. One notification per watch listing its new stories, plus its alerts whose delivery failed before (they
   are claimed with optimistic concurrency, so two checkers never both resend). The outcome goes back on
   every alert: delivered, or why not (reasons carry no secrets; URLs are redacted).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan

from ingest import index, ledger, watches
from ingest.config import Settings
from ingest.errors import TerminalError
from ingest.notify import Delivery, RetryPolicy, SmtpSettings, post_webhook, send_mail
from ingest.watches import Watch

log = logging.getLogger(__name__)

WATCHES_PER_SEARCH = 25  # watches one search evaluates (named queries; well under the clause limit)
SEARCHES_PER_REQUEST = 20  # searches per msearch request
DELIVERY_THREADS = 8  # watches notified at once
BULK = 1000  # alerts written per bulk request (small documents)
IDS_PER_CHUNK = 10_000  # document ids of the run per document of the checks index (one terms lookup each)
STALE_CLAIM = timedelta(minutes=15)  # an alert claimed this long ago by a checker that died is claimable again
ARTICLE_FIELDS = ["id", "title", "url", "source.url", "published_at", "story_id"]


@dataclass
class CheckReport:
    run_id: str
    watches: int = 0
    documents: int = 0
    searches: int = 0
    matched: int = 0  # article matches, over all watches
    new_alerts: int = 0  # stories new to their watch
    retried: int = 0  # alerts of earlier checks whose delivery is tried again
    notifications: int = 0  # deliveries that succeeded (a watch with a webhook and e-mail: up to two)
    failed: int = 0  # deliveries that failed (recorded on the alerts, tried again next check)
    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per step: search, record, deliver

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "watches": self.watches, "documents": self.documents,
                "searches": self.searches, "matched": self.matched, "new_alerts": self.new_alerts,
                "retried": self.retried, "notifications": self.notifications, "failed": self.failed,
                "problems": list(self.problems), "seconds": dict(self.seconds)}


@dataclass(frozen=True)
class Pending:
    """One alert to deliver on some channels."""

    alert_id: str
    doc: dict[str, Any]
    channels: tuple[str, ...]
    attempts: int


def alert_id(watch: str, story_key: str) -> str:
    return hashlib.sha256(f"{watch}\x00{story_key}".encode()).hexdigest()[:32]


def check_run(es: Elasticsearch, settings: Settings, run_id: str, smtp: SmtpSettings,
              policy: RetryPolicy | None = None) -> CheckReport:
    """Check every watch against the documents run `run_id` wrote; record and deliver the alerts."""
    report = CheckReport(run_id)
    found = list(watches.all_watches(es, settings))
    report.watches = len(found)
    if not found:
        return report
    watches.ensure_indices(es, settings)
    index.refresh(es, settings.index_alias, settings.ledger_index)
    clock = time.perf_counter()
    matches = _search(es, settings, run_id, found, report)
    report.seconds["search"] = round(time.perf_counter() - clock, 3)
    created = _record(es, settings, run_id, matches, {w.name: w.channels for w in found}, report)
    retry = _claim_failed(es, settings, {w.name for w in found})
    report.retried = sum(len(v) for v in retry.values())
    report.seconds["record"] = round(time.perf_counter() - clock - report.seconds["search"], 3)
    jobs = [(w, todo) for w in found if (todo := created.get(w.name, []) + retry.get(w.name, []))]
    with ThreadPoolExecutor(max_workers=DELIVERY_THREADS) as pool:  # a slow receiver does not hold up the rest
        sent = list(pool.map(lambda job: _send(job[0], job[1], smtp, policy or RetryPolicy(),
                                               settings.index_alias), jobs))
    now = datetime.now(UTC).isoformat()
    for (watch, _), results in zip(jobs, sent, strict=True):
        _count(report, watch, results)
    actions = ({"_op_type": "index", "_index": settings.alerts_index, "_id": p.alert_id,  # claimed: ours
                "_source": {**p.doc, **_outcome(p, watch, results, now)}}
               for (watch, todo), results in zip(jobs, sent, strict=True) for p in todo)
    for _ in index.bulk_actions(es, actions, "recording deliveries", chunk_size=BULK):
        pass
    index.refresh(es, settings.alerts_index)
    report.seconds["deliver"] = round(time.perf_counter() - clock - sum(report.seconds.values()), 3)
    log.info("watches checked after run %s: %s", run_id, report.to_dict())
    return report


# ---------------------------------------------------------------------------------------------- search
def _search(es: Elasticsearch, settings: Settings, run_id: str, found: list[Watch],
            report: CheckReport) -> dict[str, list[dict[str, Any]]]:
    """watch name → the articles of the run it matches (id, title, url, published_at, story_id). Watches are
    searched `WATCHES_PER_SEARCH` at a time, each a named query (hits say which matched them); a group whose
    search fails is searched again watch by watch, so one bad watch is named and the others still match."""
    matches: dict[str, list[dict[str, Any]]] = defaultdict(list)
    lookups = _store_ids(es, settings, run_id)
    report.documents = sum(n for _, n in lookups)
    try:
        queries = [(w.name, q) for w in found if (q := _watch_query(w, report)) is not None]
        groups = [(list(g), lookup, n) for g in _chunks(queries, WATCHES_PER_SEARCH) for lookup, n in lookups]
        failed = _msearch(es, settings, groups, matches, report)
        singles = [([named], lookup, n) for (group, lookup, n), _ in failed for named in group]
        for (group, _, _), reason in _msearch(es, settings, singles, matches, report):
            report.problems.append(f"watch {group[0][0]}: search failed: {reason}")
    finally:
        _drop_ids(es, settings, lookups)
    report.matched = sum(len(v) for v in matches.values())
    return matches


Group = tuple[list[tuple[str, dict[str, Any]]], str, int]  # (watch name, query) pairs, lookup id, its size


def _msearch(es: Elasticsearch, settings: Settings, groups: list[Group], matches: dict[str, list[dict[str, Any]]],
             report: CheckReport) -> list[tuple[Group, str]]:
    """Run the groups' searches (`SEARCHES_PER_REQUEST` a request), adding each hit to the watches it
    matched; the groups whose search failed come back, each with the reason."""
    failed: list[tuple[Group, str]] = []
    for chunk in _chunks(groups, SEARCHES_PER_REQUEST):
        lines: list[dict[str, Any]] = []
        for group, lookup, size in chunk:
            lines += [{"index": settings.index_alias}, _body(group, settings, lookup, size)]
        with index.classified_errors("searching for the watches' matches"):
            answer = es.msearch(searches=lines)
        report.searches += len(chunk)
        for searched, response in zip(chunk, answer["responses"], strict=True):
            if "error" in response:
                failed.append((searched, _error(response["error"])))
                continue
            for hit in response["hits"]["hits"]:
                for name in hit.get("matched_queries") or ():
                    matches[name].append(hit["_source"])
    return failed


def _watch_query(watch: Watch, report: CheckReport) -> dict[str, Any] | None:
    try:
        return watch.es_query()
    except TerminalError as exc:  # a stored watch that no longer reads: say so, check the others
        report.problems.append(str(exc))
        return None


def _body(group: list[tuple[str, dict[str, Any]]], settings: Settings, lookup: str, size: int) -> dict[str, Any]:
    """The run's documents (a terms lookup of their ids) that match any watch of the group, unscored; each
    hit's `matched_queries` names its watches."""
    restrict = {"terms": {"_id": {"index": settings.alert_checks_index, "id": lookup, "path": "doc_ids"}}}
    named = [{"bool": {"must": [query], "_name": name}} for name, query in group]
    anyone = {"bool": {"should": named, "minimum_should_match": 1}}
    return {"query": {"bool": {"filter": [restrict, anyone]}}, "size": size, "_source": ARTICLE_FIELDS,
            "track_total_hits": False}


def _store_ids(es: Elasticsearch, settings: Settings, run_id: str) -> list[tuple[str, int]]:
    """The run's document ids, a chunk per document of the checks index: (document id, how many ids)."""
    stored = []
    now = datetime.now(UTC).isoformat()
    written = ledger.run_documents(es, settings, run_id)
    for n, ids in enumerate(iter(lambda: list(itertools.islice(written, IDS_PER_CHUNK)), [])):
        key = f"{run_id}:{n}"
        with index.classified_errors("storing the run's document ids for the watches"):
            es.index(index=settings.alert_checks_index, id=key,
                     document={"run_id": run_id, "chunk": n, "doc_ids": ids, "checked_at": now})
        stored.append((key, len(ids)))
    return stored


def _drop_ids(es: Elasticsearch, settings: Settings, lookups: list[tuple[str, int]]) -> None:
    actions = ({"_op_type": "delete", "_index": settings.alert_checks_index, "_id": key} for key, _ in lookups)
    for _ in index.bulk_actions(es, actions, "dropping the run's document ids"):
        pass


def _error(error: Any) -> str:
    if isinstance(error, dict):
        cause = (error.get("root_cause") or [{}])[0]
        return f"{error.get('type')}: {cause.get('reason') or error.get('reason')}"
    return str(error)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# ---------------------------------------------------------------------------------------------- record
def _story_key(article: dict[str, Any]) -> str:
    return str(article.get("story_id") or article["id"])


def _record(  # noqa: PLR0917 - the check's state, handed from step to step
    es: Elasticsearch, settings: Settings, run_id: str, matches: dict[str, list[dict[str, Any]]],
    channels: dict[str, tuple[str, ...]], report: CheckReport,
) -> dict[str, list[Pending]]:
    """One alert per (watch, story) not alerted before, created (op_type create) with status `sending`:
    the alerts this checker created, to deliver, by watch."""
    stories: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, hits in matches.items():
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for hit in hits:
            grouped[_story_key(hit)].append(hit)
        stories[name] = grouped
    known = _known(es, settings, matches)
    now = datetime.now(UTC).isoformat()
    fresh: list[tuple[str, str, dict[str, Any]]] = []
    for name, grouped in stories.items():
        for key, copies in sorted(grouped.items()):
            ids = sorted({str(c["id"]) for c in copies})
            if (name, key) in known or any((name, i) in known for i in ids):
                continue
            first = min(copies, key=lambda c: (str(c.get("published_at") or "9999"), str(c["id"])))
            fresh.append((name, alert_id(name, key), {
                "watch": name, "article_id": str(first["id"]), "article_ids": ids, "title": first.get("title"),
                "url": first.get("url") or (first.get("source") or {}).get("url"),
                "story_id": first.get("story_id"), "published_at": first.get("published_at"), "matched_at": now,
                "run_id": run_id, "delivered": False, "status": "sending", "pending": list(channels.get(name, ())),
                "reason": None, "attempts": 0, "channels": [], "claimed_at": now, "delivered_at": None,
            }))
    docs = {aid: doc for _, aid, doc in fresh}
    actions = ({"_op_type": "create", "_index": settings.alerts_index, "_id": aid, "_source": doc}
               for _, aid, doc in fresh)
    created: dict[str, list[Pending]] = defaultdict(list)
    for outcome in index.bulk_actions(es, actions, "recording alerts", chunk_size=BULK):
        if outcome.ok:  # else another checker created it first (409): it delivers it
            doc = docs[outcome.doc_id]
            created[doc["watch"]].append(Pending(outcome.doc_id, doc, tuple(doc["pending"]), 0))
    report.new_alerts = sum(len(v) for v in created.values())
    return created


def _known(es: Elasticsearch, settings: Settings, matches: dict[str, list[dict[str, Any]]]) -> set[tuple[str, str]]:
    """(watch, article id) and (watch, story id) pairs some alert already names."""
    keys = sorted({str(h["id"]) for hits in matches.values() for h in hits}
                  | {str(h["story_id"]) for hits in matches.values() for h in hits if h.get("story_id")})
    names = sorted(name for name, hits in matches.items() if hits)
    known: set[tuple[str, str]] = set()
    if not names:
        return known
    index.refresh(es, settings.alerts_index)
    for chunk in _chunks(keys, 10_000):
        query = {"bool": {"filter": [{"terms": {"watch": names}}], "minimum_should_match": 1, "should": [
            {"terms": {"article_ids": list(chunk)}}, {"terms": {"story_id": list(chunk)}}]}}
        with index.classified_errors("reading alerts"):
            for hit in scan(es, index=settings.alerts_index, query={"query": query}, size=1000,
                            _source=["watch", "article_ids", "story_id"]):
                src = hit["_source"]
                known.update((src["watch"], i) for i in src.get("article_ids") or ())
                if src.get("story_id"):
                    known.add((src["watch"], src["story_id"]))
    return known


def _claim_failed(es: Elasticsearch, settings: Settings, names: set[str]) -> dict[str, list[Pending]]:
    """Alerts of these watches whose delivery failed (or whose checker died while sending), claimed for this
    checker: an update conditional on the version read, so a concurrent checker's claim wins once."""
    stale = (datetime.now(UTC) - STALE_CLAIM).isoformat()
    query = {"bool": {"filter": [{"term": {"delivered": False}}, {"terms": {"watch": sorted(names)}}],
                      "minimum_should_match": 1, "should": [
                          {"term": {"status": "failed"}},
                          {"bool": {"filter": [{"term": {"status": "sending"}},
                                               {"range": {"claimed_at": {"lt": stale}}}]}}]}}
    with index.classified_errors("reading undelivered alerts"):
        if not es.indices.exists(index=settings.alerts_index):
            return {}
        hits = list(scan(es, index=settings.alerts_index, query={"query": query, "seq_no_primary_term": True},
                         size=1000))
    now = datetime.now(UTC).isoformat()
    actions = ({"_op_type": "update", "_index": settings.alerts_index, "_id": h["_id"], "if_seq_no": h["_seq_no"],
                "if_primary_term": h["_primary_term"], "doc": {"status": "sending", "claimed_at": now}}
               for h in hits)
    ours = {o.doc_id for o in index.bulk_actions(es, actions, "claiming undelivered alerts") if o.ok}
    claimed: dict[str, list[Pending]] = defaultdict(list)
    for hit in hits:
        if hit["_id"] in ours:
            src = hit["_source"]
            claimed[src["watch"]].append(Pending(hit["_id"], src, tuple(src.get("pending") or ()),
                                                 int(src.get("attempts") or 0)))
    return claimed


# ---------------------------------------------------------------------------------------------- deliver
def _send(watch: Watch, todo: list[Pending], smtp: SmtpSettings, policy: RetryPolicy,
          alias: str) -> dict[str, Delivery]:
    """One notification per channel of the watch, listing every alert that still needs that channel."""
    results: dict[str, Delivery] = {}
    for channel in watch.channels:
        items = [p for p in todo if channel in p.channels]
        if not items:
            continue
        articles = [article_entry(p.doc) for p in sorted(items, key=_newest_first)]
        if channel == "webhook" and watch.webhook:
            results[channel] = post_webhook(watch.webhook, {"watch": watch.name, "articles": articles}, policy)
        else:
            results[channel] = send_mail(smtp, watch.email, mail_subject(watch, len(articles)),
                                         mail_text(watch, articles, alias), policy)
    return results


def _count(report: CheckReport, watch: Watch, results: dict[str, Delivery]) -> None:
    for channel, outcome in results.items():
        report.notifications += outcome.ok
        report.failed += not outcome.ok
        if not outcome.ok:
            report.problems.append(f"watch {watch.name}: {outcome.reason}")
            log.warning("watch %s: %s delivery failed: %s (tried again at the next check)", watch.name, channel,
                        outcome.reason)


def _newest_first(p: Pending) -> tuple[str, str]:
    return (str(p.doc.get("published_at") or ""), p.alert_id)


def _outcome(p: Pending, watch: Watch, results: dict[str, Delivery], now: str) -> dict[str, Any]:
    wanted = [c for c in p.channels if c in watch.channels]
    failed = [c for c in wanted if c in results and not results[c].ok]
    done = sorted({*(p.doc.get("channels") or ()), *(c for c in wanted if c in results and results[c].ok)})
    if not wanted:
        return {"delivered": False, "status": "no_target", "pending": [], "channels": done,
                "reason": f"watch {watch.name} has no webhook or e-mail address to tell"}
    reason = "; ".join(str(results[c].reason) for c in failed) or None
    return {"delivered": not failed, "status": "failed" if failed else "delivered", "pending": failed,
            "channels": done, "reason": reason, "attempts": p.attempts + 1,
            **({} if failed else {"delivered_at": now})}


def article_entry(doc: dict[str, Any]) -> dict[str, Any]:
    """An alert as the webhook lists it."""
    return {"id": doc.get("article_id"), "title": doc.get("title"), "url": doc.get("url"),
            "published_at": doc.get("published_at"), "story_id": doc.get("story_id")}


def mail_subject(watch: Watch, stories: int) -> str:
    return f"[news-ingest] {watch.name}: {stories} new stor{'y' if stories == 1 else 'ies'}"


def mail_text(watch: Watch, articles: list[dict[str, Any]], alias: str) -> str:
    lines = [f"Watch {watch.name!r} ({_describe(watch)}) matched {len(articles)} new "
             f"stor{'y' if len(articles) == 1 else 'ies'} in {alias}:", ""]
    for article in articles:
        lines.append(f"- {article.get('title') or '(no title)'}")
        lines.append(f"  published {article.get('published_at') or 'date unknown'}"
                     + (f"  {article['url']}" if article.get("url") else ""))
        lines.append(f"  article {article.get('id')}  story {article.get('story_id') or '-'}")
    lines += ["", "Each story is listed once; `ingest alerts --watch NAME` lists them all."]
    return "\n".join(lines) + "\n"


def _describe(watch: Watch) -> str:
    parts = [f"query {watch.query!r}"] if watch.query else ["every article"]
    parts += [f"{k} {v if isinstance(v, str) else ', '.join(map(str, v))}" for k, v in sorted(watch.filters.items())]
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------- list
def list_alerts(es: Elasticsearch, settings: Settings, watch: str | None = None,
                size: int = 100) -> list[dict[str, Any]]:
    """The newest alerts first (of one watch, or of all), with their ids."""
    query: dict[str, Any] = {"term": {"watch": watch}} if watch else {"match_all": {}}
    with index.classified_errors("reading alerts"):
        found = es.options(ignore_status=404).search(
            index=settings.alerts_index, query=query, size=size,
            sort=[{"matched_at": {"order": "desc"}}, {"published_at": {"order": "desc", "missing": "_last"}}])
    return [{"id": h["_id"], **h["_source"]} for h in found.get("hits", {}).get("hits", [])]

