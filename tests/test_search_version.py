"""`pipeline_version` means something: a digest of what the golden inputs (seeds/ and tests/fixtures/)
become is pinned to the version. Changing what an article becomes without bumping
`ingest.PIPELINE_VERSION` fails here; after a bump, record the new digest below (the old ones stay, so a
version never silently changes meaning). A new version re-processes every file on the next run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ingest import PIPELINE_VERSION
from ingest.config import PROJECT_ROOT
from ingest.enrich import Enricher, EnrichOptions
from ingest.extract import enrich_results, extract_file

# PIPELINE_VERSION → sha256 of the golden outputs (see golden_digest)
DIGESTS = {
    "3": "f48b2233de894354cf7e2d03042fb1114054f35978904bf9ce8981963850d34e",  # places, stories, hostile-input fixes
    # one date policy (a British source's 10/05/2022 is 10 May), every agency marks a story syndicated,
    # the paragraph repair on XHTML pages; fixtures text/gb_numeric_date.txt and text/ansa_credit.txt
    "4": "837886b2ab21c9b9d90af93835a8266726e4d320de26263268e3809d45a5af93",
    # authors: the first source that signs decides (a handle gives way to the printed byline), names kept as
    # printed ('Jr.'), hCard, name joiners, picture credits; fixture html/author_handle_and_byline.html
    "5": "c0e05171b22c511ce46c748b81bb01eaf5cc48affdf164426eb99f71ad40c0cf",
    # every language first-class: dates, places (and French people) beyond English; fixtures
    # tests/fixtures/languages/{de,fr,es,it,nl,pt}.txt, and the Spanish/Italian HTML fixtures gain their dates
    "6": "0dfd1fe101974d771eb6b2c509d44ceb4e6a08556a0d0eea8e4b5962704fef7e",
}
GOLDEN = ("seeds", "tests/fixtures")


def golden_files() -> list[Path]:
    return sorted(p for folder in GOLDEN for p in (PROJECT_ROOT / folder).rglob("*")
                  if p.is_file() and not p.name.startswith(".") and p.suffix != ".md")


def golden_digest() -> str:
    """Every article and rejection the golden inputs become, `pipeline_version` left out, paths relative."""
    files = golden_files()
    results = [extract_file(str(p.relative_to(PROJECT_ROOT)), p.read_bytes()) for p in files]
    digest = hashlib.sha256()
    for result in enrich_results(Enricher(EnrichOptions()), results):
        for article in result.articles:
            doc = article.to_dict()
            doc.pop("pipeline_version")
            digest.update(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode() + b"\n")
        for rejection in result.rejections:
            digest.update(json.dumps(rejection.to_dict(), sort_keys=True).encode() + b"\n")
    return digest.hexdigest()


def test_output_of_golden_inputs_is_pinned_to_the_pipeline_version() -> None:
    assert len(golden_files()) >= 10
    digest = golden_digest()
    assert DIGESTS.get(PIPELINE_VERSION) == digest, (
        f"what the golden inputs become changed (digest {digest}) but PIPELINE_VERSION is still "
        f"{PIPELINE_VERSION!r}: bump it in ingest/__init__.py and add the digest to DIGESTS in {__file__}")


def test_each_version_has_its_own_output() -> None:
    assert len(set(DIGESTS.values())) == len(DIGESTS), "two versions pin the same output: one bump was not needed"
