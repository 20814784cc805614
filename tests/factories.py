"""The one place tests build articles: from a file's bytes through the real reader and `normalise` (what
`ingest inspect` would make of them, before enrichment), or by hand with every field of the schema
defaulted, so a test names only the fields it is about and a field added to `Article` changes one line.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

from ingest.normalise import NormaliseOptions, normalise
from ingest.parse import ParseOptions, detect_format, parse
from ingest.records import Article, Format, RawDocument, Rejection, SourceInfo


def source_of(name: str, data: bytes, fmt: Format | None = None) -> SourceInfo:
    """`source` for a file named `name` holding `data`: its format as the pipeline detects it (unless a
    test says which reader it means), its digest and size."""
    return SourceInfo(name, fmt or detect_format(name, data), hashlib.sha256(data).hexdigest(), len(data))


def _bytes(data: str | bytes) -> bytes:
    return data.encode() if isinstance(data, str) else data


def raw_documents(data: str | bytes, name: str = "page.html", options: ParseOptions | None = None,
                  fmt: Format | None = None) -> list[RawDocument]:
    """What the reader makes of the file (its rejections left out)."""
    data = _bytes(data)
    return [d for d in parse(data, source_of(name, data, fmt), options) if isinstance(d, RawDocument)]


def raw_document(data: str | bytes, name: str = "page.html", options: ParseOptions | None = None,
                 fmt: Format | None = None) -> RawDocument:
    """The file's first document as the reader gives it; fails the test when the reader found none."""
    documents = raw_documents(data, name, options, fmt)
    assert documents, f"the reader found no document in {name}"
    return documents[0]


def read(data: str | bytes, name: str = "page.html", parse_options: ParseOptions | None = None,
         normalise_options: NormaliseOptions | None = None) -> list[Article | Rejection]:
    """Every document of the file normalised, and the reader's rejections, in the file's order."""
    data = _bytes(data)
    return [normalise(d, normalise_options) if isinstance(d, RawDocument) else d
            for d in parse(data, source_of(name, data), parse_options)]


def parsed_article(data: str | bytes, name: str = "page.html", parse_options: ParseOptions | None = None,
                   normalise_options: NormaliseOptions | None = None, fmt: Format | None = None) -> Article:
    """The file's first document, normalised."""
    return normalise(raw_document(data, name, parse_options, fmt), normalise_options)


def article(body: str, **fields: Any) -> Article:
    """An article built by hand: `body` and the fields a test is about; everything else empty."""
    values: dict[str, Any] = {
        "id": "t", "source": SourceInfo("t.txt", "text", "", len(body)), "title": None, "lead": None,
        "published_at": None, "published_at_source": None, "publisher": None, "agency": None, "authors": (),
        "dateline": None, "section": (), "language": None, "word_count": len(body.split()),
        "pipeline_version": "test",
    }
    values.update(fields)
    return Article(body=body, **values)


# ------------------------------------------------------------------------------------------ seed files
PLACES = ("Springfield", "Riverton", "Lakeside", "Hillview", "Brookfield", "Fairmont", "Oakdale", "Maple Bay",
          "Stonebridge", "Clearwater")
TOPICS = ("library", "bridge", "harbour", "school", "hospital", "railway station", "park", "museum", "market",
          "fire station")
PEOPLE = ("Jane Holloway", "Omar Haddad", "Li Wei", "Maria Santos", "Peter Novak", "Aisha Bello", "Tom Becker",
          "Sara Lind", "Ken Ito", "Rosa Diaz")


VOCABULARY = ("budget vote road water power school teacher nurse doctor bus train tram ferry port tax fee rent "
              "house flat park tree river lake hill farm crop rain storm flood fire heat snow wind bridge tunnel "
              "wall tower museum library theatre cinema stadium pool market shop bakery factory mill mine office "
              "court police station clinic ward union strike wage pension grant loan bank fund plan report survey "
              "study audit review panel board member citizen resident worker owner driver pilot sailor farmer "
              "student pupil parent child family neighbour visitor tourist guest speaker critic expert engineer "
              "quickly slowly early late again often rarely openly quietly firmly")
WORDS = VOCABULARY.split()


def write_articles(folder: Path, count: int) -> list[Path]:
    """`count` small plain-text articles, each its own story (bodies of seeded random words share almost
    no five-word runs), the same bytes every time, so the same ids."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        rng = random.Random(i)
        place, topic, person = PLACES[i % 10], TOPICS[(i // 10) % 10], PEOPLE[(i * 7) % 10]
        title = f"{place} council backs plan number {i} for the {topic}"
        words = [" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(4)]
        body = (f"The council of {place} voted on Tuesday to approve plan number {i} for the town's {topic}. "
                f"Mayor {person} said the work would cost {100 + i} thousand dollars. " + " ".join(words))
        path = folder / f"{i:04d}-{place.lower().replace(' ', '-')}.txt"
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths
