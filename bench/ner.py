"""Document-level NER evaluation on CoNLL-2003 (dev half of eng.testb): our enrichment vs bare spaCy.

    .venv/bin/python bench/ner.py [--limit N] [--half odd|even] [--json] [--errors] [--as-files]

Corpus: ../shared/corpus/conll2003/dev.conll relative to the repo root (read in place, never copied).
Each CoNLL document becomes an Article: its first sentence (the ALL-CAPS headline) is the title, the
other sentences, one a line, the body. Tokens are re-joined with the usual spacing rules.
With --as-files each document is instead given as the holdout half gives its documents (holdout_text/:
the headline, a blank line, one sentence a line, tokens joined by spaces) and read by the pipeline's own
text reader, language detection included, as `ingest inspect` reads a file: what the held-out measure
sees. Surface forms compare without the space a tokeniser puts before punctuation.

Metric (document level, micro-averaged over documents, PER/ORG/LOC only; MISC is ignored on both sides):
- gold: the set of (type, surface form) of the gold entities of a document;
- ours: the entity names the analyst sees in `Article.entities` (person → PER, organization → ORG,
  location → LOC), each with the mention texts linked to it (its aliases) in `entity_mentions`;
- bare spaCy: the set of (type, ent.text) with PERSON → PER, ORG → ORG, GPE/LOC → LOC;
- surface forms are compared case-insensitively with whitespace collapsed ("JAPAN" = "Japan").
Two scores:
- `linked` (the headline figure): a gold (type, form) is found when an entity of that type has the
  form as its canonical name or as one of its linked mention texts; an entity is correct when its
  canonical name or one of its mention texts is a gold form of its type. P = correct entities /
  entities, R = found gold forms / gold forms. Canonical names like "United States" for "U.S." are
  thus neither rewarded nor punished; an entity whose mentions are all wrong counts as wrong.
- `strict`: canonical names only, exact set intersection with the gold forms (penalises every
  canonicalisation: "U.S." → "United States" costs one false positive and one false negative).
For bare spaCy both scores are the same (its name is its only mention text).

Throughput: words (whitespace tokens of title + body) per second, model loading excluded, each system
on the same texts in the same run. `bare` runs spaCy's full default pipeline (what `nlp(text)` does);
ours loads only the components NER needs, so `ours_nlp_only` (that reduced pipeline alone on the same
texts) is printed too: ours / ours_nlp_only is the cost of the post-processing itself.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.enrich import Enricher, EnrichOptions  # noqa: E402
from ingest.extract import extract_file  # noqa: E402
from ingest.records import Article, SourceInfo  # noqa: E402

CONLL = ROOT.parent / "shared" / "corpus" / "conll2003" / "dev.conll"
OURS = {"person": "PER", "organization": "ORG", "location": "LOC"}
BARE = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
_NO_SPACE_BEFORE = {",", ".", ":", ";", "?", "!", ")", "]", "}", "%", "'s", "n't", "'", "'re", "'ve", "'ll", "'d"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


@dataclass
class Doc:
    title: str
    body: str
    gold: set[tuple[str, str]]
    tokenised: str = ""  # the holdout's file layout: headline, blank line, one sentence a line, tokens spaced


def key(text: str) -> str:
    """A surface form compared: case-folded, spaces collapsed, and no space before the punctuation a
    tokeniser splits off ("McDonald 's" = "McDonald's"), so tokenised and re-joined text compare equal."""
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return re.sub(r" (?=[,.:;?!)'%]|n't)|(?<=[($]) ", "", text)


def read_conll(path: Path) -> list[Doc]:
    docs: list[Doc] = []
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split()
        if cols and cols[0] == "-DOCSTART-":
            docs.extend(_doc(sentences))
            sentences = [[]]
        elif not cols:
            sentences.append([])
        else:
            sentences[-1].append((cols[0], cols[-1]))
    docs.extend(_doc(sentences))
    return docs


def _doc(sentences: list[list[tuple[str, str]]]) -> list[Doc]:
    sentences = [s for s in sentences if s]
    if not sentences:
        return []
    gold: set[tuple[str, str]] = set()
    lines = []
    for sentence in sentences:
        text, spans = _detokenise(sentence)
        lines.append(text)
        gold.update((etype, key(text[s:e])) for etype, s, e in spans if etype in ("PER", "ORG", "LOC"))
    spaced = [" ".join(token for token, _ in sentence) for sentence in sentences]
    tokenised = "\n".join([spaced[0], "", *spaced[1:]]) + "\n"
    return [Doc(lines[0], "\n".join(lines[1:]), gold, tokenised)]


def _detokenise(tokens: list[tuple[str, str]]) -> tuple[str, list[tuple[str, int, int]]]:
    """Sentence text and its IOB1 entity spans (type, start, end)."""
    text = ""
    spans: list[tuple[str, int, int]] = []
    prev_tag, prev_tok = "O", ""
    for token, tag in tokens:
        if text and token not in _NO_SPACE_BEFORE and prev_tok not in _NO_SPACE_AFTER:
            text += " "
        start = len(text)
        text += token
        etype = tag[2:] if tag != "O" else ""
        if etype and prev_tag[2:] == etype and not tag.startswith("B-"):
            kind, s, _ = spans[-1]
            spans[-1] = (kind, s, len(text))
        elif etype:
            spans.append((etype, start, len(text)))
        prev_tag, prev_tok = tag, token
    return text, spans


def article(doc: Doc, n: int) -> Article:
    source = SourceInfo(path=f"conll/{n}", format="text", sha256="", size=0)
    return Article(
        id=str(n),
        source=source,
        title=doc.title,
        body=doc.body,
        lead=None,
        published_at=None,
        published_at_source=None,
        publisher=None,
        agency=None,
        authors=(),
        dateline=None,
        section=(),
        language="en",
        word_count=0,
        pipeline_version="bench",
    )


def read_file(doc: Doc, n: int) -> Article:
    """The document as the holdout gives it, a text file, read by the pipeline's own reader."""
    result = extract_file(f"conll/doc{n:03d}.txt", doc.tokenised.encode())
    if len(result.articles) != 1:
        raise SystemExit(f"doc {n}: the reader made {len(result.articles)} articles ({result.rejections})")
    return result.articles[0]


