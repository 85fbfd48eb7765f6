"""ISO 8601 timestamps to int64 µs UTC, a whole column at a time.

Arrow's own string→timestamp cast fails the whole column on one bad value, so the text is
split into fields column-wise (`isotext.py`) and the calendar arithmetic is done in numpy;
every row gets a verdict of its own.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from enum import IntEnum

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I8, I64, US, BoolArr
from mittari.importers.canonical.isotext import Fields, split_iso
from mittari.importers.canonical.zones import local_to_utc

_DAY_US = 86_400 * US
_BLOCK = 1 << 18  # text rows parsed at a time
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


class TsVerdict(IntEnum):
    """Why a timestamp was not taken (OK when it was)."""

    OK = 0
    EMPTY = 1
    SYNTAX = 2  # not ISO 8601
    RANGE = 3  # ISO 8601 in form, but no such date or time (month 13, 24:61, Feb 30)
    NAIVE = 4  # no UTC offset and no time zone named for the file


def check_timezone(name: str) -> None:
    """Raise ValueError unless `name` is an IANA time zone known to this machine."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone {name!r}") from exc


def parse_timestamps(column: pa.Array | pa.ChunkedArray, timezone: str | None) -> tuple[I64, I8]:
    """Instants (µs UTC; 0 where the verdict is not OK) and a TsVerdict per row.

    Strings must be ISO 8601 (`2025-03-01T09:30:00+02:00`, `...Z`, `.123456` optional). A
    time without an offset is local wall time in `timezone` (DST rules in `zones.py`), or
    NAIVE when none is given.
    Arrow timestamp columns (from Parquet) are taken as they are: with a zone as instants,
    without one like naive strings. One chunk of µs with a zone and no nulls is read in
    place: the instants returned are its memory.
    """
    if pa.types.is_timestamp(column.type):
        return _from_arrow_timestamps(column, timezone)
    instants = np.empty(len(column), dtype=np.int64)
    verdict = np.empty(len(column), dtype=np.int8)
    at = 0
    for block in _blocks(column):
        rows = slice(at, at + len(block))
        instants[rows], verdict[rows] = _from_text(block, timezone)
        at += len(block)
    return instants, verdict


def _blocks(column: pa.Array | pa.ChunkedArray) -> Iterator[pa.Array]:
    """The column a block of rows at a time (the temporaries of a block stay small)."""
    for chunk in column.chunks if isinstance(column, pa.ChunkedArray) else [column]:
        for start in range(0, len(chunk), _BLOCK):
            yield chunk.slice(start, _BLOCK)


def _from_text(column: pa.Array, timezone: str | None) -> tuple[I64, I8]:
    if not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    text = pc.utf8_trim_whitespace(column.fill_null(""))
    parts = split_iso(text)
    wall_us, in_range = _wall_clock_us(parts)
    verdict = np.full(len(text), TsVerdict.OK, dtype=np.int8)
    verdict[~(in_range & parts.offset_ok)] = TsVerdict.RANGE
    verdict[~parts.matched] = TsVerdict.SYNTAX
    verdict[(pc.utf8_length(text).to_numpy() == 0)] = TsVerdict.EMPTY
    instants = wall_us - parts.offset_us
    naive = (verdict == TsVerdict.OK) & ~parts.has_offset
    if timezone is None:
        verdict[naive] = TsVerdict.NAIVE
    elif naive.any():
        instants[naive] = local_to_utc(wall_us[naive], timezone)
    instants[verdict != TsVerdict.OK] = 0
    return instants, verdict


def _from_arrow_timestamps(
    column: pa.Array | pa.ChunkedArray, timezone: str | None
) -> tuple[I64, I8]:
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    zone = column.type.tz
    instants = _as_us(chunks, zone) if zone is None else _in_place(chunks, zone)
    verdict = np.zeros(len(instants), dtype=np.int8)  # TsVerdict.OK
    if column.null_count:
        verdict[_nulls(chunks)] = TsVerdict.EMPTY
    if zone is None and timezone is None:
        verdict[verdict == TsVerdict.OK] = TsVerdict.NAIVE
    elif zone is None and timezone is not None:
        instants = local_to_utc(instants, timezone)
    taken = verdict == TsVerdict.OK
    if not taken.all():  # then `instants` is a copy: in place means a zone and no nulls
        instants[~taken] = 0
    return instants, verdict


def _in_place(chunks: list[pa.Array], zone: str) -> I64:
    """Instants of a column with a zone: its own buffer when it is one chunk of µs without
    nulls in writable memory (no copy: the log's `ts` and the column then share it)."""
    data = chunks[0].buffers()[1] if len(chunks) == 1 else None
    if data is None or not data.is_mutable or chunks[0].type.unit != "us" or chunks[0].null_count:
        return _as_us(chunks, zone)
    start = chunks[0].offset * 8
    return np.frombuffer(data, dtype=np.int64, count=len(chunks[0]), offset=start)


def _as_us(chunks: list[pa.Array], tz: str | None) -> I64:
    """Timestamp chunks as one int64 µs array (sub-µs truncated), nulls as 0."""
    out = np.empty(sum(len(chunk) for chunk in chunks), dtype=np.int64)
    at = 0
    for chunk in chunks:
        as_us = pc.cast(chunk, pa.timestamp("us", tz=tz), safe=False).cast(pa.int64())
        out[at : at + len(chunk)] = (as_us.fill_null(0) if chunk.null_count else as_us).to_numpy()
        at += len(chunk)
    return out


def _nulls(chunks: list[pa.Array]) -> BoolArr:
    return np.concatenate([chunk.is_null().to_numpy(zero_copy_only=False) for chunk in chunks])


def _wall_clock_us(f: Fields) -> tuple[I64, BoolArr]:
    """Wall-clock µs (date and time read as if UTC) and whether each field is in range.

    Year 0000 is out of range: Python's datetime (used for zone rules) starts at year 1.
    """
    leap = (f.y % 4 == 0) & ((f.y % 100 != 0) | (f.y % 400 == 0))
    month_ok = (f.mo >= 1) & (f.mo <= 12)
    month = np.where(month_ok, f.mo, 1)
    last_day = _DAYS_IN_MONTH[month] + ((month == 2) & leap)
    ok = (f.y >= 1) & month_ok & (f.d >= 1) & (f.d <= last_day)
    ok &= (f.h <= 23) & (f.mi <= 59) & (f.s <= 59)
    days = days_from_civil(f.y, month, f.d)
    wall = days * _DAY_US + ((f.h * 60 + f.mi) * 60 + f.s) * US + f.micros
    return wall, ok


def days_from_civil(y: I64, m: I64, d: I64) -> I64:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return np.asarray(era * 146_097 + doe - 719_468, dtype=np.int64)
