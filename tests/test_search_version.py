"""`pipeline_version` means something: a digest of what the golden inputs (seeds/ and tests/fixtures/)
become is pinned to the version. Changing what an article becomes without bumping
`ingest.PIPELINE_VERSION` fails here; after a bump, record the new digest below (the old ones stay, so a
version never silently changes meaning). A new version re-processes every file on the next run."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from ingest import PIPELINE_VERSION
from ingest.config import PROJECT_ROOT
from ingest.enrich import Enricher, EnrichOptions
from ingest.extract import ExtractOptions, enrich_results, extract_file
from ingest.normalise import NormaliseOptions
from ingest.parse import ParseOptions
from ingest.parse.html import HtmlOptions

# PIPELINE_VERSION → sha256 of the golden outputs (see golden_digest)
DIGESTS = {
    "3": "f48b2233de894354cf7e2d03042fb1114054f35978904bf9ce8981963850d34e",  # places, stories, hostile-input fixes
    # one date policy (a British source's 10/05/2022 is 10 May), every agency marks a story syndicated,
    # the paragraph repair on XHTML pages; fixtures text/gb_numeric_date.txt and text/ansa_credit.txt
    "4": "837886b2ab21c9b9d90af93835a8266726e4d320de26263268e3809d45a5af93",
    # authors: the first source that signs decides (a handle gives way to the printed byline), names kept as
    # printed ('Jr.'), hCard, name joiners, picture credits; fixture html/author_handle_and_byline.html
    "5": "c0e05171b22c511ce46c748b81bb01eaf5cc48affdf164426eb99f71ad40c0cf",
    # story ids from consolidation (no change here: one file per story); a date after the moment of reading is
    # no publication date, a clock time before a date is not its day, two agreeing machine stamps beat a
    # printed date; fixtures html/dates_future_stamp.html, html/dates_clock_before_date.html,
    # html/dates_agreeing_machine.html, text/future_published.txt; a body opens with the story (no picture
    # credit, alone or glued to the first word, no kicker label), the <h1> when a <title> part is nearly it;
    # fixtures html/opener_credit_and_kicker.html, html/title_h1_other_encoding.html
    # and every language first-class: dates, places (and French people) beyond English; fixtures
    # tests/fixtures/languages/{de,fr,es,it,nl,pt}.txt, and the Spanish/Italian HTML fixtures gain their dates
    "6": "5bd98c86b3e7fa52857d83446bcba8c533d61c4a4bf74cf1e92e2c8a2ae69919",
    # dates: a stamp shown on the clock its page prints the time on ('07:03Z' printed "November 18, 2019
    # 11:03 PM": UTC-8), date labels and weekday names as data in every language read (issue 21);
    # fixture html/dates_printed_clock.html; a dateline run into the first word gets its space back ("(CNN)
    # President" → "(CNN) President"), fixture html/opener_glued_dateline.html
    # entities: a person's surname alone is that person, all-caps table rows keep their names, player lists
    # and results with countries in sports reports, a town after in/at/near is a place, a titled name stays a
    # person, place words ('Oval', 'Sea'), 'United'; fixture text/sports_results_entities.txt
    "7": "5a861c534d8de49a5c3dbe43bafc20f272adfa85d33c53a8369f7835ce8ff123",
    # a card shown on hover inside a paragraph (picture, name, headlines) is not prose; fixture
    # html/hover_card_in_text.html
    "8": "848a95464ceb05ecae18bdf5720842df2e87743a9bced188dc7d89d686e81a02",
    # a picture's caption (<figcaption>, or its copy printed elsewhere or put into articleBody) is not story
    # text, nor is the author's bio box over the story; a dateline line of its own ("DAMPIER, Western
    # Australia 2024-12-06") gives the dateline, and its places are locations in the story, as is the
    # desk's town in a sign-off ("-- Jane Roe, Perth newsroom +61 …"), whose writer is the author;
    # Chinese, Japanese and Korean dates ("2024年3月8日") are read beside the headline and as mentioned
    # dates; a news agency named in the story is an organization under its agency name (Xinhua); fixtures
    # html/figure_caption.html, html/author_bio_opener.html, text/dateline_line.txt,
    # html/dates_cjk_labelled.html
    "9": "a62d658cb3199245a1cadedbf4876d7a8a5664928fcd7fdefe4b2ba59d678378",
    # text a tokeniser has been through ("Japan 's coach , said :") is read as printed; a name alone over a
    # dateline line is the writer; every part of the dateline is a place, known to the gazetteer or not; the
    # language is told from running words, not names and figures (a results table is not Dutch); fixture
    # text/tokenised_wire.txt
    "10": "7b2c8bc73abd2ad8b8fbeeb7655f594cf919b6cb7f1f62c66192d5d21614a623",
    # printed dates in some twenty more languages (a month's genitive: "12 października 2021", "5 января
    # 2020"; accents dropped in capitals; year first: "2022/05/11", "2022. március 5."; Vietnamese) and in
    # the digits of other scripts ("١٢ أكتوبر ٢٠٢١", "２０２１年"), and such full dates as mentioned dates in
    # the languages not read in full ("3 września 2021"); fixtures html/dates_printed_polish.html,
    # html/dates_printed_arabic.html
    "11": "70e308e107fb31e3b6fd8d55b6c14f6aa724316d9d1c2ae943056f3b929cd208",
    # dates of other calendars (Thai Buddhist era, Solar Hijri, Japanese eras) and Lithuanian and Latvian ones;
    # the time printed beside a printed date line; a source declaring no language reads its printed date on
    # its language's clock; entities: line-ups' rows and substitutes, a legal form makes a company ("PT …"), a
    # name does not end on its surname's particle, a surname alone is its person whatever NER called it, a
    # title before "of" names an office, Scotland's team is a place; the zero-width (non-)joiner stays; fixtures
    # html/dates_printed_{thai,persian,time}.html, languages/{pl,ru,uk,bg,ro,sv,da,no,tr}.txt, text/entities_forms.txt
    "12": "b9890dd7365505dc0f3f81cb552eaa12fad9d117c288ec766479a3408c133093",
    # people in a language without an NER model: a known given name, then a surname (enrich/people.py); the
    # fixtures languages/{de,es,it,pl,ru}.txt name one person each, in full and by surname
    "13": "916c5258b0138ba90a97a03bea0e491722f78b0e3df0af5831a85e4b6fccafc3",
    # a line the site addresses to its reader about itself is not story text: an advertising label
    # ("Anzeige"), a call to follow, subscribe, support or download ("Folgen Sie uns", "Gefällt dir unser …?";
    # ingest/vocab/reader_prompts.tsv); a <time> marked as the last edit gives way to the published one beside
    # the headline, and so does a last edit printed with its clock ("Updated 3:45 PM EST, Sun March 14, 2021");
    # in a sports report a town and a word that is no name is the town's club ("Otelul Galati"); the wire leads
    # of other languages' agencies ("MADRID, 3 nov (EFE).-", "Berlin (dpa) -") and thirty more agencies; a web
    # page's wire lead that credits an agency, or names a known town ("KOBE – …"), gives its dateline (and
    # agency); a label or a column's salutation opening the story ("FILE PHOTO:", "DEAR ABBY:") is no
    # dateline; fixtures html/reader_prompts.html, html/dates_updated_time_first.html,
    # html/dates_updated_clock_first.html, html/wire_lead_credit.html, html/dateline_bare_place.html,
    # text/sports_town_clubs.txt, text/wire_lead_efe.txt, text/column_salutation.txt
    "14": "fb0eb93e56b13b4fa79217f985da74fb1768f9e9d8f36fab34d33b6f00f986d7",
}
GOLDEN = ("seeds", "tests/fixtures")
# the moment of reading the golden inputs (dates after it are not publication dates): fixed, so the digest
# does not change with the day the tests run
CLOCK = datetime(2026, 1, 1, tzinfo=UTC)
OPTIONS = ExtractOptions(parse=ParseOptions(html=HtmlOptions(now=CLOCK)), normalise=NormaliseOptions(now=CLOCK))


def golden_files() -> list[Path]:
    return sorted(p for folder in GOLDEN for p in (PROJECT_ROOT / folder).rglob("*")
                  if p.is_file() and not p.name.startswith(".") and p.suffix != ".md")


def golden_digest() -> str:
    """Every article and rejection the golden inputs become, `pipeline_version` left out, paths relative."""
    files = golden_files()
    results = [extract_file(str(p.relative_to(PROJECT_ROOT)), p.read_bytes(), OPTIONS) for p in files]
    digest = hashlib.sha256()
    for result in enrich_results(Enricher(EnrichOptions()), results):
        for article in result.articles:
            doc = article.to_dict()
            doc.pop("pipeline_version")
            digest.update(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode() + b"\n")
        for rejection in result.rejections:
            shown = rejection.to_dict()
            # the kind labels a rejection for counting (added after version 6): stage and reason say what it is
            shown["rejected"].pop("kind")
            digest.update(json.dumps(shown, sort_keys=True).encode() + b"\n")
    return digest.hexdigest()


def test_output_of_golden_inputs_is_pinned_to_the_pipeline_version() -> None:
    assert len(golden_files()) >= 10
    digest = golden_digest()
    assert DIGESTS.get(PIPELINE_VERSION) == digest, (
        f"what the golden inputs become changed (digest {digest}) but PIPELINE_VERSION is still "
        f"{PIPELINE_VERSION!r}: bump it in ingest/__init__.py and add the digest to DIGESTS in {__file__}")


def test_each_version_has_its_own_output() -> None:
    assert len(set(DIGESTS.values())) == len(DIGESTS), "two versions pin the same output: one bump was not needed"
