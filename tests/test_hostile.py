"""Hostile input: every kind of broken, odd or malicious seed file gets a defined outcome — indexed,
rejected with a reason a person understands, or skipped — and the run always completes.

The files are generated at test time (tests/hostile). Most tests call `extract_file` (no Elasticsearch);
one runs `ingest inspect` and one a whole `ingest run` over a folder of them.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from conftest import ingest_cli, jsonl
from hostile import (
    ACCENTED,
    ENCODED,
    EXCEPTION_NAME,
    IMPOSSIBLE_DATES,
    STORY,
    TITLE,
    Case,
    cases,
    story_json,
    write_corpus,
)

from ingest.config import Settings
from ingest.enrich import Enricher, EnrichOptions
from ingest.extract import ExtractOptions, FileResult, enrich_results, extract_file, extract_options
from ingest.logs import batch_summary_line, log_batch_summary, log_rejected, quiet_third_party, rejected_line
from ingest.parse import is_seed_file
from ingest.parse.json import MAX_RECORD_REJECTIONS
from ingest.parse.sniff import binary_kind, nesting_depth


@cache
def table() -> dict[str, Case]:
    return {case.name: case for case in cases()}


@cache
def extracted(name: str) -> FileResult:
    case = table()[name]
    return extract_file(case.name, case.data)


def human(reason: str) -> bool:
    """A reason for people: words, no exception class names, no traceback."""
    return bool(reason.strip()) and not EXCEPTION_NAME.search(reason) and len(reason) < 600


# ------------------------------------------------------------------------------------------ the table
@pytest.mark.parametrize("name", [c.name for c in cases()])
def test_every_hostile_file_gets_its_outcome(name: str) -> None:
    case = table()[name]
    if case.outcome == "skipped":
        assert not is_seed_file(case.name), "a non-seed type is skipped unread at discovery"
        return
    assert is_seed_file(case.name)
    result = extracted(name)
    assert not result.internal_error, [r.reason for r in result.rejections]
    for rejection in result.rejections:
        assert human(rejection.reason), rejection.reason
    if case.outcome == "indexed":
        assert result.articles, [r.reason for r in result.rejections]
        return
    assert not result.articles and result.rejections
    first = result.rejections[0]
    assert re.search(case.reason, first.reason), first.reason
    if case.stage:
        assert first.stage == case.stage


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_every_common_encoding_decodes_to_the_exact_text(name: str) -> None:
    text, _ = ENCODED[name]
    (article,) = extracted(name).articles
    if name.endswith(".txt"):
        title, _, body = text.strip().partition("\n\n")
        assert (article.title, article.body) == (title, body)
    else:
        assert ACCENTED in article.body
    assert "\ufffd" not in article.body and "Ã" not in article.body  # no replacement characters, no mojibake


def test_nul_and_control_characters_are_stripped_and_the_article_kept() -> None:
    for name in ("nul.txt", "controls.txt", "controls.json"):
        (article,) = extracted(name).articles
        assert ("Monday" in article.body and article.body.isprintable()) or "\n" in article.body
        assert not re.search(r"[\x00-\x08\x0e-\x1f\x7f]", article.body + (article.title or ""))


def test_content_under_the_wrong_name_is_read_as_what_it_is() -> None:
    assert [(a.source.format, a.title, a.body) for a in extracted("api-answer.html").articles] == [
        ("json", TITLE, STORY)]
    for name in ("saved-page.json", "page.txt"):
        (article,) = extracted(name).articles
        assert (article.source.format, article.title) == ("html", TITLE) and STORY in article.body


def test_binary_kinds_are_named() -> None:
    assert binary_kind(b"%PDF-1.4 ...") == "a PDF document"
    assert binary_kind(b"GIF89a\x01\x00") == "a GIF image"
    assert binary_kind(b"MZ" + bytes(500)) == "a Windows program"  # a weak signature, binary bytes
    assert binary_kind(b"MZ Hotels opened a new site in Berlin on Monday.") is None  # text that starts "MZ"
    assert binary_kind(STORY.replace(" ", "\x00", 3).encode()) is None  # a few NULs: still text


# ------------------------------------------------------------------------------------------ JSON
def test_json_depth_is_measured_without_recursion_and_ignores_strings() -> None:
    assert nesting_depth("[" * 100_000 + "]" * 100_000) == 100_000
    assert nesting_depth('{"a": "[[[[{{{{", "b": ["\\"]]]]"]}') == 2
    assert nesting_depth('{"text": "unterminated') == 1
    assert nesting_depth('"' + '\\"' * 200_000) == 0  # escaped quotes: linear, no regex backtracking per quote


def test_partly_bad_jsonl_keeps_the_good_lines_and_rejects_each_bad_line_alone() -> None:
    result = extracted("partly-bad.jsonl")
    assert [a.body for a in result.articles] == [STORY, STORY + " Again."]
    reasons = {r.source.record: r.reason for r in result.rejections}
    assert sorted(reasons) == [1, 2, 3, 5]
    assert reasons[1].startswith("line 2: invalid JSON")
    assert reasons[2] == "line 3: a record must be a JSON object, not a number (42)"
    assert reasons[3] == "line 4: JSON nested deeper than 1,000 levels"
    assert reasons[5].startswith("line 6: no article text in any of")


def test_a_line_separator_inside_a_jsonl_string_does_not_split_the_record() -> None:
    data = story_json(STORY + "\u2028Second paragraph.").replace(b"\\u2028", "\u2028".encode()) + b"\n" + story_json()
    result = extract_file("feed.jsonl", data)
    assert len(result.articles) == 2 and not result.rejections


def test_record_rejections_are_capped_per_file() -> None:
    data = b"\n".join([story_json(), *([b"{}"] * (MAX_RECORD_REJECTIONS + 500))])
    result = extract_file("many.jsonl", data)
    assert len(result.articles) == 1
    assert len(result.rejections) == MAX_RECORD_REJECTIONS + 1
    assert result.rejections[-1].reason.startswith("500 more records rejected (1,500 in all")


# ------------------------------------------------------------------------------------------ HTML, entities
def test_html_entities_are_decoded() -> None:
    (article,) = extracted("entities.html").articles
    assert "Café & bar €5 €6 <b>" in article.body


@pytest.mark.parametrize("name", ["xxe.xhtml", "param-entity.html"])
def test_external_entities_are_never_resolved(name: str) -> None:
    (article,) = extracted(name).articles
    passwd = Path("/etc/passwd").read_text().splitlines()[0]
    text = f"{article.title} {article.body}"
    assert passwd not in text and "root:" not in text
    assert "&xxe;" not in text and "&net;" not in text  # the reference is dropped, not shown
    assert STORY in article.body


@pytest.mark.parametrize("name", ["laughs.xhtml", "laughs-title.html"])
def test_entity_bombs_do_not_expand(name: str) -> None:
    (article,) = extracted(name).articles
    text = f"{article.title} {article.body}"
    assert "lol" not in text
    assert len(article.body) < 2 * len(STORY) + 100


def test_deep_json_ld_is_ignored_and_the_page_read() -> None:
    (article,) = extracted("deep-jsonld.html").articles
    assert article.title == TITLE and STORY in article.body


# ------------------------------------------------------------------------------------------ compressed
def test_a_compressed_seed_gives_the_same_article_as_the_plain_one() -> None:
    (plain,) = extract_file("story.json", story_json()).articles
    (packed,) = extracted("story.json.gz").articles
    assert packed.id == plain.id and packed.body == plain.body  # same content, same id: no duplicate
    assert packed.source.path == "story.json.gz" and packed.source.format == "json"
    assert packed.source.sha256 != plain.source.sha256  # the ledger hashes the file as stored
    assert len(extracted("story.jsonl.xz").articles) == 2


def test_the_decompression_cap_follows_the_size_limit() -> None:
    import gzip

    data = gzip.compress(story_text_of(1_200_000))
    small = extract_file("big.txt.gz", data, extract_options(max_file_mb=1))
    assert [r.reason for r in small.rejections] == [
        "decompresses to more than 1 MB (the INGEST_MAX_FILE_MB limit)"]
    big = extract_file("big.txt.gz", data, extract_options(max_file_mb=2))
    assert [r.reason for r in big.rejections] == [
        "article text of 1,204,228 characters is longer than any article (limit 1,000,000)"]  # read, not capped


def story_text_of(size: int) -> bytes:
    line = (STORY + "\n").encode()
    return f"{TITLE}\n\n".encode() + line * (size // len(line))


# ------------------------------------------------------------------------------------------ dates, fields
@pytest.mark.parametrize("name", IMPOSSIBLE_DATES)
def test_impossible_dates_never_become_a_date(name: str) -> None:
    (article,) = extracted(name).articles
    assert article.published_at is None
    assert "missing_date" in article.quality_flags


def test_a_real_leap_day_is_kept() -> None:
    (article,) = extract_file("leap.json", story_json(date="2020-02-29")).articles
    assert article.published_at is not None and article.published_at.date().isoformat() == "2020-02-29"


def test_a_date_without_a_day_is_not_guessed() -> None:
    for value in ("-1", "12 hours ago", "Monday"):
        (article,) = extract_file("x.json", story_json(date=value)).articles
        assert article.published_at is None, value


def test_a_declared_language_must_look_like_one() -> None:
    (article,) = extracted("language.json").articles
    assert article.language != "x" * 40_000
    (tagged,) = extract_file("x.json", story_json(language="en-GB")).articles
    assert tagged.language == "en-GB"


def test_lone_surrogates_in_json_never_reach_the_encoder() -> None:
    (article,) = extracted("surrogates.json").articles
    json.dumps(article.to_dict(), ensure_ascii=False).encode()  # what the bulk request does
    assert "Mon\ufffdday" in article.body or "Monday" in article.body


# ------------------------------------------------------------------------------------------ enrichment guard
@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(EnrichOptions())


def test_a_document_that_breaks_enrichment_rejects_only_its_own_file(enricher: Enricher) -> None:
    """A body longer than spaCy's max_length makes nlp.pipe raise (E088) for real: the chunk is retried
    one document at a time and only that document's file is rejected, at stage `enrich`."""
    too_long = STORY + " " + "word " * (enricher.nlp.max_length // 5 + 10)
    options = ExtractOptions(max_body_chars=10 * enricher.nlp.max_length)
    files = [
        extract_file("a.json", story_json(), options),
        extract_file("broken.json", story_json(too_long), options),
        extract_file("b.txt", f"{TITLE}\n\n{STORY} Portsmouth again.\n".encode(), options),
        extract_file("mixed.jsonl", story_json(too_long) + b"\n" + story_json(STORY + " Mixed."), options),
    ]
    a, broken, b, mixed = enrich_results(enricher, files)
    for ok in (a, b):
        assert not ok.rejections and "Portsmouth" in ok.articles[0].entities.location
    assert not broken.articles and broken.internal_error
    (rejection,) = broken.rejections
    assert rejection.stage == "enrich" and rejection.kind == "enrich_error"
    assert rejection.reason.startswith("a bug in the pipeline while enriching this document")
    assert [x.body for x in mixed.articles] == [STORY + " Mixed."]  # the other record of the file lands
    assert [(r.source.record, r.stage) for r in mixed.rejections] == [(0, "enrich")]


# ------------------------------------------------------------------------------------------ logs
class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def root_records() -> Iterator[Collect]:
    """What reaches the root logger's handlers (Airflow's task log, the CLI's stderr). Not caplog: pytest
    also hooks its capture into loggers that do not propagate."""
    root, handler = logging.getLogger(), Collect()
    level = root.level
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_third_party_page_noise_goes_below_warning(root_records: Collect) -> None:
    quiet_third_party()
    quiet_third_party()  # idempotent
    assert sum(type(h).__name__ == "_ToDebug" for h in logging.getLogger("trafilatura").handlers) == 1
    logging.getLogger().setLevel(logging.INFO)
    logging.getLogger("trafilatura.core").warning("discarding data: %s", None)
    logging.getLogger("htmldate.validators").error("value error during conversion")
    extract_file("scripts.html", table()["scripts.html"].data)  # the real thing: trafilatura's "discarding data"
    assert not root_records.records
    logging.getLogger().setLevel(logging.DEBUG)
    logging.getLogger("trafilatura.core").error("empty HTML tree: %s", "x")
    assert [(r.name, r.levelname, r.getMessage()) for r in root_records.records][-1:] == [
        ("ingest.thirdparty.trafilatura.core", "DEBUG", "ERROR: empty HTML tree: x")]


def test_one_line_per_request_only_when_debugging(root_records: Collect) -> None:
    """The Elasticsearch client's line per request is DEBUG; its warnings (a node down, a retry) stay."""
    quiet_third_party()
    quiet_third_party()
    client_log = logging.getLogger("elastic_transport.transport")
    logging.getLogger().setLevel(logging.INFO)
    client_log.info("POST %s [status:%s duration:%.3fs]", "http://127.0.0.1:9200/_bulk", 200, 0.031)
    client_log.warning("Node <Urllib3HttpNode(http://127.0.0.1:9200)> has failed for 1 times in a row")
    assert [(r.name, r.levelname) for r in root_records.records] == [("elastic_transport.transport", "WARNING")]
    logging.getLogger().setLevel(logging.DEBUG)
    client_log.info("POST %s [status:%s duration:%.3fs]", "http://127.0.0.1:9200/_bulk", 200, 0.031)
    assert [(r.name, r.levelname, r.getMessage()) for r in root_records.records][-1:] == [
        ("ingest.thirdparty.elastic_transport.transport", "DEBUG",
         "INFO: POST http://127.0.0.1:9200/_bulk [status:200 duration:0.031s]")]


def test_one_line_per_rejected_file_and_per_batch(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="ingest"):
        log_rejected("news/evil\nINFO forged line.json", "parse", "JSON nested deeper than 1,000 levels")
        log_batch_summary("batch 3 of run r1", {"indexed_files": 97, "rejected": 3, "deleted": 0}, 12.34)
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "rejected news/evil\\nINFO forged line.json [parse] JSON nested deeper than 1,000 levels",
        "batch 3 of run r1: 100 files in 12.3 s: indexed_files=97 rejected=3",
    ]
    assert [r.levelname for r in caplog.records] == ["WARNING", "INFO"]
    assert rejected_line("a.txt", None, None) == "rejected a.txt [unknown] no reason given"
    assert batch_summary_line("b", {}) == "b: 0 files: nothing to do"


