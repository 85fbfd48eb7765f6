"""Local wall-clock times in an IANA zone to UTC instants, a whole column at a time.

`zoneinfo` (the zone rules the engine's calendars use) is asked once per distinct local
date, not once per row: on a date without a transition one offset serves every row. Only
the rows that fall on a transition date are converted one by one. Arrow's own
`assume_timezone` is not used: on machines with "slim" tz files it gets dates after 2037
wrong, and the importer must agree with the calendars.

DST rules (the same as the calendars'): a wall time inside a spring-forward gap does not
exist and becomes the transition instant, the first instant after the gap; one inside a
fall-back overlap happens twice and becomes the earlier instant (`fold=0`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from mittari.engine.types import I64, US

_DAY_US = 86_400 * US
_EPOCH = datetime(1970, 1, 1)
_ONE_US = timedelta(microseconds=1)
_LAST_DAY = (datetime(9999, 12, 31) - _EPOCH).days  # datetime ends there


def local_to_utc(wall_us: I64, timezone: str) -> I64:
    """UTC µs of wall times given as µs since 1970-01-01 00:00 local (read as if UTC)."""
    zone = ZoneInfo(timezone)
    days, row_day = np.unique(wall_us // _DAY_US, return_inverse=True)
    offsets = np.zeros(len(days), dtype=np.int64)
    simple = np.zeros(len(days), dtype=bool)
    for i, day in enumerate(days.tolist()):  # a loop over distinct dates, not rows
        edges = (day, min(day + 1, _LAST_DAY))
        seen = {_offset_us(edge * _DAY_US, zone, fold) for edge in edges for fold in (0, 1)}
        if len(seen) == 1:
            simple[i], offsets[i] = True, seen.pop()
    utc = np.asarray(wall_us - offsets[row_day], dtype=np.int64)
    hard = np.flatnonzero(~simple[row_day])
    utc[hard] = [_one_to_utc(int(w), zone) for w in wall_us[hard].tolist()]
    return utc


def _naive(wall_us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=wall_us)


def _offset_us(wall_us: int, zone: ZoneInfo, fold: int) -> int:
    offset = _naive(wall_us).replace(tzinfo=zone, fold=fold).utcoffset()
    return 0 if offset is None else offset // _ONE_US


def _zone_offset(instant_us: int, zone: ZoneInfo) -> int:
    moment = (_EPOCH + timedelta(microseconds=instant_us)).replace(tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    return 0 if offset is None else offset // _ONE_US


def _one_to_utc(wall_us: int, zone: ZoneInfo) -> int:
    """One wall time on a transition date: earlier of two, or the end of a gap."""
    after_gap = wall_us - _offset_us(wall_us, zone, 0)  # fold=0: the earlier if ambiguous
    if after_gap + _zone_offset(after_gap, zone) == wall_us:
        return after_gap  # the wall time exists
    # In a gap, fold=0 used the old offset and landed after the gap, fold=1 before it;
    # the transition (on a whole second) lies between: bisect for it.
    before_gap = wall_us - _offset_us(wall_us, zone, 1)
    late_offset = _zone_offset(after_gap, zone)
    lo, hi = before_gap // US, -(-after_gap // US)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if _zone_offset(mid * US, zone) == late_offset else (mid, hi)
    return hi * US
