"""Bytes → text: byte-order marks first, then strict UTF-8, then charset detection, then cp1252."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from ingest.errors import DecodeFailed

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, path: str, declared: str | None = None) -> str:
    """Decode `data`; `declared` is an encoding the document itself names (HTML meta charset)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, path)
    if looks_utf16(data):
        return _strict(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(_alias(declared))
        except (UnicodeDecodeError, LookupError):
            pass
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best)
    return data.decode("cp1252", errors="replace")


def _alias(name: str) -> str:
    """Browsers read 'iso-8859-1' and 'latin-1' as windows-1252 (WHATWG encoding standard)."""
    name = name.strip().lower()
    return "cp1252" if name in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"} else name


def looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII-heavy text is NUL."""
    sample = data[:200]
    if len(sample) < 4:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(zeros_even, zeros_odd) > 0.4 * half and min(zeros_even, zeros_odd) < 0.1 * half


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeFailed(path, f"not valid {encoding}: {exc.reason} at byte {exc.start}") from exc