def test_ingest_inspect_over_hostile_files_is_quiet_and_complete(tmp_path: Path) -> None:
    names = [c.name for c in cases() if c.outcome != "skipped" and not c.name.startswith(("one-line", "bomb"))]
    corpus = {name: table()[name] for name in names}
    for case in corpus.values():
        (tmp_path / case.name).write_bytes(case.data)
    result = ingest_cli(Settings(source=str(tmp_path)), "inspect", *(str(tmp_path / n) for n in names),
                        check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not re.search(r"(?m)^(?:ERROR|WARNING|CRITICAL)\b", result.stderr), result.stderr[-2000:]
    seen = {Path(doc["source"]["path"]).name for doc in jsonl(result.stdout)}
    assert seen == set(names)


# ------------------------------------------------------------------------------------------ end to end
def ledger_rows(settings: Settings) -> Iterator[dict[str, object]]:
    status = jsonl(ingest_cli(settings, "status", "--json", "--files").stdout)[0]
    yield from status["entries"]


def test_a_run_over_a_folder_of_hostile_files_completes_and_every_file_has_its_state(settings: Settings) -> None:
    source = Path(settings.source)
    corpus = write_corpus(source)
    (source / "good.txt").write_text(f"Good story one\n\n{STORY} One.\n")
    (source / "good.json").write_bytes(story_json(STORY + " Two."))
    run = ingest_cli(settings, "run", "--json", "--workers", "1", check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    report = jsonl(run.stdout)[-1]
    assert report["state"] == "success" and report["counts"]["internal_errors"] == 0
    rows = {Path(str(row["path"])).name: row for row in ledger_rows(settings)}
    assert set(rows) == {*corpus, "good.txt", "good.json"}, "every file has a ledger entry"
    assert rows["good.txt"]["state"] == rows["good.json"]["state"] == "indexed"
    for name, case in corpus.items():
        row = rows[name]
        assert row["state"] == case.outcome, (name, row)
        if case.outcome != "indexed":
            assert row["reason"] and human(str(row["reason"])), (name, row)
        if case.outcome == "rejected":
            assert re.search(case.reason, str(row["reason"])), (name, row)
    assert len(rows["partly-bad.jsonl"]["doc_ids"]) == 2  # type: ignore[arg-type]
    # every rejected file has a kind; the run report counts them by kind as the ledger has them, and so does
    # `ingest status` (JSON and words)
    kinds = Counter(str(row["kind"]) for row in rows.values() if row["state"] == "rejected")
    assert all(row["kind"] for row in rows.values() if row["state"] == "rejected")
    assert report["counts"]["rejected_by_kind"] == dict(kinds) and sum(kinds.values()) == report["counts"]["rejected"]
    status = jsonl(ingest_cli(settings, "status", "--json").stdout)[0]
    assert status["rejected_by_kind"] == dict(kinds) == status["last_run"]["counts"]["rejected_by_kind"]
    words = ingest_cli(settings, "status").stdout
    assert "rejected files by kind:" in words
    assert all(re.search(rf"(?m)^  {kind} +{n}$", words) for kind, n in kinds.items()), words
    search = jsonl(ingest_cli(settings, "search", "harbour bridge", "--json", "--size", "100").stdout)[0]
    assert search["total"] >= 2


def test_a_zero_width_non_joiner_is_part_of_the_word_and_stays() -> None:
    # Persian spells words with U+200C ("می‌شود": "is being"); dropping it joins letters that must not join
    text = "گزارش تازه\n\nاین طرح از ماه آینده اجرا می\u200cشود و هزینه\u200cها را کاهش می\u200cدهد، به گفته وزارت."
    (article,) = extract_file("fa.txt", text.encode()).articles
    assert "می\u200cشود" in article.body and "\u200c" in article.body
