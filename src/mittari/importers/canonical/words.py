"""A text column as codes into its distinct words, so that word work is done once per word.

An event log has a few dozen distinct kinds, statuses and actors in millions of rows:
trimming, case-folding and looking up the dictionary of a column, then mapping each row's
code through the answer, costs a fraction of doing it row by row. Parquet gives string
columns dictionary-encoded (one dictionary per row group); any other column is encoded
here (a hash pass, no sort). The rows' codes are read in place from Arrow's buffers, a
chunk at a time: nothing per row is copied until a per-row answer is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I8, I64

Codes = npt.NDArray[np.signedinteger]
_T = TypeVar("_T", bound=np.generic)


@dataclass(frozen=True)
class _Part:
    """Consecutive rows: each one's index into a dictionary, and each entry's word.

    `indices` are Arrow's own buffer (read in place); at a null row they mean nothing and
    the row's word is the last of `word` (the null's).
    """

    indices: Codes
    word: I64  # one per dictionary entry, then the null's
    nulls: I64 | None  # the part's null rows (ascending); None: there are none

    def look_up(
        self, lut: npt.NDArray[_T], rows: I64 | None = None, out: npt.NDArray[_T] | None = None
    ) -> npt.NDArray[_T]:
        """`lut` (a value per entry of `word`) at `rows` of the part (all when None), into
        `out` when given."""
        indices = self.indices if rows is None else self.indices[rows]
        found = np.take(lut, indices, out=out, mode="clip")  # clip: a null's index is any
        if self.nulls is not None:
            found[_where(self.nulls, rows)] = lut[-1]
        return found


@dataclass(frozen=True)
class Words:
    """A column's text as distinct `words` (trimmed, "" for null) and each row's word."""

    words: pa.Array  # string
    parts: tuple[_Part, ...]

    def __len__(self) -> int:
        return sum(len(part.indices) for part in self.parts)

    def per_row(self, per_word: npt.NDArray[_T]) -> npt.NDArray[_T]:
        """Spread a value per word (indexed like `words`) to every row."""
        out = np.empty(len(self), dtype=per_word.dtype)
        for span, part, lut in self._lookups(per_word):
            part.look_up(lut, out=out[span])
        return out

    def codes(self) -> I64:
        """Each row's index into `words`."""
        return self.per_row(np.arange(len(self.words), dtype=np.int64))

    def at(self, rows: I64) -> I64:
        """The index into `words` of each of `rows` (ascending)."""
        out = np.empty(len(rows), dtype=np.int64)
        every = np.arange(len(self.words), dtype=np.int64)
        for span, part, lut in self._lookups(every):
            lo, hi = np.searchsorted(rows, [span.start, span.stop])
            part.look_up(lut, rows[lo:hi] - span.start, out=out[lo:hi])
        return out

    def by_appearance(self) -> tuple[pa.Array, I64]:
        """The distinct words in order of first appearance, and each row's index into them.

        A Parquet or Arrow dictionary is usually in that order already: then this costs
        one pass over the codes.
        """
        codes, old = first_appearance(self.codes())
        if (old == np.arange(len(old))).all():  # the first words, in order
            return self.words.slice(0, len(old)), codes
        return self.words.take(pa.array(old)), codes

    def _lookups(self, per_word: npt.NDArray[_T]) -> Iterator[tuple[slice, _Part, npt.NDArray[_T]]]:
        """Each part's rows, and `per_word` per entry of its dictionary (shared ones once)."""
        start, word, lut = 0, None, per_word
        for part in self.parts:
            if part.word is not word:
                word, lut = part.word, per_word[part.word]
            yield slice(start, start + len(part.indices)), part, lut
            start += len(part.indices)


def encode(column: pa.Array | pa.ChunkedArray) -> Words:
    """Words of a string or dictionary<string> column (a plain array or chunked)."""
    if isinstance(column, pa.Array):
        column = pa.chunked_array([column])
    if not pa.types.is_dictionary(column.type):
        column = pa.chunked_array([pc.dictionary_encode(column.combine_chunks())])
    dictionaries, own = _distinct_dictionaries(column.chunks)
    # laid end to end with "" last (the word of null rows), then merged by trimmed text
    laid = pa.concat_arrays([*dictionaries, pa.array([""], pa.string())])
    if laid.null_count:  # a null in a dictionary
        laid = laid.fill_null("")
    words = pc.dictionary_encode(pc.utf8_trim_whitespace(laid))
    word = np.asarray(words.indices.to_numpy(), dtype=np.int64)
    ends = np.cumsum([len(d) for d in dictionaries], dtype=np.int64)
    maps = [
        np.append(word[end - len(d) : end], word[-1])
        for d, end in zip(dictionaries, ends, strict=True)
    ]
    parts = [_part(chunk, maps[k]) for chunk, k in zip(column.chunks, own, strict=True)]
    return Words(words.dictionary, tuple(parts))


