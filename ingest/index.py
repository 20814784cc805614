"""Elasticsearch: client, index template, versioned index + alias, bulk writes read per document.

The only module that builds Elasticsearch requests for articles. Errors come out classified:
`TransientError` (timeouts, 429, 5xx, node unreachable: retry) or `TerminalError` (auth, mapping: don't).
"""

from __future__ import annotations

import json
import logging
import ssl
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TlsError
from elasticsearch import ApiError, Elasticsearch
from elasticsearch.helpers import streaming_bulk

from ingest.config import Settings
from ingest.errors import TerminalError, TransientError
from ingest.languages import analysed_copies
from ingest.records import Article

INDEX_VERSION = 1
log = logging.getLogger(__name__)


def connect(settings: Settings) -> Elasticsearch:
    """A client for `settings.es_url` (a cluster: several URLs, comma-separated; requests fail over between
    them). It authenticates with the API key (`ES_API_KEY`, encoded or `id:key`), else the user and
    password, and verifies TLS against `ES_CA_CERT` when given (else the system's CAs). No request is
    made here; a CA file that cannot be used is a TerminalError naming it."""
    options: dict[str, Any] = {}
    if settings.es_api_key:
        key_id, sep, secret = settings.es_api_key.partition(":")
        options["api_key"] = (key_id, secret) if sep else settings.es_api_key
    elif settings.es_username:
        options["basic_auth"] = (settings.es_username, settings.es_password or "")
    if settings.es_ca_cert:
        _check_ca_file(settings.es_ca_cert)
        options["ca_certs"] = settings.es_ca_cert
    hosts = [url.strip() for url in settings.es_url.split(",") if url.strip()]
    try:
        return Elasticsearch(  # connection errors and timeouts: 3 retries, 0.25-2 s apart (jittered)
            hosts, request_timeout=settings.request_timeout, retry_on_timeout=True, max_retries=3,
            retry_backoff_base=1.0, retry_backoff_cap=10.0, **options,
        )
    except ValueError as exc:
        raise TerminalError(f"ES_URL {settings.describe()}: {exc}") from exc


def _check_ca_file(path: str) -> None:
    try:
        ssl.create_default_context(cafile=path)
    except FileNotFoundError as exc:
        raise TerminalError(f"ES_CA_CERT {path}: no such file") from exc
    except (OSError, ssl.SSLError) as exc:
        raise TerminalError(f"ES_CA_CERT {path}: not a readable PEM CA certificate ({_transport_cause(exc)})") from exc


@contextmanager
def classified_errors(what: str) -> Iterator[None]:
    """Turn client errors into TransientError / TerminalError, saying what was being done and why in plain
    words (no exception reprs: they are long and may echo request data). A TLS certificate that does not
    verify, or TLS spoken to a plain-HTTP port, is terminal: retrying cannot fix it."""
    try:
        yield
    except TlsError as exc:
        cause = _transport_cause(exc)
        if "certificate verify failed" in cause or "wrong version number" in cause.lower():
            raise TerminalError(f"{what}: Elasticsearch's TLS certificate was not accepted ({cause}); "
                                "set ES_CA_CERT to the CA certificate that signed it, and check the URL's "
                                "scheme (https:// for a TLS node)") from exc
        raise TransientError(f"{what}: TLS connection to Elasticsearch failed ({cause})") from exc
    except ConnectionTimeout as exc:
        raise TransientError(f"{what}: Elasticsearch did not answer in time ({_transport_cause(exc)})") from exc
    except TransportConnectionError as exc:
        raise TransientError(f"{what}: Elasticsearch unreachable ({_transport_cause(exc)})") from exc
    except ApiError as exc:
        status = exc.meta.status if exc.meta else 0
        message = f"{what}: Elasticsearch answered {status}: {exc.message}"
        if status == 401:
            message = (f"{what}: Elasticsearch refused the credentials (401): "
                       "check ES_USERNAME/ES_PASSWORD or ES_API_KEY")
        if status == 429 or status >= 500:
            raise TransientError(message) from exc
        raise TerminalError(message) from exc


def _transport_cause(exc: BaseException) -> str:
    """The innermost reason behind a transport error: 'Connection refused', 'Name or service not known',
    'certificate verify failed: unable to get local issuer certificate', 'timed out'."""
    reason = str(exc)
    pending: deque[BaseException] = deque([exc])  # breadth first: the last reason found is the innermost
    seen: set[int] = set()
    while pending:
        error = pending.popleft()
        if id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, ssl.SSLCertVerificationError):
            return f"certificate verify failed: {error.verify_message}"
        if isinstance(error, ssl.SSLError) and error.reason:
            reason = str(error.reason).replace("_", " ").lower()
        elif isinstance(error, OSError):
            reason = error.strerror or str(error) or type(error).__name__
        nested = [*getattr(error, "errors", ()), error.__cause__, error.__context__]
        pending.extend(e for e in nested if isinstance(e, BaseException))
    return reason


def load_mapping(name: str) -> dict[str, Any]:
    """A JSON file of the package data `ingest/mappings/` (works from a wheel, not only the checkout)."""
    data: dict[str, Any] = json.loads(resources.files("ingest").joinpath("mappings", name).read_text("utf-8"))
    return data


