"""Sentiment of free-text comments in Finnish and English, offline.

Secondary to the rating: it says what the words lean to, not what the score says.
`classify` takes a comment (and its language, when the survey knew it) and gives the
language used and a label, positive, negative or neutral; None for an empty comment or
a language without an analyser. English: VADER (`english.py`); Finnish: a lexicon kept in
this folder with simplemma lemmas and negation (`finnish.py`); the language, when not
given, from simplemma's detector (`language.py`). docs/experience.md gives the accuracy
on the labelled comments of `tests/data/sentiment_eval.csv`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mittari.engine.experience import SENTIMENT_NAMES
from mittari.engine.types import I8, NO_VALUE
from mittari.services.sentiment import english, finnish
from mittari.services.sentiment.language import LANGUAGES, detect_language

__all__ = ["LANGUAGES", "Verdict", "classify", "classify_many", "detect_language"]


@dataclass(frozen=True)
class Verdict:
    language: str
    label: str  # positive, negative, neutral
    value: float  # the analyser's own score: VADER's compound, the Finnish lexicon sum


@functools.lru_cache(maxsize=1 << 16)  # pages read the same comments request after request
def classify(text: str | None, language: str | None = None) -> Verdict | None:
    """The comment's sentiment; None when it is empty or in a language not analysed."""
    if text is None or not text.strip():
        return None
    language = (language or detect_language(text) or "").lower()
    if language == "en":
        found = english.score(text)
        return Verdict("en", found.label, found.value)
    if language == "fi":
        scored = finnish.score(text)
        return Verdict("fi", scored.label, scored.value)
    return None


def classify_many(
    texts: Sequence[str | None], languages: Sequence[str | None]
) -> tuple[list[str | None], I8]:
    """The language and the engine's Sentiment code (NO_VALUE: none) of each comment."""
    found = [classify(t, lang) for t, lang in zip(texts, languages, strict=True)]
    codes = np.array(
        [NO_VALUE if v is None else SENTIMENT_NAMES.index(v.label) for v in found], np.int8
    )
    used = [None if v is None else v.language for v in found]
    return [u or lang for u, lang in zip(used, languages, strict=True)], codes
