"""How much of its target a clock had used at an instant, measured by `measure` itself.

A rule such as "resolved within the last 10 % of the target" needs the clock's elapsed
business time at an event, not only at the clock's stop. Rather than a second clock, each
question becomes a *probe ticket*: the ticket's events before the event in question, then
a `cancelled` status at the instant. `measure` stops the clock there (a cancel ends every
running clock) and reports its elapsed time and the target that applied, exactly as it
would for a real ticket. The priority rule is forced to `current`, so the target is that of
the priority in force at the instant (for a clock that had already stopped: at its stop).
All probes go through one `measure` call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.clock import measure
from mittari.engine.types import (
    I64,
    NO_VALUE,
    BoolArr,
    EventLog,
    Kind,
    MetricPolicy,
    PriorityRule,
    Status,
)


@dataclasses.dataclass(frozen=True)
class Used:
    """Per probe: elapsed business µs and the target µs; -1 where the clock never ran or
    the priority has no target (the rules then do not fire)."""

    elapsed: I64
    target: I64

    @property
    def known(self) -> BoolArr:
        return self.target >= 0

    def at_least(self, pct: float) -> BoolArr:
        """elapsed ≥ pct % of the target (in floats, as the reference twin computes it)."""
        return self.known & (self.elapsed * 100.0 >= pct * self.target)

    def within_last(self, pct: float) -> BoolArr:
        """Not over the target, and at least (100 - pct) % of it used."""
        return self.at_least(100.0 - pct) & (self.elapsed <= self.target)


def used_at(
    log: EventLog,
    head: I64,
    metric: MetricPolicy,
    calendars: Mapping[str, BusinessCalendar],
    upto: I64,
    at: I64,
) -> Used:
    """For each probe k: the metric's clock on the ticket of event upto[k], counted over
    the ticket's events before upto[k] (from its head) and then up to the instant at[k]."""
    k = len(upto)
    if k == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Used(empty, empty.copy())
    starts = head[upto]
    lengths = upto - starts
    sizes = lengths + 1  # the copied events, then the cancel
    ends = np.cumsum(sizes)  # one past each probe's last row
    total = int(ends[-1])
    copied = np.ones(total, dtype=bool)
    copied[ends - 1] = False
    src = np.repeat(starts - (ends - sizes), sizes) + np.arange(total)
    src = src[copied]
    probe_ticket = np.repeat(np.arange(k, dtype=np.int64), sizes)
    ts = np.empty(total, dtype=np.int64)
    kind = np.empty(total, dtype=np.int8)
    value = np.empty(total, dtype=np.int64)
    actor = np.empty(total, dtype=np.int8)
    ts[copied], kind[copied] = log.ts[src], log.kind[src]
    value[copied], actor[copied] = log.value[src], log.actor[src]
    ts[~copied], kind[~copied] = at, int(Kind.STATUS)
    value[~copied], actor[~copied] = int(Status.CANCELLED), NO_VALUE
    ids = tuple(str(i) for i in range(k))
    probes = EventLog(probe_ticket, ts, kind, value, actor, ids, log.strings)
    current = dataclasses.replace(metric, priority_rule=PriorityRule.CURRENT)
    m = measure(probes, [current], calendars, int(at.max()))
    elapsed = np.full(k, -1, dtype=np.int64)
    target = np.full(k, -1, dtype=np.int64)
    # Rows are sorted by (ticket, cycle): the last row of a probe is its latest cycle.
    last = np.ones(len(m), dtype=bool)
    last[:-1] = m.ticket[1:] != m.ticket[:-1]
    elapsed[m.ticket[last]] = m.elapsed_us[last]
    target[m.ticket[last]] = m.target_us[last]
    return Used(elapsed, target)
