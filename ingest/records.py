"""The typed records that cross stage boundaries.

    SeedFile ──parse──▶ RawDocument ──normalise──▶ Article ──enrich──▶ Article (with entities, dates…)

Every record is a frozen dataclass; stages build new records instead of mutating old ones.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from ingest.errors import BUG_STAGES, Rejected, Stage

Format = Literal["text", "html", "json"]
DateSource = Literal["jsonld", "meta", "time", "url", "text", "record"]
DateOrder = Literal["dmy", "mdy"]  # how numeric dates are written: "10/05/2022" is 10 May (dmy) or 5 October (mdy)
# the clock a stamp is shown on: "utc" (UTC itself), "country" (the source country's) or the UTC offset the page
# prints the stamp's time of day on ("-08:00")
DateClock = str
EntityType = Literal["person", "organization", "location", "misc"]
TextField = Literal["title", "body"]
Granularity = Literal["day", "week", "month", "quarter", "year", "decade", "century"]
PlaceKind = Literal["country", "state", "city"]


@dataclass(frozen=True)
class SeedFile:
    """One file found under the source root; a reference, never its contents."""

    path: str  # relative to the source root, '/'-separated
    root: str  # the source root (folder or fsspec URL)
    size: int
    mtime: float
    sha256: str = ""  # filled in only when needed (size or mtime differ from the ledger)


@dataclass(frozen=True)
class SourceInfo:
    """`source` in the article schema (docs/architecture.md, "The article schema")."""

    path: str
    format: Format
    sha256: str
    size: int
    url: str | None = None
    record: int | None = None  # position of the record in a JSON list / JSONL file


@dataclass(frozen=True)
class RawDocument:
    """What a reader found in one document, before normalisation.

    Values are as the source gave them: `published_raw` is the date string as printed
    ("Sat, March 16 2019. 10:10 IST", "2019-03-16T10:10:00+05:30"), resolved later by normalise;
    `date_order` is the order of its numeric dates when the source itself shows it (the day a page prints
    beside its headline), else normalise takes it from the country and language (`ingest.dates.order`);
    `published_clock` the clock a UTC stamp is meant on when the page's printed day says so.
    `body` is the story text, paragraphs separated by a blank line.
    """

    source: SourceInfo
    content_sha256: str  # hash of the bytes this document came from (file, or one JSON record)
    body: str
    title: str | None = None
    lead: str | None = None
    published_raw: str | None = None
    published_source: DateSource | None = None
    date_order: DateOrder | None = None
    published_clock: DateClock | None = None
    modified_raw: str | None = None
    publisher: str | None = None
    agency: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    section: tuple[str, ...] = ()
    language: str | None = None  # as declared by the source (html lang, JSON field)
    url: str | None = None
    country_hint: str | None = None  # ISO 3166 alpha-2, e.g. from the URL's TLD or publisher
    hints: tuple[str, ...] = ()  # facts a reader noticed, e.g. "syndicated"


@dataclass(frozen=True)
class EntityMention:
    text: str
    type: EntityType
    canonical: str
    field: TextField
    start: int
    end: int


@dataclass(frozen=True)
class DateMention:
    text: str
    gte: str  # ISO date (inclusive)
    lt: str  # ISO date (exclusive)
    granularity: Granularity
    field: TextField
    start: int
    end: int


@dataclass(frozen=True)
class Entities:
    person: tuple[str, ...] = ()
    organization: tuple[str, ...] = ()
    location: tuple[str, ...] = ()
    misc: tuple[str, ...] = ()


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float


@dataclass(frozen=True)
class Place:
    """A location entity resolved to coordinates by the offline gazetteer (enrich/geo.py)."""

    name: str  # the canonical name, as in `entities.location`
    location: GeoPoint
    country: str  # ISO 3166 alpha-2
    kind: PlaceKind


@dataclass(frozen=True)
class Article:
    """One normalised (and later enriched) article: the indexed document (docs/architecture.md, "The article
    schema")."""

    id: str
    source: SourceInfo
    title: str | None
    body: str
    lead: str | None
    published_at: datetime | None  # timezone-aware, in the offset the source meant
    published_at_source: DateSource | None
    publisher: str | None
    agency: str | None
    authors: tuple[str, ...]
    dateline: str | None
    section: tuple[str, ...]
    language: str | None
    word_count: int
    pipeline_version: str
    url: str | None = None
    modified_at: datetime | None = None
    entities: Entities = field(default_factory=Entities)
    entity_mentions: tuple[EntityMention, ...] = ()
    dates_mentioned: tuple[DateMention, ...] = ()
    quality_flags: tuple[str, ...] = ()
    locations_geo: tuple[Place, ...] = ()  # the locations that resolve to one place on the map
    story_id: str | None = None  # shared by near-duplicate copies of one story (stories.py); set at indexing
    story_bands: tuple[str, ...] = ()  # MinHash LSH band keys of the body (stories.py)
    story_signature: str | None = None  # the MinHash signature, base64 (stored, not indexed)

    def replace(self, **changes: Any) -> Article:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the article schema (without `ingested_at`, which `index` adds)."""
        doc: dict[str, Any] = _plain(self)
        doc["quality"] = {"flags": doc.pop("quality_flags")}
        doc["source"] = {k: v for k, v in doc["source"].items() if v is not None}
        return doc


@dataclass(frozen=True)
class Rejection:
    """An input that could not become an article: the stage, the kind (`ingest.errors`: stable, to count
    and group on) and the reason (for a person)."""

    source: SourceInfo
    stage: Stage
    reason: str
    kind: str

    @classmethod
    def of(cls, source: SourceInfo, error: Rejected, reason: str | None = None) -> Rejection:
        """The rejection `error` stands for; `reason` when the error's own needs a prefix ('line 3: …')."""
        return cls(source, error.stage, error.reason if reason is None else reason, error.kind)

    @property
    def is_bug(self) -> bool:
        """Caused by our code (stage `internal` or `enrich`), not by bad input."""
        return self.stage in BUG_STAGES

    def to_dict(self) -> dict[str, Any]:
        src = {k: v for k, v in dataclasses.asdict(self.source).items() if v is not None}
        return {"source": src, "rejected": {"stage": self.stage, "kind": self.kind, "reason": self.reason}}


def _plain(value: Any) -> Any:
    """A record → JSON-ready values: dataclasses → dicts (as `dataclasses.asdict`, without its deep copies,
    which cost more than the rest of indexing an article), tuples → lists, datetimes → ISO-8601."""
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))
