"""Bytes → text: byte-order marks first, then UTF-16/32 without a mark, strict UTF-8, the charset the
document declares, then charset detection (with windows-1252 preferred when a Western text reads as well
in it), and last windows-1252 as browsers read it. Control characters that no text needs (NUL and the
like) are removed from the result, so no reader or parser downstream ever sees them."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ingest.errors import DecodeFailed
from ingest.parse.sniff import looks_utf16, utf32_order

__all__ = ["declared_alias", "decode", "looks_utf16"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls except tab, newlines, vertical tab, form feed; DEL
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# what a Western European text holds beyond ASCII, read as windows-1252: letters of Latin-1 (not the
# Icelandic ð/þ/ý, which Turkish and Cyrillic bytes also produce), cp1252's extra letters, and symbols
_WESTERN_LETTERS = frozenset(
    {chr(c) for c in range(0xC0, 0x100)} - set("×÷ÐÞÝðþý") | set("ŠšŒœŽžŸ")
)
_INNER_SYMBOLS = frozenset("’‘·\xad")  # may stand inside a word ("don’t", "l·l")
_SYMBOLS = frozenset({chr(c) for c in range(0xA0, 0xC0)} | set("€‚„…†‡ˆ‰‹‘’“”•–—˜™›"))
_WORD = re.compile(r"\S+")
# windows-1252 as the WHATWG standard defines it: latin-1 with 0x80-0x9F mapped to its punctuation
_CP1252_HIGH = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}
_CP1252_TABLE = str.maketrans({chr(b): c for b, c in _CP1252_HIGH.items()})


def decode(data: bytes, path: str, declared: str | None = None) -> str:
    """Decode `data`; `declared` is an encoding the document itself names (HTML meta charset)."""
    return _without_controls(_decode(data, path, declared))


def _decode(data: bytes, path: str, declared: str | None) -> str:
    if (text := _unicode(data, path)) is not None:
        return text
    if declared:
        alias = declared_alias(declared)
        if alias == "cp1252":
            return windows_1252(data)
        try:
            return data.decode(alias)
        except (UnicodeDecodeError, LookupError):
            pass
    return _detected(data)


def _unicode(data: bytes, path: str) -> str | None:
    """The text when the bytes are UTF-8, or UTF-16/32 (marked or recognisable); None otherwise."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, path)
    if (wide := utf32_order(data)) is not None:
        return _strict(data, wide, path)
    if looks_utf16(data):
        return _strict(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _mostly_utf8(data)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray bytes of another encoding (a pasted cp1252 apostrophe, a truncated last
    character): each stray byte is read as windows-1252, the rest as the UTF-8 it is. Reading such a file
    as a legacy encoding would turn every accented letter into mojibake ('cafÃ©'). Only when the valid
    multi-byte sequences outnumber the stray bytes two to one (and at most _MAX_STRAY of them)."""
    parts: list[str] = []
    pos = stray = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            start, end = pos + exc.start, pos + exc.end
            stray += end - start
            if stray > _MAX_STRAY:
                return None
            parts.append(data[pos:start].decode("utf-8"))
            parts.append(windows_1252(data[start:end]))
            pos = end
    text = "".join(parts)
    multibyte = len(data) - len(text)  # bytes beyond one per character: valid multi-byte sequences
    return text if multibyte >= max(2, 2 * stray) else None


_MAX_STRAY = 64


def _detected(data: bytes) -> str:
    """Legacy single- or multi-byte text: windows-1252 when it reads as Western European text (detectors
    pick cp775 or cp1250 for a short French or German text), else the detector's best guess."""
    western = windows_1252(data)
    if reads_as_western(western[:65536]):
        return western
    for match in from_bytes(data):
        text = str(match)
        if match.encoding and not _halfwidth_kana(text[:4096]):
            return text
    return _cyrillic(data) or western


def _cyrillic(data: bytes) -> str | None:
    """A short Cyrillic text detectors miss: windows-1251 or KOI8-R, whichever reads as mostly lower-case
    letters (the two put lower and upper case in each other's place)."""
    readings = [data.decode(encoding, errors="replace") for encoding in ("cp1251", "koi8-r")]
    scored = [(_lower_share(text[:4096]), text) for text in readings]
    share, text = max(scored, key=lambda pair: pair[0])
    return text if share >= 0.7 else None


def _lower_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if c.islower()) / max(1, len(letters))


def _halfwidth_kana(text: str) -> bool:
    """Halfwidth katakana (U+FF61-FF9F) is what Cyrillic single-byte text looks like read as Shift JIS;
    real Japanese text hardly uses it."""
    kana = sum(1 for c in text if "\uff61" <= c <= "\uff9f")
    return kana > 0.1 * max(1, len(text.replace(" ", "")))


def reads_as_western(text: str) -> bool:
    """Whether every non-ASCII character of `text` is what Western European text holds where it stands:
    accented letters inside words that also hold ASCII letters (or in words of one or two letters: 'à',
    'Öl'), symbols and quotes between words. Cyrillic, Greek or Polish bytes read this way give words of
    accented letters only, or symbols inside words ('Za¿ó³æ')."""
    bad = total = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        high = [c for c in word if ord(c) > 127]
        total += len(high)
        bad += sum(1 for c in high if c not in _WESTERN_LETTERS and c not in _SYMBOLS)
        letters = [c for c in word if c.isalpha()]
        if any(c in _WESTERN_LETTERS for c in high) and len(letters) > 2 and all(not c.isascii() for c in letters):
            bad += len(high)
        inner = word.strip(".,;:!?()[]\"'«»“”‘’-–—…")[1:-1]
        bad += sum(1 for c in inner if c in _SYMBOLS and c not in _INNER_SYMBOLS)
    return total > 0 and bad <= 0.02 * total


def windows_1252(data: bytes) -> str:
    """Bytes read as browsers read 'windows-1252' (and 'iso-8859-1'): never fails."""
    return data.decode("latin-1").translate(_CP1252_TABLE)


def declared_alias(name: str) -> str:
    """Browsers read 'iso-8859-1' and 'latin-1' as windows-1252 (WHATWG encoding standard)."""
    name = name.strip().lower()
    windows = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252", "iso8859-1"}
    return "cp1252" if name in windows else name


def _without_controls(text: str) -> str:
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def _strict(data: bytes, encoding: str, path: str) -> str:
    """UTF-16/32 (or UTF-8 after a BOM) as marked; a file cut inside its last character (an interrupted
    copy) loses that character only."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.reason == "truncated data" or (exc.end == len(data) and "end of data" in exc.reason):
            return data[: exc.start].decode(encoding, errors="replace")
        raise DecodeFailed(path, f"not valid {encoding}: {exc.reason} at byte {exc.start:,}") from exc
