"""ISO 8601 text split into numeric fields, a whole column at a time.

Two paths, one result. Most exports write one fixed shape (`2025-03-01T09:30:00Z`,
`...+02:00`, or naive `2025-03-01T09:30:00`); those rows are read as a byte matrix in
numpy, ~50x faster than a regular expression with captures. Every other row (fractions,
`+0200`, no seconds, garbage) goes through RE2's `extract_regex`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64, US, BoolArr

PATTERN = (
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[Tt ](?P<h>\d{2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"(?P<z>[Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
_WIDTH = 25  # the longest fixed shape: 2025-03-01T09:30:00+02:00
_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
U8 = npt.NDArray[np.uint8]


@dataclass
class Fields:
    """Numeric fields per row; `matched` says where the text was ISO 8601 in form."""

    matched: BoolArr
    y: I64
    mo: I64
    d: I64
    h: I64
    mi: I64
    s: I64
    micros: I64
    offset_us: I64  # to subtract from the wall clock to get UTC
    has_offset: BoolArr
    offset_ok: BoolArr  # offset hours ≤ 23 and minutes ≤ 59

    @staticmethod
    def empty(n: int) -> Fields:
        zeros = {f.name: np.zeros(n, dtype=np.int64) for f in fields(Fields)}
        flags = {name: np.zeros(n, dtype=bool) for name in ("matched", "has_offset")}
        return Fields(**{**zeros, **flags, "offset_ok": np.ones(n, dtype=bool)})

    def put(self, rows: I64, other: Fields) -> None:
        for f in fields(Fields):
            getattr(self, f.name)[rows] = getattr(other, f.name)


def split_iso(text: pa.Array) -> Fields:
    """Fields of each row of a trimmed, null-free string column."""
    chars, length = _byte_matrix(text)
    found = _fixed_shape(chars, length)
    rest = np.flatnonzero(~found.matched & (length > 0))
    if len(rest):
        found.put(rest, _by_regex(text.take(pa.array(rest))))
    return found


def _byte_matrix(text: pa.Array) -> tuple[U8, I64]:
    """The first _WIDTH bytes of every string (0 past its end) and each string's length."""
    text = text.cast(pa.string())  # int32 offsets, whatever came in
    _, offsets_buffer, data_buffer = text.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        text.offset : text.offset + len(text) + 1
    ]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else None
    length = np.diff(offsets).astype(np.int64)
    if data is None or len(data) == 0:
        return np.zeros((len(text), _WIDTH), dtype=np.uint8), length
    at = offsets[:-1, None] + np.arange(_WIDTH)
    chars = data[np.minimum(at, len(data) - 1)]
    chars[np.arange(_WIDTH) >= length[:, None]] = 0
    return chars, length


def _fixed_shape(chars: U8, length: I64) -> Fields:
    found = Fields.empty(len(length))
    digit = (chars >= ord("0")) & (chars <= ord("9"))
    sep = chars[:, 10]
    shape = (
        digit[:, _DIGITS].all(axis=1)
        & (chars[:, 4] == ord("-")) & (chars[:, 7] == ord("-"))
        & ((sep == ord("T")) | (sep == ord("t")) | (sep == ord(" ")))
        & (chars[:, 13] == ord(":")) & (chars[:, 16] == ord(":"))
    )  # fmt: skip
    zulu = (length == 20) & ((chars[:, 19] == ord("Z")) | (chars[:, 19] == ord("z")))
    signed = (chars[:, 19] == ord("+")) | (chars[:, 19] == ord("-"))
    numeric = (length == 25) & signed & digit[:, [20, 21, 23, 24]].all(axis=1)
    numeric &= chars[:, 22] == ord(":")
    found.matched = shape & ((length == 19) | zulu | numeric)

    def number(first: int, last: int) -> I64:
        total = np.zeros(len(length), dtype=np.int64)
        for column in range(first, last):  # a loop over 2-4 digit positions, not rows
            total *= 10
            total += chars[:, column]
            total -= ord("0")  # a digit's value where `digit`
        return total

    found.y, found.mo, found.d = number(0, 4), number(5, 7), number(8, 10)
    found.h, found.mi, found.s = number(11, 13), number(14, 16), number(17, 19)
    hours, minutes = number(20, 22), number(23, 25)
    sign = np.where(chars[:, 19] == ord("-"), -1, 1)
    found.has_offset = zulu | numeric
    found.offset_us = np.where(numeric, sign * (hours * 3600 + minutes * 60) * US, 0)
    found.offset_ok = ~numeric | ((hours <= 23) & (minutes <= 59))
    return found


def _by_regex(text: pa.Array) -> Fields:
    parts = pc.extract_regex(text, pattern=PATTERN)
    found = Fields.empty(len(text))
    found.matched = parts.is_valid().to_numpy(zero_copy_only=False)
    found.y, found.mo, found.d = (_ints(parts.field(k)) for k in ("y", "mo", "d"))
    found.h, found.mi, found.s = (_ints(parts.field(k)) for k in ("h", "mi", "s"))
    # 1 to 9 digits of fraction: pad to 9, keep µs (sub-µs digits are dropped)
    fraction = pc.utf8_slice_codeunits(pc.utf8_rpad(parts.field("f"), 9, "0"), 0, 6)
    found.micros = _ints(fraction)
    found.offset_us, found.has_offset, found.offset_ok = _offsets(parts.field("z"))
    return found


def _ints(group: pa.Array) -> I64:
    """Digits of one regex group as int64, 0 where the group is empty."""
    digits = pc.if_else(pc.equal(group, ""), "0", group)
    return np.asarray(digits.cast(pa.int64()).to_numpy(), dtype=np.int64)


def _offsets(zone: pa.Array) -> tuple[I64, BoolArr, BoolArr]:
    """UTC offsets in µs, whether one was written, and whether it is in range."""
    text = pc.replace_substring(zone, ":", "")  # +02:00 / +0200 / +02 become +HHMM / +HH
    has_offset = pc.utf8_length(text).to_numpy() > 0
    is_utc = pc.equal(pc.utf8_upper(text), "Z").to_numpy(zero_copy_only=False)
    numeric = pa.array(has_offset & ~is_utc)
    hours = _ints(pc.if_else(numeric, pc.utf8_slice_codeunits(text, 1, 3), ""))
    minutes = _ints(pc.if_else(numeric, pc.utf8_slice_codeunits(text, 3, 5), ""))
    sign = np.where(pc.starts_with(text, "-").to_numpy(zero_copy_only=False), -1, 1)
    ok = (hours <= 23) & (minutes <= 59)
    return sign * (hours * 3600 + minutes * 60) * US, has_offset, ok
