"""Hostile seed files, generated at test time (no third-party data): every kind of broken, odd or
malicious file a nightly run meets, each with the outcome it must get.

`CASES` is the table: file name, the bytes, the outcome ("indexed" | "rejected" | "skipped") and, for a
rejection, words the reason must hold. `write_corpus(folder)` writes them all for an end-to-end run.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TITLE = "Harbour bridge reopens after repairs"
STORY = (
    "The harbour bridge in Portsmouth reopened on Monday after six months of repairs, the city council said. "
    "Engineers replaced the deck and repainted the towers, and traffic is expected to return to normal "
    "within a week, according to Jane Doe, the council's transport officer."
)
ACCENTED = STORY.replace("Portsmouth", "Zürich").replace("Engineers", "Façade engineers") + " Café owners cheered."


def story_text(body: str = STORY, title: str = TITLE) -> str:
    return f"{title}\n\n{body}\n"


def story_json(body: str = STORY, **extra: object) -> bytes:
    return json.dumps({"title": TITLE, "text": body, **extra}).encode()


def story_html(body: str = STORY, head: str = "", prolog: str = "") -> bytes:
    return (f"{prolog}<html><head><title>{TITLE}</title>{head}</head><body><article><h1>{TITLE}</h1>"
            f"<p>{body}</p><p>{body}</p></article></body></html>").encode()


# ------------------------------------------------------------------------------------------ encodings
JAPANESE = ("東京の港橋が修理後に再開", "東京都は月曜日、六か月にわたる修理の後、港の橋が再開したと発表した。"
            "技術者は床版を交換し、塔を塗り直した。交通は一週間以内に正常に戻る見込みだと担当者は述べた。")
CHINESE = ("港口大桥修复后重新开放", "市议会周一表示，经过六个月的维修，港口大桥重新开放。工程师们更换了桥面，"
           "重新粉刷了塔楼，预计交通将在一周内恢复正常，负责交通的官员说。")
RUSSIAN = ("Мост в гавани вновь открыт после ремонта", "Мост в гавани вновь открылся в понедельник после шести "
           "месяцев ремонта, сообщил городской совет. Инженеры заменили настил и перекрасили башни, а движение "
           "должно вернуться в норму в течение недели.")

WESTERN = story_text(ACCENTED + " “Quoted” – 5 €.")
ENCODINGS: dict[str, tuple[str, str]] = {
    # file name → (the text it must decode to, the encoding its bytes are in; "+bom" adds the mark)
    "utf8.txt": (story_text(ACCENTED), "utf-8"),
    "utf8-bom.txt": (story_text(ACCENTED), "utf-8-sig"),
    "utf16le-bom.txt": (story_text(ACCENTED), "utf-16"),  # BOM, little-endian
    "utf16be-bom.txt": (story_text(ACCENTED), "utf-16-be+bom"),
    "utf16le.txt": (story_text(ACCENTED), "utf-16-le"),
    "utf16be.txt": (story_text(ACCENTED), "utf-16-be"),
    "utf32-bom.txt": (story_text(ACCENTED), "utf-32"),
    "utf32le.txt": (story_text(ACCENTED), "utf-32-le"),
    "utf32be.txt": (story_text(ACCENTED), "utf-32-be"),
    "cp1252.txt": (WESTERN, "cp1252"),
    "latin1.txt": (story_text(ACCENTED), "latin-1"),
    "shift_jis.txt": (story_text(JAPANESE[1], JAPANESE[0]), "shift_jis"),
    "euc-jp.txt": (story_text(JAPANESE[1], JAPANESE[0]), "euc-jp"),
    "gb18030.txt": (story_text(CHINESE[1], CHINESE[0]), "gb18030"),
    "koi8-r.txt": (story_text(RUSSIAN[1], RUSSIAN[0]), "koi8-r"),
    "cp1251.txt": (story_text(RUSSIAN[1], RUSSIAN[0]), "cp1251"),
}


def encoded(text: str, encoding: str) -> bytes:
    if encoding.endswith("+bom"):
        return b"\xfe\xff" + text.encode(encoding.removesuffix("+bom"))
    return text.encode(encoding)


ENCODED: dict[str, tuple[str, bytes]] = {
    name: (text, encoded(text, encoding)) for name, (text, encoding) in ENCODINGS.items()
} | {
    "utf16-record.json": (ACCENTED, json.dumps({"title": TITLE, "text": ACCENTED}, ensure_ascii=False).encode("utf-16")),  # noqa: E501
    "cp1252-page.html": (ACCENTED, story_html(ACCENTED, '<meta charset="windows-1252">').decode().encode("cp1252")),
    "mac-cr.txt": (story_text(ACCENTED), story_text(ACCENTED).replace("\n", "\r").encode()),  # old Mac lines
    "utf16-cut.txt": (story_text(ACCENTED), story_text(ACCENTED).encode("utf-16")[:-1]),  # copy cut mid-character
    # UTF-8 with one stray windows-1252 byte (a pasted apostrophe): read as UTF-8, the stray byte as cp1252
    "utf8-stray-byte.txt": (story_text(ACCENTED + " It’s fine."),
                            story_text(ACCENTED + " It\x00s fine.").encode().replace(b"\x00", b"\x92")),
}


# ------------------------------------------------------------------------------------------ binaries
def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def _zip(member: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    return buffer.getvalue()


def _billion_laughs() -> str:
    """An internal DTD subset whose &lol9; would expand to 10**9 'lol's."""
    decls = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                                       for i in range(1, 10)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE html [{"".join(decls)}]>\n'


BOMB_MB = 60  # decompressed size of the compression bombs: over the default 50 MB limit


def _bomb(compress: Callable[[bytes], bytes], unit: bytes) -> bytes:
    """BOMB_MB of `unit` repeated, compressed: one compressed MB repeated (gzip members, bzip2 and xz
    streams may follow one another), so building it takes milliseconds."""
    block = compress(unit * ((1 << 20) // len(unit)))
    return block * (BOMB_MB + 1)


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    outcome: str  # indexed | rejected | skipped
    reason: str = ""  # words a rejection's reason must hold (a regular expression)
    stage: str = ""  # the rejection's stage, when it matters


def cases() -> list[Case]:
    """Every hostile file and the outcome it must get (built fresh: the bombs are a few hundred KB)."""
    deep = b"[" * 100_000 + b"]" * 100_000
    return [
        # empty, blank
        Case("empty.txt", b"", "rejected", "file is empty", "read"),
        Case("empty.json", b"", "rejected", "file is empty", "read"),
        Case("blank.txt", b"  \n\t\r\n   \n", "rejected", "only whitespace", "read"),
        Case("blank.html", b"\xef\xbb\xbf \n ", "rejected", "only whitespace", "read"),
        Case("blank-utf16.json", " \n \n".encode("utf-16"), "rejected", "only whitespace", "read"),
        # binary under a text name
        Case("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" + bytes(range(256)) * 4,
             "rejected", r"binary content \(a PDF document\)", "parse"),
        Case("photo.json", _png(), "rejected", r"binary content \(a PNG image\)"),
        Case("photo.html", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4, "rejected", "a JPEG image"),
        Case("archive.txt", _zip("story.txt", story_text().encode()), "rejected", "a ZIP archive"),
        Case("noise.txt", bytes((i * 7919) % 256 for i in range(8192)), "rejected", "binary content"),
        Case("program.html", b"\x7fELF\x02\x01\x01" + bytes(2000), "rejected", "an ELF executable"),
        # NULs and control characters inside good text: stripped, the article kept
        Case("nul.txt", story_text(STORY.replace("Monday", "Mon\x00day").replace(" the ", " the\x00 ")).encode(),
             "indexed"),
        Case("controls.txt", story_text(STORY.replace("Monday", "Mon\x01\x02\x1b\x7fday")).encode(), "indexed"),
        Case("controls.json", story_json(STORY.replace("Monday", "Mon\u0000day\u0007")), "indexed"),
        # encodings (decoded correctly: see ENCODED)
        *(Case(name, data, "indexed") for name, (_, data) in ENCODED.items()),
        # content under the wrong name: read as what it is
        Case("api-answer.html", story_json(), "indexed"),
        Case("saved-page.json", story_html(), "indexed"),
        Case("page.txt", story_html(), "indexed"),
        # JSON: invalid, wrongly shaped, extremely deep
        Case("invalid.json", b'{"title": "x", "text": ', "rejected", "invalid JSON: expecting value at line 1"),
        Case("number.json", b"42", "rejected", "must be a JSON object, not a number"),
        Case("numbers.json", b"[1, 2, 3]", "rejected", "a list of 3 values .*not article records"),
        Case("string.json", b'"hello"', "rejected", "not a string"),
        Case("nested.json", b'{"a": {"b": {"c": {"d": 1}}}}', "rejected", "no article text in any of"),
        Case("deep-array.json", deep, "rejected", "JSON nested deeper than 1,000 levels", "parse"),
        Case("deep-object.json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "rejected", "nested deeper than 1,000"),
        Case("deep-authors.json", story_json(authors=json.loads("[" * 500 + '"Jane Doe"' + "]" * 500)), "indexed"),
        Case("surrogates.json", story_json().replace(b"Monday", b"Mon\\ud800day"), "indexed"),
        # JSONL: good lines land, bad lines are rejected alone
        Case("partly-bad.jsonl", b"\n".join([story_json(), b"not json", b"42", deep, story_json(STORY + " Again."),
                                             b'{"title": "no body"}']) + b"\n", "indexed"),
        Case("all-bad.jsonl", b"nope\n[1]\n", "rejected", "line 1: invalid JSON"),
        # HTML without text, entities, external entities and entity bombs
        Case("scripts.html", b"<html><head><script>var a = 1;</script><style>p {}</style></head><body>"
                             b"<script>document.write('x')</script><noscript></noscript></body></html>",
             "rejected", "no article text"),
        Case("entities.html", story_html(STORY + " Caf&eacute; &amp; bar &#8364;5 &#x20AC;6 &lt;b&gt;"), "indexed"),
        Case("xxe.xhtml", story_html(STORY + " &xxe; &net;", prolog=(
            '<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
            '<!ENTITY net SYSTEM "http://127.0.0.1:9/leak">]>\n')), "indexed"),
        Case("param-entity.html", story_html(prolog=(
            '<!DOCTYPE html [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>\n')), "indexed"),
        Case("laughs.xhtml", story_html(STORY + " &lol9;", prolog=_billion_laughs()), "indexed"),
        Case("laughs-title.html", story_html(STORY, prolog=_billion_laughs()).replace(
            TITLE.encode(), b"&lol9;", 1), "indexed"),
        Case("deep-jsonld.html", story_html(head='<script type="application/ld+json">' + "[" * 100_000 +
                                            "]" * 100_000 + "</script>"), "indexed"),
        # compressed seeds: read, with a hard cap; bombs, corrupt data and double compression rejected
        Case("story.json.gz", gzip.compress(story_json()), "indexed"),
        Case("story.txt.bz2", bz2.compress(story_text().encode()), "indexed"),
        Case("story.jsonl.xz", lzma.compress(story_json() + b"\n" + story_json(STORY + " Two.") + b"\n"), "indexed"),
        Case("gzip-inside.txt", gzip.compress(story_text().encode()), "indexed"),
        Case("bomb.json.gz", _bomb(gzip.compress, b" "), "rejected", "decompresses to more than 50 MB", "read"),
        Case("bomb.txt.bz2", _bomb(bz2.compress, b"a"), "rejected", "decompresses to more than 50 MB"),
        Case("bomb.html.xz", _bomb(lzma.compress, b"<p>"), "rejected", "decompresses to more than 50 MB"),
        Case("truncated.json.gz", gzip.compress(story_json())[:40], "rejected", "gzip data is corrupt or truncated"),
        Case("twice.txt.gz", gzip.compress(gzip.compress(story_text().encode())), "rejected", "compressed twice"),
        Case("empty.txt.gz", gzip.compress(b""), "rejected", "file is empty once gzip-decompressed"),
        Case("bare.gz", gzip.compress(story_text().encode()), "skipped"),
        Case("archive.zip", _zip("story.txt", story_text().encode()), "skipped"),
        # multi-megabyte single lines: finish, rejected as no article
        Case("one-line.txt", (STORY + " ").encode() * 20_000, "rejected", r"article text of [\d,]+ characters"),
        Case("one-line.html", story_html((STORY + " ") * 10_000), "rejected", "longer than any article"),
        Case("div-soup.html", story_html().replace(b"<article>", b"<article>" + b"<div></div>" * 120_000),
             "rejected", "more than 100,000 tags"),
        # impossible dates never crash and never become a date
        Case("feb30.txt", f"{TITLE}\nPublished: February 30, 2021\n\n{STORY}\n".encode(), "indexed"),
        Case("month13.json", story_json(date="2021-13-45"), "indexed"),
        Case("year99999.html", story_html(head='<meta property="article:published_time" content="99999-03-12">'),
             "indexed"),
        Case("epoch15.json", story_json(published=10**15), "indexed"),
        Case("feb30.html", story_html(head='<meta property="article:published_time" content="2021-02-30T10:00:00Z">'),
             "indexed"),
        Case("language.json", story_json(language="x" * 40_000), "indexed"),
    ]


IMPOSSIBLE_DATES = ("feb30.txt", "month13.json", "year99999.html", "epoch15.json", "feb30.html")


def write_corpus(folder: Path) -> dict[str, Case]:
    """Every case as a file under `folder`; returns them by name."""
    table = {case.name: case for case in cases()}
    for case in table.values():
        (folder / case.name).write_bytes(case.data)
    return table


EXCEPTION_NAME = re.compile(r"\b(?:[A-Z][a-z]+)+(?:Error|Exception|Warning)\b|Traceback|errno")
