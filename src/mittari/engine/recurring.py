"""Recurring faults: subjects clustered by their character trigrams, whatever the language.

1. **Normalise**: NFKD, case-folded, combining marks dropped (ä → a), every run of digits
   becomes `0` (ticket, room and error numbers vary between repeats of one fault), other
   non-letters become spaces.
2. **Shingle**: the set of character trigrams of ` text ` (so word starts and ends count),
   hashed to uint64 with a fixed polynomial hash: typos change few trigrams, word order
   changes only those that span two words.
3. **Weight**: each trigram by its inverse document frequency, idf = ln((1 + N)/(1 + df)) + 1,
   so words in every subject ("ei toimi", "not working") say little.
4. **Candidates**: MinHash signatures (64 hashes) and LSH (21 bands of 3) propose pairs of
   the same group (service) that likely share many trigrams; small groups compare every pair.
5. **Verify**: a pair is similar when its idf-weighted Jaccard (shared weight / union
   weight) is at least the threshold; clusters are the connected components of those pairs.

Everything is numpy over flat arrays; only the normalisation touches each string once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from mittari.engine.types import F64, I64

U64 = npt.NDArray[np.uint64]
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+", re.UNICODE)
_P = np.uint64(0x100000001B3)  # FNV-style multiplier of the rolling trigram hash
N_HASHES, BAND_ROWS = 63, 3  # 21 bands of 3 rows: pairs with Jaccard 0.5 meet in 94 % of runs
ALL_PAIRS_UP_TO = 400  # groups this small compare every pair (no LSH miss)
_PAIR_CHUNK = 200_000


def normalise(text: str) -> str:
    """The comparable form of a subject (see the module docstring, step 1)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    # Marks dropped: "kaynnisty" typed without ä is a repeat of "käynnisty".
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", _DIGITS.sub("0", folded)).split())


