"""Every vocabulary shipped in ingest/vocab holds each entry once, and is readable by the loader."""

from __future__ import annotations

import pytest

from ingest import vocab


@pytest.mark.parametrize("filename", vocab.names() or ["(none yet)"])
def test_each_entry_once(filename: str) -> None:
    if filename == "(none yet)":
        pytest.skip("no vocabulary file shipped yet")
    name, kind = filename.rsplit(".", 1)
    rows = [row[0] for row in vocab.table(name)] if kind == "tsv" else list(vocab.entries(name))
    keys = [key.casefold() for key in rows]
    assert keys, f"{filename} is empty"
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    assert not repeated, f"{filename} repeats {repeated}"