def our_entities(enriched: Article) -> list[tuple[str, str, set[str]]]:
    """(type, canonical, {canonical and linked mention texts}) for every entity the analyst sees."""
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in enriched.entity_mentions:
        aliases[(m.type, m.canonical)].add(key(m.text))
    out = []
    for etype, label in OURS.items():
        for name in getattr(enriched.entities, etype):
            out.append((label, key(name), aliases[(etype, name)] | {key(name)}))
    return out


def score(preds: list[list[tuple[str, str, set[str]]]], docs: list[Doc]) -> dict[str, Any]:
    counts = {"linked": [0, 0, 0, 0], "strict": [0, 0, 0]}  # linked: correct, n_pred, found, n_gold
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for pred, doc in zip(preds, docs, strict=True):
        forms = {(t, f) for t, _, names in pred for f in names}
        for t, _name, names in pred:
            ok = any((t, f) in doc.gold for f in names)
            _add(counts["linked"], per_type[t], 0, 1, ok)
        for t, f in doc.gold:
            _add(counts["linked"], per_type[t], 2, 3, (t, f) in forms)
        strict = {(t, name) for t, name, _ in pred}
        counts["strict"][0] += len(strict & doc.gold)
        counts["strict"][1] += len(strict)
        counts["strict"][2] += len(doc.gold)
    c, n, f, g = counts["linked"]
    result = {
        "linked": _prf(c, n, f, g),
        "strict": _prf(*counts["strict"][:2], counts["strict"][0], counts["strict"][2]),
    }
    result["by_type"] = {t: _prf(*v) for t, v in sorted(per_type.items())}
    return result


def _add(total: list[int], typed: list[int], hit: int, seen: int, ok: bool) -> None:
    for counter in (total, typed):
        counter[seen] += 1
        counter[hit] += int(ok)


def _prf(correct: int, n_pred: int, found: int, n_gold: int) -> dict[str, float]:
    p = correct / n_pred if n_pred else 0.0
    r = found / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}


