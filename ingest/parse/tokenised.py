"""Text that a tokeniser has been through, written back the way it is printed.

Corpora and some feeds carry articles as tokens joined by spaces: "Japan 's coach , Shu Kamo , said :",
"Bochum 2 ( Stickroth 30th )", "do n't". Every pattern of the readers and of enrichment is written for
printed text ("Japan's coach, Shu Kamo, said:"), and the entity model is trained on it, so such a text is
put back first.

What a tokenised text *is*: the punctuation that closes a word (comma, full stop, semicolon, colon,
closing bracket) stands apart, with a space on both sides, nearly everywhere: at least 3 times, and in 4
of 5 places where such a mark ends a word. Printed text of any language writes these against the word
before (French spaces its colons, never its commas and full stops); a list's numbers ("1.", "2)") are
printed the same either way and are not counted. Text that is not tokenised is given back unchanged.

Only what a tokeniser splits off is joined again: closing punctuation to the word before, an opening
bracket or a currency sign to the word after, and English clitics ("'s", "n't", "'re"). Straight double
quotes are joined only on a line that holds them in pairs, where they alternate opening and closing; a
quote that runs over a line break is left as it stands.
"""

from __future__ import annotations

import re

# a mark that closes a word: against the word (printed) or alone after a space (tokenised), then a space or
# the end of the line; a list's number ("1.", "10=") is neither
_PRINTED = re.compile(r"(?<!^)(?<!^\d)(?<!^\d\d)(?<=\w)[,.;:)](?=\s|$)", re.M)
_SPACED = re.compile(r"(?<=\S) [,.;:)](?=\s|$)", re.M)
_MIN_SPACED = 3
_SPACED_SHARE = 0.8

_CLOSING = re.compile(r"(?<=\S) +([,.;:!?%)\]}]+)(?=\"?(?:\s|$))", re.M)  # "word ," "( 36 1 )" "5 %" 'back ,"'
_OPENING = re.compile(r"([(\[{$£€¥]) +(?=\S)")  # "( Stickroth" "$ 5.25"
_CLITIC = re.compile(r"(?<=\w) +('(?:s|re|ve|ll|d|m)|n't)(?=\s|$)", re.I | re.M)  # "Japan 's" "do n't"
_PLURAL_POSSESSIVE = re.compile(r"(?<=s) +'(?= )")  # "players ' union"


def is_tokenised(text: str) -> bool:
    """Whether the marks that close the words of `text` stand apart from them, as a tokeniser leaves them."""
    spaced = len(_SPACED.findall(text))
    return spaced >= _MIN_SPACED and spaced >= _SPACED_SHARE * (spaced + len(_PRINTED.findall(text)))


def untokenised(text: str) -> str:
    """`text` as printed when it is tokenised; otherwise `text` itself."""
    if not is_tokenised(text):
        return text
    text = "\n".join(_quotes_paired(line) for line in text.split("\n"))
    text = _CLITIC.sub(r"\1", text)
    text = _PLURAL_POSSESSIVE.sub("'", text)
    text = _OPENING.sub(r"\1", text)
    return _CLOSING.sub(r"\1", text)


def _quotes_paired(line: str) -> str:
    """'" Yes, " he said' → '"Yes," he said': on a line with its quotes in pairs, the first of each pair
    opens (joins the word after it) and the second closes (joins the word before it)."""
    parts = line.split(" ")
    if line.count('"') != parts.count('"') or parts.count('"') % 2:
        return line
    out: list[str] = []
    opened = closing = False
    for part in parts:
        if part == '"':
            if closing:
                if opened or not out:
                    return line
                out[-1] += part
            opened, closing = not closing, not closing
            continue
        out.append(f'"{part}' if opened else part)
        opened = False
    return line if opened else " ".join(out)