def _mix(x: U64) -> U64:
    """splitmix64's finaliser: spreads similar inputs over all 64 bits (wrapping uint64)."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    out: U64 = x ^ (x >> np.uint64(31))
    return out


def shingles(texts: Sequence[str]) -> tuple[I64, U64]:
    """Distinct trigram hashes of each normalised text: (document of each, hash), sorted."""
    padded = [f" {t} " for t in texts]
    lengths = np.array([len(t) for t in padded], dtype=np.int64)
    cp = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    if len(cp) < 3:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    same = doc[:-2] == doc[2:]  # a trigram must not span two texts
    with np.errstate(over="ignore"):
        h = (cp[:-2] * _P + cp[1:-1]) * _P + cp[2:]
    docs, hashes = doc[:-2][same], _mix(h[same])
    order = np.lexsort((hashes, docs))
    docs, hashes = docs[order], hashes[order]
    first = np.concatenate([[True], (docs[1:] != docs[:-1]) | (hashes[1:] != hashes[:-1])])
    return docs[first], hashes[first]


def idf(docs: I64, hashes: U64, copies: I64) -> F64:
    """Smoothed inverse document frequency of each (doc, trigram) entry's trigram.

    `copies[d]` is how many subjects distinct text d stands for: frequencies count subjects.
    """
    _, inverse = np.unique(hashes, return_inverse=True)
    df = np.bincount(inverse, weights=copies[docs])
    weights: F64 = np.log((1.0 + copies.sum()) / (1.0 + df[inverse])) + 1.0
    return weights


def minhash(docs: I64, hashes: U64, n_docs: int, seed: int = 7) -> U64:
    """(n_docs, N_HASHES) signatures; documents without trigrams keep the maximum."""
    rng = np.random.default_rng(seed)
    salts = rng.integers(0, 2**63, size=N_HASHES, dtype=np.int64).astype(np.uint64)
    out = np.full((n_docs, N_HASHES), np.iinfo(np.uint64).max, dtype=np.uint64)
    if len(docs) == 0:
        return out
    starts = np.flatnonzero(np.concatenate([[True], docs[1:] != docs[:-1]]))
    for k in range(N_HASHES):  # one pass per hash keeps memory at one column of trigrams
        out[docs[starts], k] = np.minimum.reduceat(_mix(hashes ^ salts[k]), starts)
    return out


def candidate_pairs(signature: U64, group: I64) -> tuple[I64, I64]:
    """Pairs (i < j) of one group whose signatures agree on some band, or every pair of a
    small group."""
    pairs: list[I64] = []
    # Texts without trigrams would all share one bucket: give each a key of its own.
    empty = signature[:, 0] == np.iinfo(np.uint64).max
    alone = _mix(np.arange(len(group), dtype=np.uint64) + np.uint64(2**62))
    for b in range(0, N_HASHES, BAND_ROWS):
        band = _mix(signature[:, b] ^ _mix(signature[:, b + 1] ^ _mix(signature[:, b + 2])))
        key = np.where(empty, alone, band ^ _mix(group.astype(np.uint64) + np.uint64(b)))
        pairs.append(_same_key_pairs(key))
    small = _small_group_pairs(group)
    found = np.concatenate([*pairs, small]) if pairs else small
    found = np.unique(found)
    n = len(group)
    i, j = found // n, found % n
    keep = group[i] == group[j]  # a band hash collision across groups is dropped here
    return i[keep], j[keep]


def _same_key_pairs(key: U64) -> I64:
    """Encoded pairs i·n + j (i < j) of rows sharing a key (buckets are small)."""
    n = len(key)
    order = np.argsort(key, kind="stable")
    k = key[order]
    starts = np.flatnonzero(np.concatenate([[True], k[1:] != k[:-1]]))
    sizes = np.diff(np.append(starts, n))
    out: list[I64] = []
    for size in np.unique(sizes[sizes > 1]):
        rows = order[starts[sizes == size][:, None] + np.arange(size)]
        a, b = np.triu_indices(int(size), 1)
        lo, hi = np.minimum(rows[:, a], rows[:, b]), np.maximum(rows[:, a], rows[:, b])
        out.append((lo * n + hi).ravel())
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _small_group_pairs(group: I64) -> I64:
    n = len(group)
    values, counts = np.unique(group, return_counts=True)
    out: list[I64] = []
    for value in values[(counts > 1) & (counts <= ALL_PAIRS_UP_TO)]:
        rows = np.flatnonzero(group == value)
        a, b = np.triu_indices(len(rows), 1)
        out.append(rows[a] * n + rows[b])
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def weighted_jaccard(docs: I64, hashes: U64, weights: F64, i: I64, j: I64) -> F64:
    """idf-weighted Jaccard of the trigram sets of each pair (i[k], j[k])."""
    n_docs = int(docs.max()) + 1 if len(docs) else 0
    ptr = np.searchsorted(docs, np.arange(n_docs + 1))
    total = np.bincount(docs, weights=weights, minlength=n_docs)
    # Dense trigram ids, so that (pair, trigram) packs into one int64 sort key.
    features, feature = np.unique(hashes, return_inverse=True)
    feature_weight = np.zeros(len(features))
    feature_weight[feature] = weights  # idf depends on the trigram alone
    out = np.zeros(len(i), dtype=np.float64)
    chunk = max(1, _PAIR_CHUNK)
    for lo in range(0, len(i), chunk):
        a, b = i[lo : lo + chunk], j[lo : lo + chunk]
        shared = _shared_weight(ptr, feature.astype(np.int64), feature_weight, a, b)
        union = total[a] + total[b] - shared
        out[lo : lo + len(a)] = np.where(union > 0, shared / np.maximum(union, 1e-300), 0.0)
    return out


def _shared_weight(ptr: I64, feature: I64, feature_weight: F64, a: I64, b: I64) -> F64:
    """Σ idf of the trigrams each pair shares: both sets side by side, sorted, duplicates."""
    pair = np.arange(len(a), dtype=np.int64)
    rows_a, tag_a = _ragged(ptr, a, pair)
    rows_b, tag_b = _ragged(ptr, b, pair)
    n = len(feature_weight)
    key = np.concatenate([tag_a * n + feature[rows_a], tag_b * n + feature[rows_b]])
    key.sort()
    dup = key[1:][key[1:] == key[:-1]]  # a trigram in both sets of one pair
    shared = np.bincount(dup // n, weights=feature_weight[dup % n], minlength=len(a))
    return np.asarray(shared, dtype=np.float64)


def _ragged(ptr: I64, docs: I64, tag: I64) -> tuple[I64, I64]:
    """Entry rows of each of `docs` (CSR slices ptr[d]:ptr[d+1]) and the tag of each."""
    lengths = ptr[docs + 1] - ptr[docs]
    offsets = np.cumsum(lengths) - lengths
    rows = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(offsets - ptr[docs], lengths)
    return rows, np.repeat(tag, lengths)


def components(n: int, i: I64, j: I64) -> I64:
    """Connected components of the graph with edges (i, j): the smallest member's index."""
    label = np.arange(n, dtype=np.int64)
    while True:
        low = np.minimum(label[i], label[j])
        before = label.copy()
        np.minimum.at(label, i, low)
        np.minimum.at(label, j, low)
        label = label[label]  # pointer jumping: labels reach their root in few rounds
        if np.array_equal(label, before):
            return label


def cluster_texts(texts: Sequence[str], group: I64, threshold: float = 0.5) -> I64:
    """Cluster label of each text (the index of a member), within its group.

    Texts equal after normalisation are one cluster at once; the rest is steps 2-5 above
    over the distinct (group, text) pairs only.
    """
    norm = [normalise(t) for t in texts]
    keys = [f"{g}\x1f{t}" for g, t in zip(group.tolist(), norm, strict=True)]
    _, first, inverse, copies = np.unique(
        np.array(keys, dtype=object), return_index=True, return_inverse=True, return_counts=True
    )
    texts_u = [norm[k] for k in first]
    group_u = group[first]
    docs, hashes = shingles(texts_u)
    weights = idf(docs, hashes, copies.astype(np.int64))
    i, j = candidate_pairs(minhash(docs, hashes, len(texts_u)), group_u)
    similar = weighted_jaccard(docs, hashes, weights, i, j) >= threshold
    label_u = components(len(texts_u), i[similar], j[similar])
    return np.asarray(first[label_u][inverse.reshape(-1)], dtype=np.int64)
