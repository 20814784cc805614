"""Scale benchmark: every figure of issue 8 measured in ONE run, reported as ratios.

    .venv/bin/python bench/scale.py                  # all parts (needs the node of `make run`, or ES_URL)
    .venv/bin/python bench/scale.py --parts ner,run  # some of: ner, run, dag, dag-cold, discovery, big
    options: --limit N (BBC files), --workers N (default: cores), --discovery-sizes 10000,100000, --json

- ner:       bare spaCy NER alone (the same model, tok2vec + ner only, `nlp.pipe` with N processes) over the
             BBC texts (../shared/corpus/bbc, read in place): the model's own limit, docs/s. Also the same
             with `ner` alone (`bare_ner_only`): what the pipeline itself loads, since the shared tok2vec
             feeds only the tagger and parser (ingest.enrich.load_pipeline); ratios against both.
- run:       `ingest run --workers N` over the same texts into a throwaway alias, then the no-change re-run.
- dag:       the DAG under the real scheduler (scripts/airflow_local.py: api-server, scheduler,
             dag-processor, LocalExecutor with parallelism = N) triggered through the REST API, timed from
             the trigger to the end Airflow records for the run. A stack runs for days: a first, small run
             (`warm_up`, timed too) starts the executor's workers and their forkserver, which loads the
             model once (as the bare NER loads it before its clock starts).
- dag-cold:  the same DAG with the LocalExecutor's workers forked from the scheduler
             (MP_START_METHOD=fork) instead of the forkserver that preloads the model (ingest/preload.py):
             what the preload saves. Not in the default parts.
- discovery: peak memory of a process that discovers N generated small files and stores the report
             (10k and 100k; `--discovery-sizes` adds 1000000): once with an empty ledger (all new), once
             with an entry per file (all unchanged); then `ingest status --files --json` over that ledger.
- big:       the DAG under the real scheduler over 21,000 generated small files with default settings,
             and over 1,030 with INGEST_BATCH_SIZE=1 (more batches than Airflow would map): every file
             indexed, the run successful, the mapped tasks under INGEST_MAX_BATCHES. Not in the default
             parts (about 25 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "corpus" / "bbc"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def bbc_texts(limit: int | None) -> list[Path]:
    files = sorted(BBC.glob("*/*.txt"))
    return files[:limit] if limit else files


def bare_ner(files: list[Path], workers: int, with_tok2vec: bool = True) -> dict[str, Any]:
    import spacy

    from ingest.config import load_settings

    exclude = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", *([] if with_tok2vec else ["tok2vec"])]
    nlp = spacy.load(load_settings().spacy_model, exclude=exclude)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    start = time.perf_counter()
    entities = sum(len(doc.ents) for doc in nlp.pipe(texts, n_process=workers, batch_size=64))
    took = time.perf_counter() - start
    return {"docs": len(texts), "seconds": round(took, 1), "docs_per_s": round(len(texts) / took, 1),
            "entities": entities, "pipes": nlp.pipe_names}


def source_copy(files: list[Path], tmp: Path) -> Path:
    """The BBC texts under one folder (symlinks would be skipped as links out of the root: copies)."""
    import shutil

    folder = tmp / "bbc"
    for path in files:
        target = folder / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return folder


def cleanup(settings: Any) -> None:
    from ingest.index import connect

    es = connect(settings)
    names = list(es.options(ignore_status=404).indices.get(index=f"{settings.index_alias}-*"))
    if names:
        es.indices.delete(index=",".join(names))


def ingest_run(source: Path, workers: int) -> dict[str, Any]:
    from ingest.config import load_settings
    from ingest.pipeline import RunOptions, run_once

    settings = load_settings().with_overrides(source=str(source), index_alias=f"bench-{uuid.uuid4().hex[:8]}")
    try:
        start = time.perf_counter()
        first = run_once(settings, f"bench-{uuid.uuid4().hex[:8]}", RunOptions(), workers=workers).to_dict()
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        again = run_once(settings, f"bench-{uuid.uuid4().hex[:8]}", RunOptions(), workers=workers).to_dict()
        again_s = time.perf_counter() - start
    finally:
        cleanup(settings)
    files = first["counts"]["discovered"]
    return {"state": first["state"], "files": files, "seconds": round(first_s, 1),
            "docs_per_s": round(files / first_s, 1), "indexed_docs": first["counts"]["indexed_docs"],
            "rerun_s": round(again_s, 2),
            "rerun_writes": again["counts"]["indexed_docs"] + again["counts"]["deleted_docs"],
            "rerun_unchanged": again["counts"]["unchanged"]}


def dag_run(source: Path, workers: int, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """A run of seed_ingest triggered through the REST API of a scheduler started here, after a small first
    run (two files, two batches) that starts the executor's workers."""
    import airflow_local as af

    from ingest.config import load_settings
    from ingest.index import connect

    settings = load_settings().with_overrides(source=str(source), index_alias=f"bench-{uuid.uuid4().hex[:8]}")
    with tempfile.TemporaryDirectory() as home_dir:
        home = Path(home_dir)
        stack = af.Stack(home=home, port=af.local_es.free_port())
        env = af.stack_env(stack, os.environ, extra={
            "ES_URL": settings.es_url, "ES_USERNAME": settings.es_username or "",
            "ES_PASSWORD": settings.es_password or "", "INGEST_SOURCE": str(source),
            "INGEST_INDEX": settings.index_alias, "INGEST_SCHEDULE": "none",
            "INGEST_ALLOWED_ROOTS": f"{source}:{home / 'warm-up'}",
            "AIRFLOW__CORE__PARALLELISM": str(workers), "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
            **(extra or {})})
        components = af.local_components()
        try:
            af.migrate(stack, env)
            af.ensure_password_file(stack)
            af.start(stack, components, env)
            api = af.wait_until_up(stack, components)
            api.unpause()
            warm_up = timed_run(api, {"source": str(write_small_files(home / "warm-up", 2)), "batch_size": 1,
                                      "index": f"{settings.index_alias}-warm-up"})
            took, done = timed_run(api, {})
            instances = api.task_instances(done["dag_run_id"])
            tasks = len(instances)
            es = connect(settings)
            indexed = es.count(index=settings.index_alias)["count"]
            stored = es.search(index=settings.runs_index, size=1)["hits"]["hits"]
            counts = stored[0]["_source"]["counts"] if stored else {}
            rejected = es.search(index=settings.ledger_index, size=5, query={"term": {"state": "rejected"}})
            reasons = [(h["_source"]["path"], h["_source"]["stage"], h["_source"]["reason"])
                       for h in rejected["hits"]["hits"]]
        finally:
            af.stop(home)
            cleanup(settings)
    files = len(list(source.rglob("*.txt")))
    return {"state": done.get("state"), "files": files, "seconds": round(took, 1),
            "warm_up": {"state": warm_up[1].get("state"), "seconds": round(warm_up[0], 1)},
            "docs_per_s": round(files / took, 1), "task_instances": tasks, "timeline": timeline(instances),
            "indexed_docs": indexed,
            "report_counts": counts, "some_rejections": reasons}


