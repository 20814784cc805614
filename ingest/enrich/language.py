"""Language of an article (ISO 639-1), when the source did not declare one.

py3langid (pinned on PyPI, ships its own model file: nothing is downloaded at run time) classifies
the title and the first 2000 characters of the body; a text with fewer than `min_chars` letters is
left undetected (None) rather than guessed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def identifier() -> Any:
    """py3langid's classifier, loaded once per process (about 0.7 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def detect_language(title: str | None, body: str, min_chars: int = 20) -> str | None:
    sample = f"{title or ''}\n{body[:2000]}"
    if sum(1 for ch in sample if ch.isalpha()) < min_chars:
        return None
    lang, _prob = identifier().classify(sample)
    return str(lang)
