"""Availability of services per local month: agreed time, weighted downtime, budget, bands.

For one service and one month (docs/availability.md has the exact definitions):

    agreed    = open time of the service calendar in the month (to as-of)
                minus planned work inside maintenance windows
    downtime  = ∫ counting weight over agreed time (outage_steps.py: overlaps never twice)
    uptime %  = 100 · (1 − downtime / agreed)
    budget    = (1 − objective) · agreed time of the whole month
    burn rate = (downtime / agreed) / (1 − objective)   (1 spends the budget exactly)

Objectives are integers in parts per million (`PPM`: 99.9 % is 999 000) and downtime is
in µs × WEIGHT_SCALE, so `objective_met` is decided on exact int64 arithmetic.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.outage_steps import (
    WEIGHT_SCALE,
    Steps,
    build_steps,
    merge_intervals,
    month_bounds,
    weekly_windows,
)
from mittari.engine.types import F64, I64, US, BoolArr, CalendarSpec, Minutes

PPM = 1_000_000  # an objective of 100 %
MINUTE = 60 * US
DEFAULT_BANDS_US = (5 * MINUTE, 30 * MINUTE, 240 * MINUTE)  # <5m, 5m-30m, 30m-4h, 4h+
# WEIGHT_SCALE · 100 == PPM: downtime · 100 and (PPM − objective) · agreed share one unit.
assert WEIGHT_SCALE * 100 == PPM


@dataclass(frozen=True)
class MaintenancePolicy:
    """Maintenance windows: weekly local hours (Monday first) and dated UTC intervals."""

    timezone: str
    weekly: tuple[tuple[Minutes, ...], ...] = ()
    dated: tuple[tuple[int, int], ...] = ()

    def intervals(self, lo: int, hi: int) -> tuple[I64, I64]:
        """The windows meeting [lo, hi) as sorted, disjoint UTC intervals."""
        ws, we = weekly_windows(self.timezone, self.weekly, lo, hi)
        dated = np.array(self.dated, dtype=np.int64).reshape(-1, 2)
        return merge_intervals(np.concatenate([ws, dated[:, 0]]), np.concatenate([we, dated[:, 1]]))


@dataclass(frozen=True)
class ServiceObjective:
    """One service's promise: its objective over agreed time, and its maintenance windows."""

    service: str
    objective_ppm: int
    calendar: CalendarSpec
    maintenance: tuple[MaintenancePolicy, ...] = ()


@dataclass(frozen=True)
class AvailabilityPolicy:
    """The `availability` section of one contract version, resolved."""

    timezone: str  # months are local months of this zone
    services: tuple[ServiceObjective, ...]
    bands_us: tuple[int, ...] = DEFAULT_BANDS_US

    def service(self, name: str) -> ServiceObjective | None:
        return next((s for s in self.services if s.service == name), None)


@dataclass(frozen=True)
class Outages:
    """Outages of one service: [start, end) µs UTC, weight in 1/WEIGHT_SCALE, planned."""

    start: I64
    end: I64
    weight: I64
    planned: BoolArr

    def __len__(self) -> int:
        return len(self.start)


@dataclass(frozen=True)
class Monthly:
    """One row per local month of one service."""

    labels: list[str]
    start: I64  # month start (UTC µs)
    end: I64  # the next month's start
    measured_to: I64  # min(month end, as-of): the month is complete when this is its end
    complete: BoolArr
    agreed_us: I64  # agreed time to measured_to, planned work in windows removed
    excluded_us: I64  # agreed time removed as planned work inside windows
    downtime: I64  # µs × WEIGHT_SCALE
    month_agreed_us: I64  # agreed time of the whole month (for the budget)
    objective_met: BoolArr
    uptime_pct: F64  # NaN where no agreed time
    budget_left_pct: F64  # NaN where the budget is zero
    burn_rate: F64
    outages: I64  # outage episodes starting in the month with downtime in agreed time
    bands: I64  # (months, len(bands_us) + 1): those episodes by wall-clock duration