def timed_run(api: Any, conf: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """Seconds from the trigger to the end Airflow recorded for the run (not to when polling saw it), and
    the run."""
    import airflow_local as af

    triggered = time.time()
    run = api.trigger(conf)
    done = af.wait_for_run(api, run["dag_run_id"], timeout=3600, log_names=["scheduler"])
    return datetime.fromisoformat(done["end_date"]).timestamp() - triggered, done


def timeline(instances: list[dict[str, Any]]) -> dict[str, Any]:
    """Seconds from the first task's start: when each step began and ended (the mapped batches as one step,
    first start to last end), and the summed run time of the batch tasks."""
    def at(value: str | None) -> float:
        return datetime.fromisoformat(value).timestamp() if value else float("nan")

    origin = min(at(t["start_date"]) for t in instances)
    steps: dict[str, Any] = {}
    for name in ("ensure_index", "discover", "process_batch", "report"):
        mine = [t for t in instances if t["task_id"] == name]
        if mine:
            steps[name] = [round(min(at(t["start_date"]) for t in mine) - origin, 1),
                           round(max(at(t["end_date"]) for t in mine) - origin, 1)]
    batches = [t for t in instances if t["task_id"] == "process_batch"]
    steps["batch_task_seconds"] = [round(at(t["end_date"]) - at(t["start_date"]), 1) for t in batches]
    return steps


def big_runs(workers: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for files, extra in ((21_000, {}), (1_030, {"INGEST_BATCH_SIZE": "1"})):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "small"
            write_small_files(folder, files)
            figures[f"{files}_files{'_batch_size_1' if extra else ''}"] = dag_run(folder, workers, extra)
    return figures


def write_small_files(folder: Path, count: int) -> Path:
    for n in range(count):
        sub = folder / f"{n // 1000:04d}"
        if n % 1000 == 0:
            sub.mkdir(parents=True)
        (sub / f"{n:07d}.txt").write_text(f"Note {n}\n\nA short note number {n} about the county board.\n")
    return folder


DISCOVERY_CHILD = """
import json, resource, sys, time
from ingest.config import load_settings
from ingest.pipeline import RunOptions, discover, ensure_index, report
settings = load_settings().with_overrides(source=sys.argv[1], index_alias=sys.argv[2])
ensure_index(settings)
start = time.perf_counter()
planning = discover(settings, sys.argv[3], RunOptions())
took = time.perf_counter() - start
report(settings, sys.argv[3], [None] * 0, options=RunOptions(delete_missing=False))
print(json.dumps({"seconds": round(took, 1), "batches": len(planning.batches),
                  "new": planning.counts.new, "unchanged": planning.counts.unchanged,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def discovery_memory(sizes: tuple[int, ...]) -> dict[str, Any]:
    """Peak memory of a process that discovers N small files and stores the run's report (manifests written
    and dropped): first with an empty ledger (every file new), then again with a ledger entry for each file
    (every file unchanged: the listing and the ledger merged as two streams)."""
    from ingest.config import load_settings

    figures: dict[str, Any] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            write_small_files(Path(tmp), size)
            settings = load_settings().with_overrides(source=tmp, index_alias=f"bench-{uuid.uuid4().hex[:8]}")
            try:
                first = discovery_child(settings, "first")
                fill_ledger(settings)
                again = discovery_child(settings, "again")
                status = status_child(settings)
            finally:
                cleanup(settings)
            assert first["new"] == size and again["unchanged"] == size, (first, again)
            assert status["files"] == size, status
            figures[str(size)] = {"first": first, "again": again, "status": status}
    return figures


def status_child(settings: Any) -> dict[str, Any]:
    """`ingest status --files --json` over that ledger (its output counted, not kept): peak RSS and time."""
    from ingest.config import PROJECT_ROOT

    env = {**os.environ, "INGEST_INDEX": settings.index_alias}  # the node of the bench's own settings
    start = time.perf_counter()
    child = subprocess.Popen([str(PROJECT_ROOT / ".venv" / "bin" / "ingest"), "status", "--files", "--json"],
                             stdout=subprocess.PIPE, env=env, cwd=ROOT)
    assert child.stdout is not None
    size, tail = 0, b""
    while block := child.stdout.read(1 << 20):
        size, tail = size + len(block), (tail + block)[-200:]
    _, status, usage = os.wait4(child.pid, 0)
    assert status == 0, f"ingest status exited {status}"
    files = json.loads(subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "ingest"), "status", "--json"], env=env,
                                      capture_output=True, text=True, check=True, cwd=ROOT).stdout)["files"]
    return {"seconds": round(time.perf_counter() - start, 1), "files": files, "output_mb": round(size / 2**20, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "ends_well": tail.endswith(b"]}\n")}


def discovery_child(settings: Any, run_id: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", DISCOVERY_CHILD, settings.source, settings.index_alias, run_id],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def fill_ledger(settings: Any) -> None:
    """A ledger entry for every file, as if a run had indexed them all (content hashes included), so the
    next discovery finds each one unchanged."""
    from ingest import PIPELINE_VERSION, ledger, sources
    from ingest.index import connect

    es = connect(settings)
    entries = (ledger.LedgerEntry(file=replace(listed.file, sha256=sources.sha256_of(listed.file)),
                                  state="indexed", pipeline_version=PIPELINE_VERSION, doc_ids=(listed.file.path,))
               for listed in sources.Listing(settings.source))
    ledger.write_entries(es, settings, entries)
    es.indices.refresh(index=settings.ledger_index)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default="ner,run,dag,discovery")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--discovery-sizes", default="10000,100000",
                        help="file counts for the discovery part, comma-separated (1000000 takes ~15 min)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    files = bbc_texts(args.limit)
    result: dict[str, Any] = {"workers": args.workers, "bbc_files": len(files)}
    with tempfile.TemporaryDirectory() as tmp:
        source = source_copy(files, Path(tmp)) if parts & {"run", "dag", "dag-cold"} else Path(tmp)
        if "ner" in parts:
            result["bare_ner"] = bare_ner(files, args.workers)
            result["bare_ner_only"] = bare_ner(files, args.workers, with_tok2vec=False)
        if "run" in parts:
            result["ingest_run"] = ingest_run(source, args.workers)
        if "dag" in parts:
            result["dag"] = dag_run(source, args.workers)
        if "dag-cold" in parts:  # the same DAG with workers forked from the scheduler: no preloaded model
            result["dag_cold"] = dag_run(source, args.workers, {"AIRFLOW__SCHEDULER__MP_START_METHOD": "fork"})
    if "discovery" in parts:
        result["discovery"] = discovery_memory(tuple(int(n) for n in args.discovery_sizes.split(",")))
    if "big" in parts:
        result["big"] = big_runs(args.workers)
    result["ratios"] = ratios(result)
    result["peak_rss_mb_bench"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


def ratios(result: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for base in ("bare_ner", "bare_ner_only"):
        ner = result.get(base, {}).get("docs_per_s")
        for part in ("ingest_run", "dag", "dag_cold"):
            if ner and part in result:
                out[f"{part}_vs_{base}"] = round(result[part]["docs_per_s"] / ner, 2)
    if "ingest_run" in result:
        out["rerun_vs_first_run"] = round(result["ingest_run"]["rerun_s"] / result["ingest_run"]["seconds"], 3)
    disc = result.get("discovery", {})
    smallest = min(disc, key=int, default=None)
    for size in sorted(disc, key=int)[1:]:
        for run in ("first", "again", "status"):
            out[f"discovery_rss_{size}_vs_{smallest}_{run}"] = round(
                disc[size][run]["peak_rss_mb"] / disc[smallest][run]["peak_rss_mb"], 2)
    return out


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    sys.exit(main())
