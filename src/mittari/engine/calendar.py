"""Business calendars: local opening hours compiled to UTC intervals, queried in bulk.

A calendar is compiled, date by date in its own zone, into sorted disjoint UTC intervals
with a running total of open time before each. Then, for int64 µs instants:

    open_before(t) = cum_start[i] + min(t - start[i], length[i]),  i = last start ≤ t
    business(a, b) = open_before(b) - open_before(a)
    due(a, x)      = the instant where open_before reaches open_before(a) + x

Finding `i` is the hot step. Instead of a binary search over all intervals, an hourly
bucket table gives the last start before each UTC hour; a few vectorised passes then step
over the starts inside the hour (most hours hold none). Everything is numpy, no Python
loop per instant. DST is exact because intervals are built from local wall times per date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from mittari.engine.errors import CalendarError
from mittari.engine.types import I64, US, CalendarSpec

try:  # the optional C kernel (setup.py); the numpy path below gives identical results
    from mittari.engine import _calkernel as _kernel  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - exercised where no compiler was available
    _kernel = None

DAY = 86400 * US
SHIFT = 32  # bucket width 2**32 µs (about 72 minutes): a shift, cheaper than a division
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MARGIN_DAYS = 3  # shifts may run up to two days past their start date; one day spare
_MAX_SPAN = 200 * 366 * DAY  # extending further than this means there is no working time


def _epoch_us(dt: datetime) -> int:
    delta = dt - _EPOCH
    return (delta.days * 86400 + delta.seconds) * US + delta.microseconds


def _gap_end(early_us: int, late_us: int, zone: ZoneInfo) -> int:
    """First instant in (early, late] with the post-transition offset (a DST gap's end)."""
    target = _offset_at(late_us, zone)
    lo, hi = early_us // US, late_us // US  # zone transitions fall on whole seconds
    while lo < hi:
        mid = (lo + hi) // 2
        if _offset_at(mid * US, zone) == target:
            hi = mid
        else:
            lo = mid + 1
    return hi * US


def _offset_at(t_us: int, zone: ZoneInfo) -> timedelta | None:
    return (_EPOCH + timedelta(microseconds=t_us)).astimezone(zone).utcoffset()


def local_to_utc(day: date, minute: int, zone: ZoneInfo) -> int:
    """UTC µs of local `day` + `minute`. Gap → the transition instant; overlap → earlier."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    first = _epoch_us(naive.replace(tzinfo=zone, fold=0))
    second = _epoch_us(naive.replace(tzinfo=zone, fold=1))
    back = (_EPOCH + timedelta(microseconds=first)).astimezone(zone).replace(tzinfo=None)
    if back == naive:  # exists; when ambiguous the two folds differ and we take the earlier
        return min(first, second)
    # Nonexistent wall time (spring forward): fold=0 used the old offset and landed after
    # the gap, fold=1 before it; the gap ends at the transition instant between them.
    return _gap_end(min(first, second), max(first, second), zone)


def _zone(spec: CalendarSpec) -> ZoneInfo:
    try:
        return ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CalendarError(f"calendar {spec.name!r}: unknown time zone {spec.timezone!r}") from exc


def _day_intervals(spec: CalendarSpec, first: date, last: date) -> list[tuple[int, int]]:
    """Open UTC intervals of the shifts starting on local dates first..last."""
    zone = _zone(spec)
    closed: set[date] = set()
    for year in range(first.year, last.year + 1):
        closed |= spec.holidays(year)
    out: list[tuple[int, int]] = []
    day = first
    while day <= last:
        if day not in closed:
            for s, e in spec.weekly[day.weekday()]:
                out.append((local_to_utc(day, s, zone), local_to_utc(day, e, zone)))
        day += timedelta(days=1)
    return out


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue  # a shift swallowed whole by a DST gap
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _subtract(opened: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`opened` minus `holes`; both sorted and disjoint."""
    out: list[tuple[int, int]] = []
    j = 0
    for s, e in opened:
        while j < len(holes) and holes[j][1] <= s:
            j += 1
        k, cur = j, s
        while k < len(holes) and holes[k][0] < e:
            if holes[k][0] > cur:
                out.append((cur, holes[k][0]))
            cur = max(cur, holes[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def _closures(spec: CalendarSpec, first: date, last: date) -> list[tuple[int, int]]:
    zone = _zone(spec)
    holes = [
        (local_to_utc(d, s, zone), local_to_utc(d, e, zone))
        for d, s, e in spec.closures
        if first <= d <= last
    ]
    return _merge(holes)


def validate_spec(spec: CalendarSpec) -> None:
    """Reject a calendar that can never be open (checked when it is loaded)."""
    _zone(spec)
    if spec.always_open:
        return
    if len(spec.weekly) != 7:
        raise CalendarError(f"calendar {spec.name!r}: weekly hours need 7 weekdays")
    for day in spec.weekly:
        for s, e in day:
            if not (0 <= s < 1440 and s < e <= s + 1440):
                raise CalendarError(f"calendar {spec.name!r}: bad interval minutes ({s}, {e})")
    if not any(spec.weekly):
        raise CalendarError(f"calendar {spec.name!r} has no working time")


class _Compiled:
    """Intervals of one calendar over [lo, hi], with the bucket index.

    Per interval i: `next_start[i]` (start of i + 1), `offset[i]` = open time before it
    minus its start, and `cum_end[i]` = open time up to its end, so that for the last
    interval i starting at or before t: open_before(t) = min(t + offset[i], cum_end[i]).
    """

    def __init__(self, spec: CalendarSpec, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi
        first = (_EPOCH + timedelta(microseconds=lo)).date() - timedelta(days=_MARGIN_DAYS)
        last = (_EPOCH + timedelta(microseconds=hi)).date() + timedelta(days=_MARGIN_DAYS)
        opened = _merge(_day_intervals(spec, first, last))
        pairs = _subtract(opened, _closures(spec, first, last))
        # Sentinels: an empty interval before everything and one after, so that the index
        # arithmetic never needs a bounds mask.
        far_lo, far_hi = lo - 10 * DAY, hi + 10 * DAY
        pairs = [(far_lo, far_lo), *pairs, (far_hi, far_hi)]
        arr = np.array(pairs, dtype=np.int64)
        start, length = arr[:, 0], arr[:, 1] - arr[:, 0]
        self.cum_end: I64 = np.ascontiguousarray(np.cumsum(length), dtype=np.int64)
        self.offset: I64 = np.ascontiguousarray(self.cum_end - length - start, dtype=np.int64)
        self.next_start: I64 = np.append(start[1:], far_hi).astype(np.int64)
        self.base = (lo >> SHIFT) << SHIFT
        edges = self.base + (np.arange(((hi - self.base) >> SHIFT) + 2, dtype=np.int64) << SHIFT)
        last_start = np.searchsorted(start, edges, side="right") - 1
        self.bucket_last: I64 = np.ascontiguousarray(last_start, dtype=np.int64)
        # Starts strictly inside a bucket: how many stepping passes the numpy path needs.
        inside = np.diff(np.searchsorted(start, edges, side="left"))
        self.passes = int(inside.max()) if len(inside) else 0

    def tables(self) -> tuple[I64, I64, I64, I64, int, int]:
        return self.bucket_last, self.next_start, self.offset, self.cum_end, self.base, SHIFT

    def open_before(self, t: I64) -> I64:
        """numpy path: a handful of whole-array passes."""
        i = self.bucket_last[(t - self.base) >> SHIFT]
        for _ in range(self.passes):
            i = i + (self.next_start[i] <= t)
        out: I64 = np.minimum(t + self.offset[i], self.cum_end[i])
        return out

    def reach(self, total: I64) -> I64:
        """Earliest instant where open time (counted from the first interval) is `total`."""
        j = np.searchsorted(self.cum_end, total, side="left")
        j = np.minimum(j, len(self.cum_end) - 1)
        return total - self.offset[j]  # = start[j] + (total - open time before j)

    def business(self, a: I64, b: I64) -> I64:
        if _kernel is None:
            return self.open_before(b) - self.open_before(a)
        out = np.empty(len(a), dtype=np.int64)
        _kernel.business(*self.tables(), a, b, out)
        return out

    def due(self, a: I64, budget: I64) -> I64:
        if _kernel is None:
            out = self.reach(self.open_before(a) + budget)
            return np.where(budget <= 0, a, out)
        out = np.empty(len(a), dtype=np.int64)
        _kernel.due(*self.tables(), a, budget, out)
        return out


class BusinessCalendar:
    """Vectorised business time of one calendar; compiles (and extends) itself on demand."""

    def __init__(self, spec: CalendarSpec) -> None:
        validate_spec(spec)
        self.spec = spec
        self._compiled: _Compiled | None = None

    def _ensure(self, lo: int, hi: int) -> _Compiled:
        c = self._compiled
        if c is not None and c.lo <= lo and hi <= c.hi:
            return c
        if c is not None:  # grow generously so a stream of queries does not recompile often
            lo, hi = min(lo, c.lo), max(hi, c.hi)
        span = max(hi - lo, 0)
        lo, hi = lo - 31 * DAY, hi + max(366 * DAY, span // 4)
        if hi - lo > _MAX_SPAN:
            raise CalendarError(f"calendar {self.spec.name!r}: span of {hi - lo} µs is too long")
        self._compiled = _Compiled(self.spec, lo, hi)
        return self._compiled

    def business(self, a: I64, b: I64) -> I64:
        """Open µs in [a, b) for each pair (negative when b < a)."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        if self.spec.always_open:
            return b - a
        if a.size == 0:
            return np.zeros(0, dtype=np.int64)
        a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
        c = self._ensure(int(min(a.min(), b.min())), int(max(a.max(), b.max())))
        return c.business(a, b)

    def due(self, a: I64, budget: I64) -> I64:
        """Earliest t ≥ a with business(a, t) ≥ budget (budget ≥ 0; due(a, 0) = a)."""
        a = np.asarray(a, dtype=np.int64)
        budget = np.ascontiguousarray(np.broadcast_to(np.asarray(budget, dtype=np.int64), a.shape))
        a = np.ascontiguousarray(a)
        if self.spec.always_open:
            return a + budget
        if a.size == 0:
            return np.zeros(0, dtype=np.int64)
        hi = int(a.max())
        while True:
            c = self._ensure(int(a.min()), hi)
            out = c.due(a, budget)
            beyond = out > c.hi
            if not beyond.any():
                return out
            hi = c.hi + (c.hi - c.lo)  # the budget runs past the compiled range: double it
