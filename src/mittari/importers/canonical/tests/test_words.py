"""Columns as codes into distinct words: what the fast paths must agree with."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from mittari.importers.canonical.words import encode, first_appearance, first_rows

_WORDS = st.sampled_from(["a", " a", "a ", "b", "", "  ", "Ärrä", None])


def _texts(words: pa.Array | pa.ChunkedArray) -> list[str]:
    """Each row's text through its code: what `encode` says the rows hold."""
    encoded = encode(words)
    return [encoded.words[int(code)].as_py() for code in encoded.codes()]


def _trimmed(values: list[str | None]) -> list[str]:
    return [(v or "").strip() for v in values]


@given(st.lists(st.lists(_WORDS, max_size=8), min_size=1, max_size=5))
def test_chunks_with_their_own_dictionaries_decode_to_their_trimmed_text(
    chunks: list[list[str | None]],
) -> None:
    column = pa.chunked_array(
        [pa.array(c, pa.string()).dictionary_encode() for c in chunks],
        pa.dictionary(pa.int32(), pa.string()),
    )
    every = [v for c in chunks for v in c]
    assert _texts(column) == _trimmed(every)
    encoded = encode(column)
    assert len(set(encoded.words.to_pylist())) == len(encoded.words)  # distinct


@given(st.lists(_WORDS, max_size=30))
def test_plain_string_columns_decode_to_their_trimmed_text(values: list[str | None]) -> None:
    assert _texts(pa.array(values, pa.string())) == _trimmed(values)


def test_null_indices_are_null_whatever_their_slot_holds() -> None:
    valid = pa.py_buffer(bytes([0b0101]))  # rows 0 and 2 valid
    held = pa.py_buffer(np.array([0, 100, 1, -7], dtype=np.int8).tobytes())
    indices = pa.Array.from_buffers(pa.int8(), 4, [valid, held])
    column = pa.DictionaryArray.from_arrays(indices, pa.array(["x", "y"]))
    encoded = encode(column)
    assert _texts(column) == ["x", "", "y", ""]
    rows = np.array([1, 2, 3])
    assert [encoded.words[int(c)].as_py() for c in encoded.at(rows)] == ["", "y", ""]


@given(st.lists(st.integers(0, 6), max_size=40))
def test_first_appearance_numbers_codes_in_order_of_appearance(codes: list[int]) -> None:
    array = np.array(codes, dtype=np.int64)
    new, old = first_appearance(array)
    expected = list(dict.fromkeys(codes))  # distinct, first appearance first
    assert list(old) == expected
    assert [expected[n] for n in new] == codes
    if codes:
        assert list(first_rows(new)) == [codes.index(c) for c in expected]


def test_codes_already_in_order_of_appearance_are_not_copied() -> None:
    codes = np.array([0, 0, 1, 0, 2, 2, 1, 3], dtype=np.int64)
    new, old = first_appearance(codes)
    assert new is codes and list(old) == [0, 1, 2, 3]


def test_parquet_row_group_dictionaries_become_one_vocabulary() -> None:
    column = pa.chunked_array([pa.array(["t1", "t2"]), pa.array(["t2", " t3"])])
    per_group = pa.chunked_array([pc.dictionary_encode(c) for c in column.chunks])
    encoded = encode(per_group)
    words, codes = encoded.by_appearance()
    assert words.to_pylist() == ["t1", "t2", "t3"]
    assert list(codes) == [0, 1, 1, 2]
