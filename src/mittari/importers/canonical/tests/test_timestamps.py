"""The column-wise ISO 8601 parser agrees with Python's datetime, row by row."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta, timezone

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from mittari.importers.canonical.isotext import _by_regex, _byte_matrix, _fixed_shape
from mittari.importers.canonical.timestamps import TsVerdict, parse_timestamps

_MOMENTS = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31))
_OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timedelta(minutes=m))


def _us(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


@given(st.lists(st.tuples(_MOMENTS, _OFFSETS), min_size=1, max_size=30))
def test_offset_timestamps_match_datetime(rows: list[tuple[datetime, timedelta]]) -> None:
    aware = [moment.replace(tzinfo=timezone(offset)) for moment, offset in rows]
    instants, verdict = parse_timestamps(pa.array([m.isoformat() for m in aware]), None)
    assert list(verdict) == [TsVerdict.OK] * len(rows)
    assert list(instants) == [_us(m) for m in aware]


@given(st.lists(_MOMENTS, min_size=1, max_size=30))
def test_naive_timestamps_match_zoneinfo_outside_gaps(moments: list[datetime]) -> None:
    zone = zoneinfo.ZoneInfo("Europe/Helsinki")
    instants, _ = parse_timestamps(pa.array([m.isoformat() for m in moments]), "Europe/Helsinki")
    for moment, got in zip(moments, instants, strict=True):
        local = moment.replace(tzinfo=zone)  # fold=0: the earlier of an ambiguous pair
        exists = local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == moment
        if exists:
            assert got == _us(local)


_FIXED = st.builds(
    lambda y, mo, d, sep, h, mi, s, zone: (
        f"{y:04d}-{mo:02d}-{d:02d}{sep}{h:02d}:{mi:02d}:{s:02d}{zone}"
    ),
    st.integers(0, 9999),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["T", "t", " "]),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["", "Z", "z", "+02:00", "-04:30", "+25:00", "-00:61"]),
)


@given(st.lists(_FIXED, min_size=1, max_size=20))
def test_the_fixed_shape_fast_path_agrees_with_the_regex_path(texts: list[str]) -> None:
    text = pa.array(texts)
    chars, length = _byte_matrix(text)
    fast, slow = _fixed_shape(chars, length), _by_regex(text)
    assert fast.matched.all()
    for name in ("y", "mo", "d", "h", "mi", "s", "offset_us", "has_offset", "offset_ok"):
        assert list(getattr(fast, name)) == list(getattr(slow, name)), name


def test_shapes_off_the_fast_path_are_read_by_the_regex() -> None:
    texts = ["2025-03-01T09:30+02:00", "2025-03-01T09:30:00.5+0200", "2025-03-01T09:30:00,25-02",
             "2025-03-01T09:30:00 Z", "x", "2025-03-01T09:30:00+02:00 "]  # fmt: skip
    instants, verdict = parse_timestamps(pa.array(texts), None)
    assert list(verdict) == [0, 0, 0, TsVerdict.SYNTAX, TsVerdict.SYNTAX, 0]
    base = _us(datetime(2025, 3, 1, 7, 30, tzinfo=UTC))
    assert list(instants[[0, 1, 2, 5]]) == [
        base,
        base + 500_000,
        base + 4 * 3600 * 10**6 + 250_000,
        base,
    ]
