"""What a file *is*, from its bytes, before any reader sees it: empty, binary (and which kind), compressed.

Rules, in order (`read_content`):

1. Zero bytes → "file is empty"; only whitespace (in any encoding, byte-order marks and NULs included)
   → "file holds only whitespace".
2. gzip, bzip2 or xz data (by its magic bytes, whatever the name: `x.json.gz`, or gzip under `x.txt`) is
   decompressed once, streaming, and never past `max_bytes` (INGEST_MAX_FILE_MB): a decompression bomb is
   rejected as "decompresses to more than N MB" after reading at most N MB. Corrupt or truncated data and
   data compressed twice are rejected with those words. The decompressed bytes then go through these rules.
3. A known binary signature (PDF, images, archives, Office files, programs, audio/video, databases) →
   "binary content (a PDF document), not text, HTML or JSON".
4. Otherwise the share of control bytes decides: text (any encoding) has almost none, binary data about
   one in nine. UTF-16/32 text without a byte-order mark (every other byte NUL) is text. A few NULs or
   control characters inside good text do not make it binary: normalise strips them.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
import zlib
from pathlib import PurePosixPath
from typing import IO

from ingest.errors import BinaryContent, CompressedFileError, CompressedTwice, DecompressesTooLarge, EmptyFile

# compressed-file suffixes a seed may carry after its own (`x.json.gz`)
COMPRESSED_SUFFIXES: dict[str, str] = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}

# what changes the nesting depth of JSON: brackets, and quotes that open strings (skipped whole)
_STRUCTURE = re.compile(r'["\[\]{}]')
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_SAMPLE = 65536  # bytes looked at to tell text from binary
_WHITESPACE = b" \t\r\n\x0b\x0c\x00"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# control bytes that text never needs (tab, newlines, form feed, vertical tab and ESC excepted)
_CONTROL = bytes([*range(0x09), 0x0E, 0x0F, *range(0x10, 0x1B), *range(0x1C, 0x20), 0x7F])

# (offset, magic, what it is): signatures that no text file starts with
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "a PDF document"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (8, b"WEBP", "a WebP image"),
    (8, b"WAVE", "a WAV audio file"),
    (8, b"AVI ", "an AVI video"),
    (4, b"ftyp", "an MP4 or QuickTime media file"),
    (0, b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
    (0, b"OggS\x00", "an Ogg media file"),
    (0, b"PK\x03\x04", "a ZIP archive, or a document packed as one: .docx, .xlsx, .odt, .epub"),
    (0, b"PK\x05\x06", "an empty ZIP archive"),
    (0, b"PK\x07\x08", "a ZIP archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x28\xb5\x2f\xfd", "a Zstandard-compressed file"),
    (0, b"\x04\x22\x4d\x18", "an LZ4-compressed file"),
    (257, b"ustar", "a tar archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document: .doc, .xls or .ppt"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"%!PS", "a PostScript document"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (0, b"\x7fELF", "an ELF executable program"),
    (0, b"\xca\xfe\xba\xbe", "a compiled Java class"),
    (0, b"\x00asm", "a WebAssembly module"),
    (0, b"wOFF", "a web font"),
    (0, b"wOF2", "a web font"),
)
# short signatures that could open a text ("MZ…", "BM…", "ID3…"): binary only when the bytes are, too
_WEAK_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows program"),
    (b"BM", "a BMP image"),
    (b"ID3", "an MP3 audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x00\x00\x01\x00", "an icon image"),
)


def read_content(path: str, data: bytes, max_bytes: int) -> bytes:
    """The bytes a reader should see: `data`, or what it decompresses to. Raises `EmptyFile`,
    `CompressedFileError` or `BinaryContent` for files that are none of text, HTML or JSON."""
    _check_blank(path, data)
    kind = compression(data)
    if kind is None:
        check_binary(path, data)
        return data
    inner = decompress(path, data, kind, max_bytes)
    _check_blank(path, inner, f" once {kind}-decompressed")
    if (again := compression(inner)) is not None:
        raise CompressedTwice(path, f"compressed twice ({kind}, then {again}): decompress it to one layer")
    check_binary(path, inner)
    return inner


def _check_blank(path: str, data: bytes, where: str = "") -> None:
    if not data:
        raise EmptyFile(path, f"file is empty{where}")
    head = data[:_SAMPLE]
    for bom in _BOMS:
        head = head.removeprefix(bom)
    if not head.translate(None, _WHITESPACE) and not data[_SAMPLE:].translate(None, _WHITESPACE):
        raise EmptyFile(path, f"file holds only whitespace{where}")


def compression(data: bytes) -> str | None:
    """'gzip', 'bzip2' or 'xz' when the bytes are compressed data of that kind."""
    if data.startswith(b"\x1f\x8b\x08"):
        return "gzip"
    if data.startswith(b"BZh") and data[3:4].isdigit() and data[4:10] in (b"1AY&SY", b"\x17rE8P\x90"):
        return "bzip2"
    if data.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    return None


def decompress(path: str, data: bytes, kind: str, max_bytes: int) -> bytes:
    """Decompress, streaming, reading at most `max_bytes` + 1 bytes of output."""
    try:
        with _opener(kind, io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:
        raise CompressedFileError(path, f"{kind} data is corrupt or truncated ({_plain(exc)})") from exc
    if len(out) > max_bytes:
        raise DecompressesTooLarge(
            path, f"decompresses to more than {max_bytes / 1024 / 1024:,.0f} MB (the INGEST_MAX_FILE_MB limit)"
        )
    return out


def _opener(kind: str, raw: IO[bytes]) -> gzip.GzipFile | bz2.BZ2File | lzma.LZMAFile:
    if kind == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if kind == "bzip2":
        return bz2.BZ2File(raw, mode="rb")
    return lzma.LZMAFile(raw, mode="rb")


def _plain(exc: BaseException) -> str:
    return str(exc).strip() or "unexpected end of data"


def check_binary(path: str, data: bytes) -> None:
    if (kind := binary_kind(data)) is not None:
        detail = f" ({kind})" if kind != "binary data" else ""
        raise BinaryContent(path, f"binary content{detail}, not text, HTML or JSON")


def binary_kind(data: bytes) -> str | None:
    """What a binary file is ("a PDF document", … or "binary data"); None for text in any encoding."""
    for offset, magic, kind in _SIGNATURES:
        if data[offset:offset + len(magic)] == magic:
            return kind
    if _wide_text(data):
        return None
    sample = data[:_SAMPLE]
    control = (len(sample) - len(sample.translate(None, _CONTROL))) / max(1, len(sample))
    if control <= 0.02 or (control <= 0.3 and _utf8(sample)):
        return None  # text; stray NULs and control characters are stripped later
    return next((kind for magic, kind in _WEAK_SIGNATURES if data.startswith(magic)), "binary data")


def _wide_text(data: bytes) -> bool:
    """UTF-16 or UTF-32 text (with or without a byte-order mark): NULs in a fixed pattern."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return True
    return looks_utf16(data) or utf32_order(data) is not None


def looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII-heavy text is NUL."""
    sample = data[:200]
    if len(sample) < 4:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(zeros_even, zeros_odd) > 0.4 * half and min(zeros_even, zeros_odd) < 0.1 * half


def utf32_order(data: bytes) -> str | None:
    """'utf-32-le' / 'utf-32-be' for UTF-32 text without a BOM (three NULs in every four bytes)."""
    sample = data[: len(data[:400]) // 4 * 4]
    if len(sample) < 8:
        return None
    quarters = [sample[i::4].count(0) / (len(sample) // 4) for i in range(4)]
    if quarters[0] < 0.1 and min(quarters[1:]) > 0.9:
        return "utf-32-le"
    if quarters[3] < 0.1 and min(quarters[:3]) > 0.9:
        return "utf-32-be"
    return None


def _utf8(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data"
    return True


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, brackets inside strings not counted. A loop, not
    recursion, and linear: each string is skipped by one anchored match from its opening quote."""
    depth = deepest = 0
    pos = 0
    while (token := _STRUCTURE.search(text, pos)) is not None:
        char = token.group()
        if char == '"':
            closing = _STRING_REST.match(text, token.end())
            if closing is None:
                break  # unterminated string: the JSON reader will say so
            pos = closing.end()
            continue
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
        pos = token.end()
    return deepest


def logical_path(path: str) -> str:
    """The name without a compression suffix: 'feed.jsonl.gz' → 'feed.jsonl'."""
    pure = PurePosixPath(path)
    return str(pure.with_suffix("")) if pure.suffix.lower() in COMPRESSED_SUFFIXES else path
