"""Ranking clusters of incidents as problem candidates: frequency, growth, lost time.

For each cluster with at least `min_size` incidents, at instant T with a recent period R:

    count     incidents in the cluster
    recent    created in (T − R, T];  previous: created in (T − 2R, T − R]
    growth    (recent + 1) / (previous + 1)      (> 1: more often lately; smoothed by 1)
    lost_h    hours the incidents were open (created → first resolved/closed, or T)
    score     count · growth · (1 + ln(1 + lost_h / count))

Frequency counts fully, growth multiplies, and the mean time lost per incident adds on a
log scale, so that one very long incident does not outrank a fault that keeps coming back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mittari.engine.types import F64, I64, US

HOUR = 3600 * US
DEFAULT_RECENT_US = 90 * 24 * HOUR


@dataclass(frozen=True)
class Ranked:
    """One row per cluster, best candidate first."""

    label: I64  # the cluster's label (as given per incident)
    count: I64
    recent: I64
    previous: I64
    growth: F64
    lost_h: F64
    score: F64
    first_at: I64
    last_at: I64


def rank_clusters(
    label: I64,
    created: I64,
    lost_us: I64,
    at: int,
    recent_us: int = DEFAULT_RECENT_US,
    min_size: int = 3,
) -> Ranked:
    """The clusters of `label` with at least `min_size` incidents, ranked by score."""
    labels, group = np.unique(label, return_inverse=True)
    group = group.reshape(-1)
    n = len(labels)
    count = np.bincount(group, minlength=n).astype(np.int64)
    recent = np.bincount(group, weights=(created > at - recent_us) & (created <= at), minlength=n)
    before = (created > at - 2 * recent_us) & (created <= at - recent_us)
    previous = np.bincount(group, weights=before, minlength=n)
    lost_h = np.bincount(group, weights=lost_us / HOUR, minlength=n).astype(np.float64)
    growth = (recent + 1.0) / (previous + 1.0)
    score = count * growth * (1.0 + np.log1p(lost_h / np.maximum(count, 1)))
    first_at = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    last_at = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first_at, group, created)
    np.maximum.at(last_at, group, created)
    keep = np.flatnonzero(count >= min_size)
    order = keep[np.lexsort((labels[keep], -count[keep], -score[keep]))]
    return Ranked(
        label=labels[order],
        count=count[order],
        recent=recent[order].astype(np.int64),
        previous=previous[order].astype(np.int64),
        growth=growth[order],
        lost_h=lost_h[order],
        score=score[order],
        first_at=first_at[order],
        last_at=last_at[order],
    )
