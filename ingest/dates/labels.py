"""Labels that say what a printed date is, in the languages the readers handle (`ingest/vocab/date_labels.tsv`):
the publication ("Published: 3 May 2020", "Veröffentlicht am 16.08.2019") or the last update ("Updated …",
"aktualisiert am …"), and the prepositions that may stand between a label and its date ("on", "am", "le").

One table behind the HTML reader's labelled dates (`ingest/parse/html/textdates.py`) and the text reader's
date lines (`ingest/parse/text.py`). See docs/architecture.md, "Dates".
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from ingest import vocab

LabelKind = Literal["published", "updated", "preposition"]


@cache
def date_labels(kind: LabelKind) -> tuple[str, ...]:
    """The labels of one kind, lower case, longest first ('last updated' before 'updated')."""
    words = [label.casefold() for label, found, *_ in vocab.table("date_labels") if found == kind]
    return tuple(sorted(words, key=len, reverse=True))


@cache
def label_pattern(kind: LabelKind) -> str:
    """A regular-expression alternation of the labels of one kind (spaces match any run of white space)."""
    return "|".join(r"\s+".join(re.escape(word) for word in label.split()) for label in date_labels(kind))


def is_updated_label(text: str) -> bool:
    """Whether a label names the last update, not the publication ('Last updated on', 'aktualisiert')."""
    return re.search(rf"(?i)\b(?:{label_pattern('updated')})\b", text) is not None