def run_bare(model: str, texts: list[str], batch_size: int) -> tuple[list[Any], float]:
    import spacy

    nlp = spacy.load(model)
    list(nlp.pipe(texts[:4]))  # warm up
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    return docs, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="first N documents only")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", action="store_true", help="print false positives/negatives per document")
    parser.add_argument("--half", choices=("odd", "even"), help="only odd- or even-indexed documents (overfit check)")
    parser.add_argument("--conll", type=Path, default=CONLL)
    parser.add_argument("--as-files", action="store_true",
                        help="feed each document as the holdout's text file (tokenised, one sentence a line) "
                             "through the whole reader, as `ingest inspect` does, instead of a built Article")
    args = parser.parse_args()
    docs = read_conll(args.conll)[: args.limit or None]
    if args.half:
        docs = docs[int(args.half == "odd") :: 2]
    options = EnrichOptions(detect_language=args.as_files)
    articles = [read_file(d, i) if args.as_files else article(d, i) for i, d in enumerate(docs)]
    texts = [t for d in docs for t in (d.title, d.body)]
    words = sum(len(t.split()) for t in texts)

    enricher = Enricher(options)
    list(enricher.enrich_many(articles[:2]))  # load model and gazetteer outside the timing
    t0 = time.perf_counter()
    enriched = list(enricher.enrich_many(articles))
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    list(enricher.nlp.pipe(texts, batch_size=options.batch_size))
    nlp_only_s = time.perf_counter() - t0
    bare_docs, bare_s = run_bare(options.spacy_model, texts, options.batch_size)

    ours = [our_entities(a) for a in enriched]
    bare = [_bare_entities(bare_docs[2 * i : 2 * i + 2]) for i in range(len(docs))]
    report = {
        "corpus": str(args.conll),
        "documents": len(docs),
        "words": words,
        "model": options.spacy_model,
        "date": datetime.now(UTC).date().isoformat(),
        "ours": {**score(ours, docs), "words_per_s": round(words / ours_s)},
        "bare": {**score(bare, docs), "words_per_s": round(words / bare_s)},
        "ours_nlp_only_words_per_s": round(words / nlp_only_s),
        "time_ratio_ours_vs_bare": round(ours_s / bare_s, 3),
        "time_ratio_ours_vs_ours_nlp_only": round(ours_s / nlp_only_s, 3),
    }
    if args.errors:
        _print_errors(ours, docs)
    print(json.dumps(report, indent=2) if args.json else _table(report))


def _bare_entities(pair: list[Any]) -> list[tuple[str, str, set[str]]]:
    found = {(BARE[e.label_], key(e.text)) for doc in pair for e in doc.ents if e.label_ in BARE}
    return [(t, name, {name}) for t, name in sorted(found)]


def _print_errors(preds: list[list[tuple[str, str, set[str]]]], docs: list[Doc]) -> None:
    for i, (pred, doc) in enumerate(zip(preds, docs, strict=True)):
        forms = {(t, f) for t, _, names in pred for f in names}
        fp = sorted((t, n) for t, n, names in pred if not any((t, f) in doc.gold for f in names))
        fn = sorted(g for g in doc.gold if g not in forms)
        if fp or fn:
            print(f"doc {i}: {doc.title[:60]}\n  FP {fp}\n  FN {fn}")


def _table(report: dict[str, Any]) -> str:
    lines = [
        f"CoNLL-2003 dev: {report['documents']} documents, {report['words']} words, model {report['model']}",
        f"{'system':8} {'metric':8} {'P':>6} {'R':>6} {'F1':>6} {'words/s':>9}",
    ]
    for name in ("ours", "bare"):
        sys_report = report[name]
        for metric in ("linked", "strict"):
            m = sys_report[metric]
            lines.append(
                f"{name:8} {metric:8} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f} {sys_report['words_per_s']:9d}"
            )
        for etype, m in sys_report["by_type"].items():
            lines.append(f"{'':8} {etype:8} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f}")
    lines.append(f"ours (NER components only, no post-processing): {report['ours_nlp_only_words_per_s']} words/s")
    lines.append(
        f"time ours / bare: {report['time_ratio_ours_vs_bare']}; "
        f"ours / its own NER alone: {report['time_ratio_ours_vs_ours_nlp_only']}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    main()
