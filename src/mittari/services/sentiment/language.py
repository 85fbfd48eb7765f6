"""The language of a comment, among those mittari analyses: simplemma's detector (the share
of words its Finnish and English dictionaries know), else letters only Finnish writes."""

from __future__ import annotations

import functools

import simplemma

LANGUAGES = ("fi", "en")
_FINNISH_LETTERS = frozenset("äöåÄÖÅ")


@functools.lru_cache(maxsize=65536)
def detect_language(text: str) -> str | None:
    """fi or en, or None for a text with no word of either (digits, an emoji)."""
    shares = dict(simplemma.langdetect(text, lang=LANGUAGES))
    fi, en = shares.get("fi", 0.0), shares.get("en", 0.0)
    if fi > en:
        return "fi"
    if en > fi:
        return "en"
    if any(ch in _FINNISH_LETTERS for ch in text):
        return "fi"
    return "en" if any(ch.isalpha() for ch in text) else None