def service_steps(
    outages: Outages, service: ServiceObjective, calendar: BusinessCalendar, lo: int, hi: int
) -> Steps:
    """The counting-weight step function of one service's outages, windows included."""
    span_lo = int(min(lo, outages.start.min())) if len(outages) else lo
    span_hi = int(max(hi, outages.end.max())) if len(outages) else hi
    pairs = [m.intervals(span_lo, span_hi) for m in service.maintenance]
    ws = np.concatenate([p[0] for p in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    we = np.concatenate([p[1] for p in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    windows = merge_intervals(ws, we)
    return build_steps(
        outages.start, outages.end, outages.weight, outages.planned, windows, calendar
    )


def monthly(
    outages: Outages,
    service: ServiceObjective,
    policy: AvailabilityPolicy,
    lo: int,
    hi: int,
    as_of: int,
) -> Monthly:
    """Availability of `service` in each local month meeting [lo, hi), measured to `as_of`.

    Outages must already end at or before `as_of` (an ongoing one ends there).
    """
    calendar = BusinessCalendar(service.calendar)
    bounds, labels = month_bounds(lo, hi, policy.timezone)
    steps = service_steps(outages, service, calendar, int(bounds[0]), int(bounds[-1]))
    a, z = bounds[:-1], bounds[1:]
    b = np.clip(z, a, as_of)
    excluded = steps.excluded_time(a, b)
    agreed = calendar.business(a, b) - excluded
    month_agreed = calendar.business(a, z) - steps.excluded_time(a, z)
    down = steps.downtime(a, b)
    slack = PPM - service.objective_ppm
    counts, bands = _episodes(steps, bounds, policy.bands_us)
    return Monthly(
        labels=labels,
        start=a,
        end=z,
        measured_to=b,
        complete=b == z,
        agreed_us=agreed,
        excluded_us=excluded,
        downtime=down,
        month_agreed_us=month_agreed,
        objective_met=down * 100 <= slack * agreed,
        uptime_pct=100.0 * (1.0 - _ratio(down, agreed * WEIGHT_SCALE)),
        budget_left_pct=100.0 * (1.0 - _ratio(down * 100, slack * month_agreed)),
        burn_rate=_ratio(down * 100, slack * agreed),
        outages=counts,
        bands=bands,
    )


def _ratio(num: I64, den: I64) -> F64:
    """num / den as floats; NaN where den is 0 and num too, inf where only den is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: F64 = np.asarray(num, dtype=np.float64) / np.asarray(den, dtype=np.float64)
    return out


def _episodes(steps: Steps, bounds: I64, bands_us: tuple[int, ...]) -> tuple[I64, I64]:
    """Outage episodes (maximal runs of counting time) per month of their start, by band.

    An episode counts when it cost agreed time (downtime > 0); its band is its wall-clock
    length, so an outage is one count however many monitors reported it.
    """
    k, nb = len(bounds) - 1, len(bands_us) + 1
    on = steps.weight > 0
    first = np.flatnonzero(on & ~np.concatenate([[False], on[:-1]]))
    last = np.flatnonzero(on & ~np.concatenate([on[1:], [False]])) + 1
    cost = steps.down[last] - steps.down[first]
    first, last = first[cost > 0], last[cost > 0]
    start, length = steps.t[first], steps.t[last] - steps.t[first]
    month = np.searchsorted(bounds, start, side="right") - 1
    keep = (month >= 0) & (month < k)
    band = np.searchsorted(np.array(bands_us, dtype=np.int64), length[keep], side="right")
    flat = np.bincount(month[keep] * nb + band, minlength=k * nb).astype(np.int64)
    table = flat.reshape(k, nb)
    return table.sum(axis=1), table


def band_labels(bands_us: tuple[int, ...]) -> list[str]:
    """Names of the duration bands: `<5m`, `5m-30m`, `30m-4h`, `4h+`."""
    names = [_duration(b) for b in bands_us]
    if not names:
        return ["all"]
    middle = [f"{a}-{b}" for a, b in itertools.pairwise(names)]
    return [f"<{names[0]}", *middle, f"{names[-1]}+"]


def _duration(us: int) -> str:
    seconds = us // US
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    parts = [f"{v}{u}" for v, u in ((h, "h"), (m, "m"), (s, "s")) if v]
    return "".join(parts) or "0s"
