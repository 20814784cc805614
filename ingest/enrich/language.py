"""Language of an article (ISO 639-1), when the source did not declare one.

py3langid (pinned on PyPI, ships its own model file: nothing is downloaded at run time) classifies
the title and the first 2000 characters of the body; a text with fewer than `min_chars` letters is
left undetected (None) rather than guessed.

A language shows in its running words, not in its names and figures: a results table ("Willem II Tilburg
2 NAC Breda 1"), a squad list or a shipping table is names in any language, and classified whole it is
called Dutch or Nigerian Pidgin. So only the words that do not start with a capital are classified (in a
script without case, that is every word). When they are too few to tell alone (under 50 letters: a headline
and a line of results), the whole text must read the same, or the language is left undetected (and the
article is read as English).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_PROSE_CHARS = 50  # letters of running words that say their language; fewer are a guess
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def identifier() -> Any:
    """py3langid's classifier, loaded once per process (about 0.7 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def detect_language(title: str | None, body: str, min_chars: int = 20) -> str | None:
    sample = f"{title or ''}\n{body[:2000]}"
    if sum(1 for ch in sample if ch.isalpha()) < min_chars:
        return None
    prose = running_words(sample)
    if not prose:  # names and figures only
        return None
    lang = str(identifier().classify(prose)[0])
    if sum(map(len, prose.split())) < _PROSE_CHARS and identifier().classify(sample)[0] != lang:
        return None
    return lang


def running_words(text: str) -> str:
    """The words of `text` that are not names: those that do not start with a capital letter."""
    return " ".join(w for w in _WORD.findall(text) if not w[0].isupper())
