"""The identity of an event within its ticket, so that a re-import adds nothing.

`event_key` is a 64-bit hash of (ts, kind, canonical value, actor, rank), where rank counts
identical earlier events of the same ticket in the same batch (two replies in the same second
are two events). Strings are hashed with BLAKE2b once per distinct value; the rest is mixed
with numpy, so keys cost a few ns per event. The key is unique per ticket, not globally: a
collision needs two different events of one ticket to share 64 bits.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

U64 = npt.NDArray[np.uint64]
_NULL = np.uint64(0x9E3779B97F4A7C15)  # the hash of a missing value


def string_hashes(values: pa.Array | pa.ChunkedArray) -> U64:
    """A stable 64-bit hash per value (the same in every process and version)."""
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks() if encoded.num_chunks else pa.array([], pa.string())
        if not isinstance(encoded, pa.DictionaryArray):
            encoded = pc.dictionary_encode(encoded)
    words = encoded.dictionary.to_pylist()
    table = np.array(
        [
            int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little")
            for w in words
        ]
        + [int(_NULL)],
        dtype=np.uint64,
    )
    indices = np.asarray(encoded.indices.fill_null(len(words)).to_numpy(), dtype=np.int64)
    return table[indices]


def mix(h: U64, x: npt.NDArray[np.integer]) -> U64:
    """Fold `x` into `h` (splitmix64 finaliser over the xor): order matters, as it should."""
    with np.errstate(over="ignore"):
        z = h ^ x.astype(np.uint64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def ranks(group: npt.NDArray[np.integer], key: U64) -> npt.NDArray[np.int64]:
    """For each row, how many earlier rows share its (group, key)."""
    n = len(key)
    order = np.lexsort((np.arange(n), key, group))
    g, k = group[order], key[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = (g[1:] != g[:-1]) | (k[1:] != k[:-1])
    position = np.arange(n)
    first = np.maximum.accumulate(np.where(starts, position, 0))
    out = np.empty(n, dtype=np.int64)
    out[order] = position - first
    return out


def event_keys(
    ticket: npt.NDArray[np.integer],
    ts: npt.NDArray[np.int64],
    kind: npt.NDArray[np.integer],
    value: pa.Array | pa.ChunkedArray,
    actor: npt.NDArray[np.integer],
) -> npt.NDArray[np.int64]:
    """The key of each event as a signed BIGINT; `ticket` groups the ranks."""
    h = mix(np.full(len(ts), _NULL, dtype=np.uint64), ts)
    h = mix(h, kind)
    h = mix(h, string_hashes(value))
    h = mix(h, actor)
    h = mix(h, ranks(ticket, h))
    return h.view(np.int64)
