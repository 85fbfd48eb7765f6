"""Finnish comment sentiment: a project-maintained lexicon, simplemma lemmas, negation.

Finnish inflects heavily (toimi, toimii, toiminut, toimineet are one verb), so each word is
looked up as written and then as its lemma (simplemma, offline: its dictionaries ship in
the wheel). Rules, after VADER's (Hutto & Gilbert 2014) but for Finnish:

- negation: the negative verb (ei, en, et, emme, ette, eivät) turns the next sentiment word
  within three words, inside its clause, to the other side and weakens it (× -0.75):
  "ei toiminut" is negative, "ei mitään valittamista" positive; kukaan/ketään ("nobody")
  count negative themselves and are not turned;
- intensifiers (todella, erittäin, tosi, liian ...) strengthen the next sentiment word;
  "hyvin" is one before another sentiment word ("hyvin nopea") and praise otherwise;
- "mutta" (but): the clause after it counts 1.5 times, the words before it half;
- an unknown long word that ends in a lexicon word takes its value (compounds:
  "supernopea"), turned around after the prefix "epä-" ("epäkohtelias");
- an unknown word in -matta/-mättä ("without doing": kysymättä) counts -1;
- emoticons :) :( and thumbs count ±2.
The sum of a comment's values gives its label: above +0.5 positive, below -0.5 negative.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import simplemma

LEXICON = Path(__file__).with_name("fi_lexicon.tsv")
NEGATORS = frozenset({"ei", "en", "et", "emme", "ette", "eivät"})
CLAUSE_ENDS = frozenset({".", ",", "!", "?", ";", ":", "mutta", "vaan", "koska", "kun"})
BOOSTERS = {
    "todella": 1.5,
    "erittäin": 1.5,
    "tosi": 1.4,
    "aivan": 1.3,
    "täysin": 1.4,
    "niin": 1.2,
    "kovin": 1.3,
    "liian": 1.4,
    "älyttömän": 1.6,
    "ihan": 1.2,
    "melko": 0.8,
    "aika": 0.9,
    "vähän": 0.7,
    "hieman": 0.7,
}
# Pronouns that occur only with a negation ("nobody"): their value is the complaint, and
# the negation reaches one word further past them.
POLARITY_ITEMS = frozenset({"kukaan", "ketään", "kenenkään"})
NEGATION_SCALE = -0.75
SCOPE = 3  # words after a negator that it can reach
THRESHOLD = 0.5
WITHOUT_DOING = -1.0  # unknown words in -matta/-mättä: a thing left undone
_EMOTICONS = {":)": 2.0, ":-)": 2.0, ":D": 2.0, "🙂": 2.0, "😊": 2.0, "👍": 2.0}
_EMOTICONS |= {":(": -2.0, ":-(": -2.0, "🙁": -2.0, "😞": -2.0, "😠": -2.5, "👎": -2.0}
_WORD = re.compile(r"\w+|[.,!?;:]", re.UNICODE)
# simplemma decodes its Finnish dictionary on first use (seconds): one thread does it while
# the others wait, rather than each decoding its own (the server warms it at start)
_LEMMAS = threading.Lock()


@dataclass(frozen=True)
class Scored:
    value: float
    label: str  # positive, negative, neutral


@functools.cache
def lexicon() -> dict[str, float]:
    """The lexicon file, read once per process."""
    found: dict[str, float] = {}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, value = line.split("\t")
            found[word] = float(value)
    return found


@functools.lru_cache(maxsize=65536)
def word_value(word: str) -> float | None:
    """The value of one lower-case word: as written, as its lemma, or as a compound."""
    words = lexicon()
    if word in words:
        return words[word]
    if word.endswith(("matta", "mättä")):  # "without doing": kysymättä, ilmoittamatta
        return WITHOUT_DOING
    with _LEMMAS:
        lemma = simplemma.lemmatize(word, lang="fi").lower()
    if lemma in words:
        return words[lemma]
    return _compound(word, words) or _compound(lemma, words)


def _compound(word: str, words: dict[str, float]) -> float | None:
    if len(word) < 8:
        return None
    for start in range(3, len(word) - 4):  # the longest lexicon word that ends it
        tail = word[start:]
        if tail in words:
            return -words[tail] if word.startswith("epä") else words[tail]
    return None


def score(text: str) -> Scored:
    value = sum(v * text.count(k) for k, v in _EMOTICONS.items())
    tokens = [t.lower() for t in _WORD.findall(text)]
    values = _word_values(tokens)
    cut = tokens.index("mutta") if "mutta" in tokens else -1
    for i, v in enumerate(values):
        weight = 1.0 if cut < 0 else (0.5 if i < cut else 1.5)
        value += v * weight
    label = "positive" if value > THRESHOLD else "negative" if value < -THRESHOLD else "neutral"
    return Scored(round(value, 3), label)


def _word_values(tokens: list[str]) -> list[float]:
    values = [0.0] * len(tokens)
    negated_until = -1
    boost = 1.0
    for i, token in enumerate(tokens):
        if token in CLAUSE_ENDS:
            negated_until, boost = -1, 1.0
            continue
        if token in NEGATORS:
            negated_until = i + SCOPE
            continue
        if token in BOOSTERS or (token == "hyvin" and _valued(tokens, i + 1)):
            boost *= BOOSTERS.get(token, 1.4)
            continue
        v = word_value(token)
        if v is None:
            continue
        if token in POLARITY_ITEMS:  # "ei ... ketään": says the negation, which goes on
            values[i] = v
            negated_until += 1 if negated_until >= i else 0
            continue
        if i <= negated_until:
            v *= NEGATION_SCALE
            negated_until = -1
        values[i] = v * boost
        boost = 1.0
    return values


def _valued(tokens: list[str], i: int) -> bool:
    return i < len(tokens) and word_value(tokens[i]) is not None
