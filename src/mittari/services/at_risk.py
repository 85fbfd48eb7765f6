"""The at-risk feed: open clocks ordered by when they breach, with how much is used now.

A running clock's use now is exact from its stored due instant: its target less the business
time still to go (`calendar.business(now, due_at)`), or more than its target once past due.
A paused clock's use is what it had when it paused. Levels: `ok`, `warning` from 75 %,
`critical` from 90 %, `breached` past 100 % (thresholds are settings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Connection

from mittari.db.models import OpenClock
from mittari.db.scope import Scoped
from mittari.engine.types import State
from mittari.services import live

US = 1_000_000


@dataclass(frozen=True)
class Levels:
    warning_pct: float = 75.0
    critical_pct: float = 90.0

    def of(self, used_pct: float) -> str:
        if used_pct > 100.0:
            return "breached"
        if used_pct >= self.critical_pct:
            return "critical"
        return "warning" if used_pct >= self.warning_pct else "ok"


@dataclass(frozen=True)
class AtRisk:
    customer: str
    ticket: str
    metric: str
    cycle: int
    priority: str
    state: str  # running, paused
    level: str  # ok, warning, critical, breached
    used_pct: float
    target_s: float
    elapsed_s: float
    due_at: datetime
    calendar: str


def used_now(conn: Connection, clocks: Sequence[OpenClock], now_us: int) -> np.ndarray:
    """Business µs used by each clock at `now_us` (see the module docstring)."""
    used = np.array([c.elapsed_us for c in clocks], dtype=np.int64)
    running = [i for i, c in enumerate(clocks) if c.state == State.RUNNING]
    groups: dict[tuple[int, int, str], list[int]] = {}
    for i in running:
        c = clocks[i]
        groups.setdefault((c.customer_id, c.contract_version_id, c.calendar), []).append(i)
    for (customer, version, name), rows in groups.items():
        contracts = live.contracts_of(conn, customer)
        if contracts is None or (version, name) not in contracts.calendars:
            continue  # the contract changed since: the stored use is the best known
        calendar = contracts.calendars[(version, name)]
        due = np.array([clocks[i].due_at_us for i in rows], dtype=np.int64)
        target = np.array([clocks[i].target_us for i in rows], dtype=np.int64)
        now = np.full(len(rows), now_us, dtype=np.int64)
        ahead = now < due
        to_go = calendar.business(np.minimum(now, due), due)
        over = calendar.business(np.minimum(now, due), now)
        used[rows] = np.where(ahead, target - to_go, target + over)
    return used


def feed(
    conn: Connection,
    scoped: Scoped,
    customers: Sequence[int] | None,
    now_us: int,
    limit: int,
    levels: Levels,
) -> list[AtRisk]:
    """The principal's open clocks (of `customers`, or all it may see), soonest due first."""
    found = scoped.open_clocks(customers, limit)
    if not found:
        return []
    clocks = [clock for clock, _, _ in found]
    used = used_now(conn, clocks, now_us)
    tickets = {c.ticket_id: name for c, name, _ in found}
    owners = {c.customer_id: key for c, _, key in found}
    out = []
    for clock, spent in zip(clocks, used.tolist(), strict=True):
        pct = round(100.0 * spent / clock.target_us, 2) if clock.target_us else 0.0
        out.append(
            AtRisk(
                customer=owners[clock.customer_id],
                ticket=tickets[clock.ticket_id],
                metric=clock.metric,
                cycle=clock.cycle,
                priority=f"P{clock.priority}",
                state="paused" if clock.state == State.PAUSED else "running",
                level=levels.of(pct),
                used_pct=pct,
                target_s=clock.target_us / US,
                elapsed_s=spent / US,
                due_at=datetime.fromtimestamp(clock.due_at_us / US, UTC),
                calendar=clock.calendar,
            )
        )
    return out
