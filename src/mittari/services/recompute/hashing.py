"""The partition of a ticket: a stable hash of (customer, ticket_id), modulo the partitions.

The hash is 64-bit FNV-1a over the UTF-8 bytes of `customer + "\\x1f" + ticket_id` (the
ticket id trimmed as the importer trims it, a missing customer as ""), then MurmurHash3's
64-bit finaliser (`fmix64`) so that every bit of the result depends on every byte, then
modulo N. It is written out here, not Python's `hash()` (salted per process): a split task
and a measure task on two machines must agree, and any other tool can recompute it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64

U64 = npt.NDArray[np.uint64]
SEPARATOR = "\x1f"  # a unit separator: never part of a customer key
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_FMIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)


def ticket_keys(customers: pa.Array, ticket_ids: pa.Array) -> pa.Array:
    """`customer + "\\x1f" + trimmed ticket_id` per ticket, the text that is hashed."""
    ids = pc.utf8_trim_whitespace(ticket_ids.cast(pa.string()).fill_null(""))
    names = customers.cast(pa.string()).fill_null("")
    return pc.binary_join_element_wise(names, ids, SEPARATOR)


def partition_of(customers: pa.Array, ticket_ids: pa.Array, n_partitions: int) -> I64:
    """The partition (0..n-1) of each ticket."""
    if n_partitions < 1:
        raise ValueError(f"need at least one partition, not {n_partitions}")
    hashed = stable_hash(ticket_keys(customers, ticket_ids))
    return (hashed % np.uint64(n_partitions)).astype(np.int64)


def stable_hash(text: pa.Array) -> U64:
    """FNV-1a 64 of each string's UTF-8 bytes, finalised by fmix64 (nulls hash as "")."""
    text = text.cast(pa.large_string()).fill_null("")
    offsets_buffer, data_buffer = text.buffers()[1:3]
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        text.offset : text.offset + len(text) + 1
    ]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer else np.zeros(0, np.uint8)
    return _fmix64(_fnv1a(offsets, data))


def _fnv1a(offsets: I64, data: npt.NDArray[np.uint8]) -> U64:
    """All strings at once, a byte position at a time (ids are short and similar in length)."""
    starts, lengths = offsets[:-1], np.diff(offsets)
    h = np.full(len(starts), _FNV_OFFSET, dtype=np.uint64)
    shortest = int(lengths.min()) if len(lengths) else 0
    longest = int(lengths.max()) if len(lengths) else 0
    for j in range(longest):
        if j < shortest:  # every string has a byte here
            h ^= data[starts + j]
            h *= _FNV_PRIME  # uint64 arithmetic wraps modulo 2**64, as FNV wants
        else:
            live = np.flatnonzero(lengths > j)
            h[live] = (h[live] ^ data[starts[live] + j]) * _FNV_PRIME
    return h


def _fmix64(h: U64) -> U64:
    h = h ^ (h >> _SHIFT)
    h = h * _FMIX_1
    h = h ^ (h >> _SHIFT)
    h = h * _FMIX_2
    return h ^ (h >> _SHIFT)
