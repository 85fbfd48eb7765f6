"""Multi-window, multi-burn-rate checks of an availability objective (SRE Workbook, Sloth).

The burn rate over a window is the share of agreed time lost in it, divided by the share
the objective allows: 1 spends the budget exactly over the SLO period, 14.4 spends 2 % of a
30-day budget in one hour. An alert holds when both its long and its short window burn
faster than its factor (the short window shows the burn is still going on). The default
windows are Sloth's for a 30-day period:

    severity  long  short  budget spent  factor
    page      1h    5m     2 %           14.4
    page      6h    30m    5 %           6
    ticket    1d    2h     10 %          3
    ticket    3d    6h     10 %          1
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mittari.engine.availability import PPM, ServiceObjective
from mittari.engine.outage_steps import WEIGHT_SCALE, Steps
from mittari.engine.types import F64, US, BoolArr

HOUR = 3600 * US
DAY = 24 * HOUR


@dataclass(frozen=True)
class BurnWindow:
    severity: str  # "page" or "ticket"
    long_us: int
    short_us: int
    budget_pct: float  # share of the period's budget spent over `long_us` at the factor
    period_us: int = 30 * DAY

    @property
    def factor(self) -> float:
        """The burn rate that spends `budget_pct` of the budget over the long window."""
        return self.budget_pct / 100.0 * self.period_us / self.long_us


SLOTH_30D = (
    BurnWindow("page", 1 * HOUR, 5 * 60 * US, 2.0),
    BurnWindow("page", 6 * HOUR, 30 * 60 * US, 5.0),
    BurnWindow("ticket", 1 * DAY, 2 * HOUR, 10.0),
    BurnWindow("ticket", 3 * DAY, 6 * HOUR, 10.0),
)


@dataclass(frozen=True)
class BurnCheck:
    """Per window: the burn rates over the long and the short window ending at `at`."""

    long_rate: F64
    short_rate: F64
    factor: F64
    alerting: BoolArr


def burn_rates(
    steps: Steps, service: ServiceObjective, at: int, windows: tuple[BurnWindow, ...]
) -> BurnCheck:
    """Burn rates over [at − w, at) for each window's long and short length.

    A window without agreed time burns nothing (rate 0): no service was promised then.
    """
    longs = np.array([w.long_us for w in windows], dtype=np.int64)
    shorts = np.array([w.short_us for w in windows], dtype=np.int64)
    long_rate = _rate(steps, service, at, longs)
    short_rate = _rate(steps, service, at, shorts)
    factor = np.array([w.factor for w in windows], dtype=np.float64)
    # An exact budget factor must be exceeded, as in Sloth's `>` comparisons.
    alerting = (long_rate > factor) & (short_rate > factor)
    return BurnCheck(long_rate, short_rate, factor, alerting)


def _rate(steps: Steps, service: ServiceObjective, at: int, lengths: np.ndarray) -> F64:
    b = np.full(len(lengths), at, dtype=np.int64)
    a = b - lengths
    agreed = steps.calendar.business(a, b) - steps.excluded_time(a, b)
    down = steps.downtime(a, b).astype(np.float64)
    slack = (PPM - service.objective_ppm) / PPM
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(agreed > 0, down / WEIGHT_SCALE / np.maximum(agreed, 1), 0.0)
        rate: F64 = np.where(share > 0, share / slack, 0.0)
    return rate
