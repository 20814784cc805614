"""Case repair for ALL-CAPS lines (headlines, wire slugs) before NER.

spaCy's small English model reads capitals as a strong "name" signal, so "CHINA IN SURPRISE DEFEAT"
comes out as one long entity. Each word of an all-caps line is given the case the same word has
elsewhere in the document ("China", "defeat"); failing that, short words (≤ 3 letters, likely
acronyms: "UAE", "NBA") stay upper case, known places and countries are capitalised ("Syria"), and
the rest go lower case: a name in a headline is nearly always repeated in the story, so a word the
story never uses is most likely an ordinary word ("LUCKY", "SURPRISE"). A table row is the exception: a
name followed by two or more number cells ("GOLDEN STATE 6 12 .333 8", a standings row) is a name whatever
the story says, so its words are capitalised ("Golden State"; words of one or two letters, "LA", stay).
Only the case changes, never the length, so character offsets stay valid for the original text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

IsPlace = Callable[[str], bool]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LINE = re.compile(r"[^\n]+")
_NAME_WORD = re.compile(r"[A-Z]{3,}")
# a table row: an optional rank, a name in capitals, two or more number cells (integers, "1/2", ".778", "-")
_ROW = re.compile(r"[ \t]*(?:\d+[.=][ \t]*)?(?P<name>[A-Z][A-Z.'&-]*(?:[ \t]+[A-Z][A-Z.'&-]*)*)"
                  r"(?:[ \t]+(?:\d+(?:[ \t]+1/2)?|\.\d+|-)){2,}[ \t]*")


def is_all_caps(line: str, min_letters: int = 6) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < min_letters:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper >= 0.9 * len(letters)


def has_all_caps_line(text: str) -> bool:
    return any(is_all_caps(m.group()) for m in _LINE.finditer(text))


def case_vocabulary(texts: list[str]) -> dict[str, str]:
    """lower-case word → its most frequent spelling in lines that are not all caps (a line's first word,
    capitalised by position, is not counted)."""
    counts: Counter[str] = Counter()
    for text in texts:
        for line in _LINE.finditer(text):
            if not is_all_caps(line.group()):
                words = [w.group() for w in _WORD.finditer(line.group())][1:]  # not the line's first
                counts.update(w for w in words if not w.isupper())
    vocab: dict[str, str] = {}
    for word, _ in counts.most_common():
        vocab.setdefault(word.lower(), word)
    return vocab


def truecase(text: str, vocab: dict[str, str], stop_words: frozenset[str], is_place: IsPlace) -> str:
    """`text` with every all-caps line re-cased; other lines untouched; same length."""
    if not has_all_caps_line(text):
        return text
    parts: list[str] = []
    pos = 0
    for line in _LINE.finditer(text):
        if is_all_caps(line.group()):
            parts.append(text[pos : line.start()])
            parts.append(_truecase_line(line.group(), vocab, stop_words, is_place))
            pos = line.end()
    parts.append(text[pos:])
    return "".join(parts)


def _truecase_line(line: str, vocab: dict[str, str], stop_words: frozenset[str], is_place: IsPlace) -> str:
    row = _ROW.fullmatch(line)
    if row is not None:
        name = _NAME_WORD.sub(lambda m: m.group()[0] + m.group()[1:].lower(), row["name"])
        return line[: row.start("name")] + name + line[row.end("name") :]

    def repl(match: re.Match[str]) -> str:
        word = match.group()
        new = _recase(word, vocab, stop_words, is_place)
        return new if len(new) == len(word) else word

    return _WORD.sub(repl, line)


def _recase(word: str, vocab: dict[str, str], stop_words: frozenset[str], is_place: IsPlace) -> str:
    lower = word.lower()
    known = vocab.get(lower)
    if known is not None:
        return known
    if lower in stop_words:
        return lower
    if len(word) <= 3:
        return word
    title = word[0] + word[1:].lower()
    return title if is_place(title) else lower
