"""Outages of one service as a step function of counting weight over time.

Outages overlap (two monitors see one failure; a partial outage inside a full one), so time
is never summed per outage. The breakpoints of every outage and maintenance window cut the
time line into elementary segments; on each segment the **counting weight** is

    0                                  if a planned outage covers it inside a window
    max(weights of the outages on it)  otherwise (0 where none)

Weights are integers in 1/10 000 (`WEIGHT_SCALE`), so weighted downtime (weight × agreed µs)
is an exact int64: monthly figures are compared with objectives without rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from mittari.engine.calendar import BusinessCalendar, local_to_utc
from mittari.engine.errors import EngineError
from mittari.engine.types import I64, BoolArr, Minutes

WEIGHT_SCALE = 10_000  # a full outage; 0.3 is 3 000
_LEVEL_CHUNK = 64  # distinct weights handled per pass (bounds the memory of `_max_cover`)


@dataclass(frozen=True)
class Steps:
    """Counting weight `weight[i]` on [t[i], t[i+1]); `excluded[i]`: planned work in a window.

    `down[i]` and `excl[i]` are the weighted downtime and the excluded agreed time before
    t[i] (running totals), so any range is two lookups and two partial segments.
    """

    t: I64
    weight: I64
    excluded: BoolArr
    down: I64
    excl: I64
    calendar: BusinessCalendar

    def downtime(self, a: I64, b: I64) -> I64:
        """Weighted downtime (µs × WEIGHT_SCALE) of agreed time in [a, b) per pair."""
        return self._running(b, self.down, self.weight) - self._running(a, self.down, self.weight)

    def excluded_time(self, a: I64, b: I64) -> I64:
        """Agreed µs in [a, b) removed as planned work inside a maintenance window."""
        flag = self.excluded.astype(np.int64)
        return self._running(b, self.excl, flag) - self._running(a, self.excl, flag)

    def _running(self, x: I64, total: I64, rate: I64) -> I64:
        x = np.asarray(x, dtype=np.int64)
        n = len(self.weight)
        if n == 0:
            return np.zeros(len(x), dtype=np.int64)
        j = np.searchsorted(self.t, x, side="right") - 1
        inside = (j >= 0) & (j < n)
        jj = np.clip(j, 0, n - 1)
        partial = rate[jj] * self.calendar.business(self.t[jj], np.maximum(x, self.t[jj]))
        out = np.where(inside, total[jj] + partial, 0)
        return np.where(j >= n, total[n], out).astype(np.int64)


def build_steps(
    start: I64,
    end: I64,
    weight: I64,
    planned: BoolArr,
    windows: tuple[I64, I64],
    calendar: BusinessCalendar,
) -> Steps:
    """The step function of one service's outages (intervals [start, end), start < end)."""
    if not (len(start) == len(end) == len(weight) == len(planned)):
        raise EngineError("outage columns differ in length")
    ws, we = windows
    t = np.unique(np.concatenate([start, end, ws, we]).astype(np.int64))
    if len(start) == 0 or len(t) < 2:
        empty = np.zeros(0, dtype=np.int64)
        zero = np.zeros(1, dtype=np.int64)
        return Steps(t[:1], empty, empty.astype(bool), zero, zero, calendar)
    lo = t[:-1]
    unplanned = _max_cover(t, start[~planned], end[~planned], weight[~planned])
    planned_w = _max_cover(t, start[planned], end[planned], weight[planned])
    in_window = _inside(lo, ws, we)
    excluded = in_window & (planned_w > 0)
    counting = np.where(excluded, 0, np.maximum(unplanned, planned_w)).astype(np.int64)
    agreed = calendar.business(lo, t[1:])
    down = np.concatenate([[0], np.cumsum(counting * agreed)]).astype(np.int64)
    excl = np.concatenate([[0], np.cumsum(np.where(excluded, agreed, 0))]).astype(np.int64)
    return Steps(t, counting, excluded, down, excl, calendar)