def versioned_index(alias: str) -> str:
    return f"{alias}-v{INDEX_VERSION}"


def ensure_index(es: Elasticsearch, settings: Settings) -> str:
    """Template, versioned index with alias, ledger, run-report and inbox indices. Idempotent."""
    alias = settings.index_alias
    template = load_mapping("articles.template.json")
    with classified_errors(f"putting index template for {alias}"):
        es.indices.put_index_template(
            name=f"{alias}-articles",
            index_patterns=[f"{alias}-v*"],
            template=template["template"],
            priority=template["priority"],
            meta=template["_meta"],
        )
        if not es.indices.exists_alias(name=alias):
            es.indices.create(index=versioned_index(alias), aliases={alias: {"is_write_index": True}})
        else:
            _warn_if_outdated(es, alias, int(template["_meta"]["schema_version"]))
    ensure_plain_indices(es, ((settings.ledger_index, "ledger.index.json"), (settings.runs_index, "runs.index.json"),
                              (settings.inbox_index, "inbox.index.json"), *watch_indices(settings)))
    return alias


def watch_indices(settings: Settings) -> tuple[tuple[str, str], ...]:
    """The indices of watchlists and alerts (ingest/watches.py, ingest/alerts.py) with their mapping files."""
    return ((settings.watches_index, "watches.index.json"), (settings.alerts_index, "alerts.index.json"),
            (settings.alert_checks_index, "alert_checks.index.json"))


def ensure_plain_indices(es: Elasticsearch, specs: Iterable[tuple[str, str]]) -> None:
    """Create each (index, mapping file) that does not exist yet; one created meanwhile by another process is
    fine. An index that exists gains the fields its mapping file added since (fields are added, never
    renamed: e.g. the ledger's `kind`), so older entries still read and new ones are searchable."""
    for name, body in specs:
        spec = load_mapping(body)
        with classified_errors(f"creating {name}"):
            if es.indices.exists(index=name):
                _add_new_fields(es, name, spec["mappings"].get("properties") or {})
                continue
            try:
                es.indices.create(index=name, settings=spec["settings"], mappings=spec["mappings"])
            except ApiError as exc:
                if exc.error != "resource_already_exists_exception":
                    raise


def _add_new_fields(es: Elasticsearch, name: str, wanted: dict[str, Any]) -> None:
    live = es.indices.get_mapping(index=name)
    for body in live.values():
        missing = _missing_properties(wanted, body.get("mappings", {}).get("properties") or {})
        if missing:
            es.indices.put_mapping(index=name, properties=missing)
            log.info("%s: added the fields %s to its mapping", name, ", ".join(sorted(missing)))
        return


def _missing_properties(wanted: dict[str, Any], live: dict[str, Any]) -> dict[str, Any]:
    """The part of `wanted` (a mapping's properties) that `live` lacks, objects compared field by field."""
    missing: dict[str, Any] = {}
    for field, spec in wanted.items():
        if field not in live:
            missing[field] = spec
        elif "properties" in spec:
            inner = _missing_properties(spec["properties"], live[field].get("properties") or {})
            if inner:
                missing[field] = {"properties": inner}
    return missing


def _warn_if_outdated(es: Elasticsearch, alias: str, current: int) -> None:
    """An index made from an older template lacks fields (story_id, locations_geo, .exact sub-fields) and
    the stemming analysers; a mapping cannot gain analysers in place, so the remedy is `ingest reindex`."""
    for name, body in es.indices.get_mapping(index=alias).items():
        version = int((body.get("mappings", {}).get("_meta") or {}).get("schema_version", 1))
        if version < current:
            log.warning("%s was made from schema %d of the articles template (now %d): stemming, stories and "
                        "places need the new mapping; run `ingest reindex`", name, version, current)


def article_document(article: Article, ingested_at: datetime) -> dict[str, Any]:
    """The indexed document: the article schema plus `ingested_at`, `mentioned_ranges` and the text fields'
    copies for the article's language (`ingest.languages`)."""
    doc = article.to_dict()
    doc["ingested_at"] = ingested_at.isoformat()
    doc["mentioned_ranges"] = [{"gte": d["gte"], "lt": d["lt"]} for d in doc["dates_mentioned"]]
    doc.update(analysed_copies(doc))  # stemmed in the article's own language (indexed, not stored)
    return doc


@dataclass(frozen=True)
class BulkOutcome:
    doc_id: str
    ok: bool
    error: str | None = None


def bulk_index(es: Elasticsearch, alias: str, articles: Iterable[Article]) -> Iterator[BulkOutcome]:
    """Index articles under their deterministic ids; one outcome per document, in order."""
    now = datetime.now(UTC)
    actions = (
        {"_op_type": "index", "_index": alias, "_id": a.id, "_source": article_document(a, now)} for a in articles
    )
    yield from bulk_actions(es, actions, "indexing articles")


