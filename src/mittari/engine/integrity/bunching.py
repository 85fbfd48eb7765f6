"""Deadline bunching: a team's resolutions crowd into the moments before the due time.

Not a per-ticket flag but a test per (team, month) over stopped measurements (met or
breached) of the resolution metric. With w = `window_pct`, a measurement is in the *last*
window when (100 - w) % of its target < elapsed ≤ target, and in the window *before* when
(100 - 2w) % < elapsed ≤ (100 - w) %. Where the clock runs to its stop undisturbed, the
density of stops does not rise towards the deadline, so with m = last + before stops in the
two windows, `last` is at most Binomial(m, 1/2). The group is flagged when it has at least
`min_resolutions` stops and P(X ≥ last) ≤ `alpha_pct` / 100 (one-sided, exact).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mittari.engine.integrity.policy import BunchingPolicy
from mittari.engine.types import F64, I8, I64, BoolArr, State


@dataclass(frozen=True)
class Bunching:
    """One row per (group, month) with stopped measurements; evidence as CSR over the
    measurement rows in the last window."""

    group: I64
    month: I64
    resolutions: I64
    last: I64
    before: I64
    p_value: F64
    flagged: BoolArr
    offsets: I64
    rows: I64

    def __len__(self) -> int:
        return len(self.group)


def binomial_tail(k: int, m: int) -> float:
    """P(X ≥ k) for X ~ Binomial(m, 1/2), exactly (then rounded to a float)."""
    if k <= 0:
        return 1.0
    return float(sum(math.comb(m, i) for i in range(k, m + 1)) / (1 << m))


def deadline_bunching(
    group: I64, month: I64, state: I8, elapsed_us: I64, target_us: I64, policy: BunchingPolicy
) -> Bunching:
    """The test per (group, month); rows with group or month < 0 are left out."""
    stopped = (state == State.MET) | (state == State.BREACHED)
    rows = np.flatnonzero(stopped & (group >= 0) & (month >= 0))
    keys = np.stack((group[rows], month[rows]), axis=1)
    uniq, inverse = np.unique(keys.reshape(-1, 2), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    n = len(uniq)
    e, t = elapsed_us[rows] * 100.0, target_us[rows].astype(np.float64)
    w = policy.window_pct
    in_last = (e > (100.0 - w) * t) & (e <= 100.0 * t)
    in_before = (e > (100.0 - 2 * w) * t) & (e <= (100.0 - w) * t)
    resolutions = np.bincount(inverse, minlength=n).astype(np.int64)
    last = np.bincount(inverse, weights=in_last, minlength=n).astype(np.int64)
    before = np.bincount(inverse, weights=in_before, minlength=n).astype(np.int64)
    p = np.array([binomial_tail(int(a), int(a + b)) for a, b in zip(last, before, strict=True)])
    p = p.astype(np.float64).reshape(-1)
    flagged = (resolutions >= policy.min_resolutions) & (p <= policy.alpha_pct / 100.0)
    evidence = rows[in_last]
    order = np.argsort(inverse[in_last], kind="stable")
    offsets = np.concatenate(([0], np.cumsum(last))).astype(np.int64)
    return Bunching(
        uniq[:, 0].copy(),
        uniq[:, 1].copy(),
        resolutions,
        last,
        before,
        p,
        flagged,
        offsets,
        evidence[order],
    )