def absent(n: int) -> Words:
    """Words of a column a file lacks: every row empty."""
    rows = _Part(np.zeros(n, dtype=np.int8), np.zeros(2, dtype=np.int64), None)
    return Words(pa.array([""], pa.string()), (rows,))


def lookup(words: pa.Array, names: Sequence[str], fold: Callable[[pa.Array], pa.Array]) -> I8:
    """Index of each (case-folded) word in `names`, -1 where it is not one of them.

    The names of an IntEnum (KIND_NAMES, ...) are listed in code order from 0, so the index
    of a name is its code.
    """
    found = pc.index_in(fold(words), value_set=pa.array(list(names), pa.string()))
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int8)


def lengths(words: pa.Array) -> I64:
    """The length of each word, in characters."""
    return np.asarray(pc.utf8_length(words).to_numpy(zero_copy_only=False), dtype=np.int64)


def first_appearance(codes: I64) -> tuple[I64, I64]:
    """`codes` renumbered 0, 1, 2, … in order of first appearance, and each one's old code.

    When they are numbered so already, `codes` itself is returned (not a copy).
    """
    if len(codes) == 0:
        return codes, codes
    if _numbered_by_appearance(codes):
        return codes, np.arange(int(codes.max()) + 1, dtype=np.int64)
    encoded = pc.dictionary_encode(pa.array(codes))  # a hash pass: first-appearance order
    new = np.asarray(encoded.indices.to_numpy(), dtype=np.int64)
    return new, np.asarray(encoded.dictionary.to_numpy(), dtype=np.int64)


def first_rows(codes: I64) -> I64:
    """The row where each code first appears, for codes numbered by first appearance."""
    if len(codes) == 0:
        return np.zeros(0, dtype=np.int64)
    seen = np.maximum.accumulate(codes)
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    np.greater(seen[1:], seen[:-1], out=new[1:])
    return np.flatnonzero(new)


def _numbered_by_appearance(codes: I64) -> bool:
    """Whether the first code is 0 and every code at most one more than all before it."""
    if codes[0] != 0:
        return False
    block = 1 << 20  # in blocks: the running maximum of a block is a small temporary
    top = -1  # the largest code before the block
    for start in range(0, len(codes), block):
        seen = np.maximum.accumulate(codes[start : start + block])
        np.maximum(seen, top, out=seen)
        if seen[0] > top + 1 or (np.diff(seen) > 1).any():
            return False
        top = int(seen[-1])
    return True


def _distinct_dictionaries(
    chunks: Sequence[pa.DictionaryArray],
) -> tuple[list[pa.Array], list[int]]:
    """The chunks' distinct dictionaries and, per chunk, the index of its own.

    A Parquet reader gives the chunks of one row group the same dictionary, so comparing
    each with the one before finds the distinct ones.
    """
    dictionaries: list[pa.Array] = []
    first = []
    for chunk in chunks:
        if not dictionaries or not chunk.dictionary.equals(dictionaries[-1]):
            dictionaries.append(chunk.dictionary.cast(pa.string()))
        first.append(len(dictionaries) - 1)
    return dictionaries, first


def _where(members: I64, rows: I64 | None) -> I64:
    """The positions in `rows` (all rows when None) of `members` (ascending)."""
    if rows is None or len(members) == 0:
        return members
    near = members[np.minimum(np.searchsorted(members, rows), len(members) - 1)]
    return np.flatnonzero(near == rows)


def _part(chunk: pa.DictionaryArray, word: I64) -> _Part:
    nulls = chunk.is_null().to_numpy(zero_copy_only=False) if chunk.null_count else None
    return _Part(_in_place(chunk.indices), word, None if nulls is None else np.flatnonzero(nulls))


def _in_place(integers: pa.Array) -> Codes:
    """The values of an integer array without a copy, null slots included (any value)."""
    if len(integers) == 0:
        return np.zeros(0, dtype=np.int64)
    dtype = np.dtype(integers.type.to_pandas_dtype())
    start = integers.offset * dtype.itemsize
    return np.frombuffer(integers.buffers()[1], dtype=dtype, count=len(integers), offset=start)
