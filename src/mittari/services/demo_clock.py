"""Working-time arithmetic of the demo generator, on local wall-clock µs (read as if UTC).

`Office` counts a customer's office hours as one running total of business time, so a
delay of office time is two lookups for a whole column; `Clock` draws each ticket's
delays in office time, or in wall time for the priorities worked round the clock.
"""

from __future__ import annotations

from datetime import date

import holidays
import numpy as np

from mittari.engine.types import I64, US, BoolArr
from mittari.importers.canonical.zones import local_to_utc

MINUTE, HOUR, DAY = 60 * US, 3600 * US, 86_400 * US


class Office:
    """Office hours (local `hours`, Mon-Fri, public holidays closed) over days
    `first`..`last` (days since 1970-01-01)."""

    def __init__(self, first: int, last: int, country: str, hours: tuple[int, int]) -> None:
        self.first = first
        self.opens, self.span = hours[0] * HOUR, (hours[1] - hours[0]) * HOUR
        days = np.arange(first, last + 1)
        years = range(_year(first), _year(last) + 1)
        closed = holidays.country_holidays(country, years=years)
        off = np.array([(d - date(1970, 1, 1)).days for d in closed], dtype=np.int64)
        self.is_open = ((days + 3) % 7 < 5) & ~np.isin(days, off)  # 1970-01-01: a Thursday
        self.open_days = days[self.is_open]
        self.before = np.concatenate([[0], np.cumsum(self.is_open)])  # open days before

    def count(self, t: I64) -> I64:
        """Office time from the first day's opening to `t`."""
        day = np.clip(t // DAY - self.first, 0, len(self.is_open) - 1)
        inside = np.where(self.is_open[day], np.clip(t % DAY - self.opens, 0, self.span), 0)
        return np.asarray(self.before[day] * self.span + inside, dtype=np.int64)

    def add(self, t: I64, delay: I64) -> I64:
        """The local instant `delay` of office time after `t` (from the next opening)."""
        count = self.count(t) + delay
        k = np.minimum(count // self.span, len(self.open_days) - 1)
        return np.asarray(self.open_days[k] * DAY + self.opens + count % self.span, np.int64)


def _year(day: int) -> int:
    return int(np.datetime64(day, "D").astype("datetime64[Y]").astype(np.int64)) + 1970


class Clock:
    """Delays from each ticket's moment: log-normal, in office time (wall time where
    `wall`: the priorities worked round the clock)."""

    def __init__(self, office: Office, wall: BoolArr, rng: np.random.Generator) -> None:
        self.office, self.wall, self.rng = office, wall, rng

    def after(self, t: I64, median: I64 | int, sigma: float, cap: int | None = None) -> I64:
        delay = np.minimum(self.lognormal(median, sigma), cap or 40 * self.office.span)
        return self.deadline(t, delay)

    def deadline(self, t: I64, budget: I64) -> I64:
        """The instant `budget` of each ticket's working time after `t`."""
        return np.where(self.wall, t + budget, self.office.add(t, budget))

    def lognormal(self, median: I64 | int, sigma: float) -> I64:
        n = len(self.wall)
        return (np.exp(self.rng.normal(0.0, sigma, n)) * median).astype(np.int64)

    def uniform(self, low: int, high: int) -> I64:
        return self.rng.integers(low, high, size=len(self.wall))

    def share(self, p: float) -> BoolArr:
        return self.rng.random(len(self.wall)) < p


def iso_utc(local: I64, zone: str) -> list[str]:
    """Local wall µs as ISO 8601 UTC instants, whole seconds."""
    utc = local_to_utc(np.asarray(local, dtype=np.int64), zone) // US
    text = np.datetime_as_string(utc.astype("datetime64[s]"), unit="s")
    return [f"{t}Z" for t in text.tolist()]
