"""Compliance rollup: met / (met + breached) per group, with elapsed-time percentiles.

Groups are given as integer code arrays (one per key: period, metric, priority, any ticket
attribute); only measurements in state met or breached count (DESIGN.md: compliance counts
stopped clocks by their stop time). Percentiles interpolate linearly between closest ranks,
like numpy's default, computed for all groups at once from one sort.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import numpy as np

from mittari.engine.calendar import local_to_utc
from mittari.engine.errors import EngineError
from mittari.engine.types import F64, I8, I64, NULL_TS, US, State


@dataclass(frozen=True)
class Rollup:
    keys: tuple[I64, ...]  # per key, the code of each group
    count: I64
    met: I64
    breached: I64
    compliance_pct: F64
    p50_s: F64
    p90_s: F64
    mean_s: F64

    def __len__(self) -> int:
        return len(self.count)


def month_periods(ts_us: I64, timezone: str) -> tuple[I64, list[str]]:
    """Code of the local calendar month of each instant, and the labels ("2026-10").

    Month starts are local midnights turned into UTC instants (DST-exact); NULL_TS → -1.
    """
    valid = ts_us != NULL_TS
    if not valid.any():
        return np.full(len(ts_us), -1, dtype=np.int64), []
    zone = ZoneInfo(timezone)
    lo, hi = int(ts_us[valid].min()), int(ts_us[valid].max())
    first = _utc_date(lo - 2 * 86400 * US).replace(day=1)
    last = _utc_date(hi + 2 * 86400 * US)
    months: list[date] = []
    d = first
    while d <= last:
        months.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    starts = np.array([local_to_utc(m, 0, zone) for m in months], dtype=np.int64)
    code = np.searchsorted(starts, ts_us, side="right") - 1
    used = np.unique(code[valid])
    remap = np.full(len(months), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    labels = [months[i].strftime("%Y-%m") for i in used]
    return np.where(valid, remap[code], -1), labels


def _utc_date(t_us: int) -> date:
    return date.fromordinal(date(1970, 1, 1).toordinal() + t_us // (86400 * US))


def rollup(keys: Sequence[I64], state: I8, elapsed_us: I64) -> Rollup:
    """Count, met, breached, compliance and p50/p90/mean elapsed per distinct key tuple."""
    for k in keys:
        if len(k) != len(state):
            raise EngineError("rollup keys and measurements differ in length")
    rows = np.flatnonzero((state == State.MET) | (state == State.BREACHED))
    stacked = np.stack([np.asarray(k, dtype=np.int64)[rows] for k in keys], axis=1)
    if len(keys) == 0:
        stacked = np.zeros((len(rows), 1), dtype=np.int64)
    uniq, group = np.unique(stacked, axis=0, return_inverse=True)
    group = group.reshape(-1)
    n = len(uniq)
    count = np.bincount(group, minlength=n).astype(np.int64)
    met = np.bincount(group, weights=state[rows] == State.MET, minlength=n).astype(np.int64)
    elapsed = elapsed_us[rows]
    total = np.bincount(group, weights=elapsed, minlength=n)
    p50, p90 = _percentiles(group, elapsed, count, (0.5, 0.9))
    key_cols = tuple(uniq[:, i].copy() for i in range(len(keys)))
    return Rollup(
        keys=key_cols,
        count=count,
        met=met,
        breached=count - met,
        compliance_pct=100.0 * met / np.maximum(count, 1),
        p50_s=p50 / US,
        p90_s=p90 / US,
        mean_s=total / np.maximum(count, 1) / US,
    )


def _percentiles(group: I64, values: I64, count: I64, qs: tuple[float, ...]) -> tuple[F64, ...]:
    order = np.lexsort((values, group))
    ordered = values[order].astype(np.float64)
    first = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
    out = []
    for q in qs:
        pos = q * (count - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.ceil(pos).astype(np.int64)
        frac = pos - lo
        v_lo = ordered[first + lo] if len(ordered) else np.zeros(len(count))
        v_hi = ordered[first + hi] if len(ordered) else np.zeros(len(count))
        out.append(v_lo + (v_hi - v_lo) * frac)
    return tuple(out)
