"""Reference vocabularies shipped as data: one file per list, each entry once, loaded once per process.

A list is `ingest/vocab/<name>.txt` (one entry a line) or a table `ingest/vocab/<name>.tsv` (tab-separated
columns, the first one the key). In both, blank lines and lines starting with "#" are comments. The code that
uses a list names it for what it is (time-zone abbreviations, month names, wire agencies, …); nothing else
holds a copy. `tests/test_vocab.py` checks that no list repeats an entry. See docs/architecture.md.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


def _lines(filename: str) -> list[str]:
    text = files(__name__).joinpath(filename).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of the list `<name>.txt`, in file order, stripped."""
    return tuple(line.strip() for line in _lines(f"{name}.txt"))


@cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of the table `<name>.tsv`, each a tuple of its stripped columns (empty columns kept as "")."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in _lines(f"{name}.tsv"))


def names() -> list[str]:
    """Every list and table shipped, as file names ('months.tsv', 'agencies.tsv', …)."""
    return sorted(p.name for p in files(__name__).iterdir() if p.name.endswith((".txt", ".tsv")))