def _max_cover(t: I64, start: I64, end: I64, weight: I64) -> I64:
    """Per segment of `t`, the largest weight of the intervals covering it (0 if none).

    One coverage count per distinct weight level (a cumulative sum of +1/-1), then the top
    level with any coverage: vectorised, O(levels × segments); outage data hold few levels.
    """
    n = len(t) - 1
    out = np.zeros(n, dtype=np.int64)
    levels = np.unique(weight)
    si = np.searchsorted(t, start)
    ei = np.searchsorted(t, end)
    for first in range(0, len(levels), _LEVEL_CHUNK):
        chunk = levels[first : first + _LEVEL_CHUNK]
        rows = np.isin(weight, chunk)
        li = np.searchsorted(chunk, weight[rows])
        delta = np.zeros((len(chunk), n + 1), dtype=np.int64)
        np.add.at(delta, (li, si[rows]), 1)
        np.add.at(delta, (li, ei[rows]), -1)
        covered = np.cumsum(delta, axis=1)[:, :n] > 0
        top = len(chunk) - 1 - np.argmax(covered[::-1], axis=0)
        out = np.maximum(out, np.where(covered.any(axis=0), chunk[top], 0))
    return out


def _inside(x: I64, ws: I64, we: I64) -> BoolArr:
    """Whether each instant lies in one of the sorted, disjoint intervals [ws, we)."""
    if len(ws) == 0:
        return np.zeros(len(x), dtype=bool)
    j = np.searchsorted(ws, x, side="right") - 1
    inside: BoolArr = (j >= 0) & (x < we[np.clip(j, 0, None)])
    return inside


def merge_intervals(start: I64, end: I64) -> tuple[I64, I64]:
    """The union of intervals [start, end) as sorted, disjoint intervals (touching ones join)."""
    keep = end > start
    start, end = start[keep], end[keep]
    if len(start) == 0:
        return start.astype(np.int64), end.astype(np.int64)
    order = np.argsort(start, kind="stable")
    s, e = start[order], end[order]
    reach = np.maximum.accumulate(e)
    new = np.concatenate([[True], s[1:] > reach[:-1]])
    return s[new].astype(np.int64), np.maximum.reduceat(e, np.flatnonzero(new)).astype(np.int64)


def weekly_windows(
    timezone: str, weekly: tuple[tuple[Minutes, ...], ...], lo: int, hi: int
) -> tuple[I64, I64]:
    """UTC intervals of weekly local windows (minutes per weekday) meeting [lo, hi).

    Local wall times become instants date by date, as in business calendars, so a window
    keeps its local hours across DST changes.
    """
    if not any(weekly) or hi <= lo:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    zone = ZoneInfo(timezone)
    day = _utc_date(lo) - timedelta(days=2)  # windows may run past midnight into [lo, hi)
    last = _utc_date(hi) + timedelta(days=1)
    pairs: list[tuple[int, int]] = []
    while day <= last:
        for s, e in weekly[day.weekday()]:
            pairs.append((local_to_utc(day, s, zone), local_to_utc(day, e, zone)))
        day += timedelta(days=1)
    arr = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return merge_intervals(arr[:, 0], arr[:, 1])


def _utc_date(t_us: int) -> date:
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=t_us)).date()


def month_bounds(lo: int, hi: int, timezone: str) -> tuple[I64, list[str]]:
    """The k local months that meet [lo, hi): k + 1 boundaries (UTC µs) and k labels.

    Month starts are local midnights of the zone turned into instants (DST-exact); labels
    read "2026-03". At least one month (the one holding `lo`) is returned.
    """
    zone = ZoneInfo(timezone)
    first = (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=lo)).astimezone(zone)
    month = date(first.year, first.month, 1)
    starts: list[int] = []
    labels: list[str] = []
    while True:
        start = local_to_utc(month, 0, zone)
        starts.append(start)
        if start >= hi and labels:  # the boundary that closes the last month
            return np.array(starts, dtype=np.int64), labels
        labels.append(month.strftime("%Y-%m"))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