def bulk_delete(es: Elasticsearch, alias: str, doc_ids: Iterable[str]) -> int:
    actions = ({"_op_type": "delete", "_index": alias, "_id": i} for i in doc_ids)
    return sum(1 for outcome in bulk_actions(es, actions, "deleting articles") if outcome.ok)


def bulk_actions(es: Elasticsearch, actions: Iterable[dict[str, Any]], what: str, chunk_size: int = 200,
                 ) -> Iterator[BulkOutcome]:
    with classified_errors(what):
        for succeeded, item in streaming_bulk(
            es, actions, chunk_size=chunk_size, max_retries=5, initial_backoff=1, max_backoff=30,
            raise_on_error=False, raise_on_exception=True,
        ):
            (op, result), = item.items()
            status = int(result.get("status", 0))
            ok = succeeded or (op == "delete" and status == 404)  # a 404 on delete: already gone, goal reached
            if not ok and (status == 429 or status >= 500):
                raise TransientError(f"{what}: document {result.get('_id')} got {status}: {result.get('error')}")
            yield BulkOutcome(str(result.get("_id")), ok, None if ok else _reason(result.get("error")))


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        reason = f"{error.get('type')}: {error.get('reason')}"
        cause = error.get("caused_by")
        return f"{reason} ({cause.get('reason')})" if isinstance(cause, dict) else reason
    return str(error)


KEEP_ALIVE = "5m"  # of a point in time, renewed with every page


def pages(es: Elasticsearch, index: str, *, query: dict[str, Any], sort: list[Any], what: str, size: int = 1000,
          **search: Any) -> Iterator[list[dict[str, Any]]]:
    """Every hit of `query` in `index`, a page (a list of hits) at a time in `sort` order, read with a point
    in time and `search_after`: the pages do not shift while the caller writes (the ledger, the inbox), and
    memory stays one page whatever the index holds. `sort` must order the hits uniquely; `search` adds
    request parameters (`source_includes`, `seq_no_primary_term`). Nothing when the index does not exist."""
    with classified_errors(what):
        if not es.indices.exists(index=index):
            return
        pit = es.open_point_in_time(index=index, keep_alive=KEEP_ALIVE)["id"]
    try:
        after: list[Any] | None = None
        while True:
            with classified_errors(what):
                page = es.search(pit={"id": pit, "keep_alive": KEEP_ALIVE}, size=size, query=query, sort=sort,
                                 search_after=after, track_total_hits=False, **search)
            hits: list[dict[str, Any]] = page["hits"]["hits"]
            pit = page.get("pit_id", pit)
            if hits:
                yield hits
            if len(hits) < size:
                return
            after = hits[-1]["sort"]
    finally:
        with classified_errors(f"{what}: closing the point in time"):
            es.options(ignore_status=404).close_point_in_time(id=pit)


def refresh(es: Elasticsearch, *indices: str) -> None:
    with classified_errors("refreshing"):
        es.indices.refresh(index=",".join(indices))


# ---------------------------------------------------------------------------------------------- versions
def alias_indices(es: Elasticsearch, alias: str) -> list[str]:
    """The versioned indices the alias points at (one, unless a swap was interrupted)."""
    with classified_errors(f"reading alias {alias}"):
        if not es.indices.exists_alias(name=alias):
            return []
        return sorted(es.indices.get_alias(name=alias))


def version_of(name: str, alias: str) -> int | None:
    """3 for 'articles-v3' under the alias 'articles'; None for anything else."""
    prefix = f"{alias}-v"
    return int(name[len(prefix):]) if name.startswith(prefix) and name[len(prefix):].isdigit() else None


def versions(es: Elasticsearch, alias: str) -> dict[str, int]:
    """Every `<alias>-v<N>` index, behind the alias or not, with its N."""
    with classified_errors(f"listing the versions of {alias}"):
        found = es.indices.get(index=f"{alias}-v*", allow_no_indices=True, expand_wildcards="open,closed")
    return {name: n for name in found if (n := version_of(name, alias)) is not None}


def create_next_version(es: Elasticsearch, alias: str) -> str:
    """`<alias>-v<N+1>` (N the highest existing version), created from the current template, no alias."""
    name = f"{alias}-v{max(versions(es, alias).values(), default=INDEX_VERSION - 1) + 1}"
    with classified_errors(f"creating {name}"):
        es.indices.create(index=name)
    return name


def swap_alias(es: Elasticsearch, alias: str, old: list[str], new: str) -> None:
    """Point the alias (reads and writes) at `new` and away from `old` in one atomic `_aliases` call."""
    actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": alias, "is_write_index": True}}]
    actions += [{"remove": {"index": name, "alias": alias}} for name in old if name != new]
    with classified_errors(f"moving alias {alias} to {new}"):
        es.indices.update_aliases(actions=actions)


def count(es: Elasticsearch, target: str) -> int:
    with classified_errors(f"counting {target}"):
        return int(es.count(index=target)["count"])


def delete_indices(es: Elasticsearch, names: Iterable[str]) -> list[str]:
    """Delete these indices by name (never by pattern); returns the names deleted."""
    deleted = []
    for name in names:
        with classified_errors(f"deleting {name}"):
            es.indices.delete(index=name)
        deleted.append(name)
    return deleted
