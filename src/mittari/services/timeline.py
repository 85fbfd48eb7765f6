"""One ticket's timeline: its events, its clocks measured now, and the segments of each clock.

A segment is a stretch of one clock cycle: `running` (counting, calendar open), `outside_hours`
(running, but its calendar is closed, so nothing counts) or `paused` (a pause status). The
segments come from the reference walk of one ticket (`engine.reference`), the plain
statement of the clock semantics; one ticket is small, and the engine's rows are shown beside.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from sqlalchemy import Connection

from mittari.engine.reference import Cycle, cycle_priority, open_intervals, run_latch, ticket_steps
from mittari.engine.types import ContractPolicy, EventLog
from mittari.services import live
from mittari.services.measure import created_at, measure_versions
from mittari.services.stored import log_from_rows


@dataclass(frozen=True)
class Segment:
    metric: str
    cycle: int
    start_us: int
    end_us: int
    kind: str  # running, paused, outside_hours


def ticket_clocks(
    conn: Connection, customer: int, ticket: int, now_us: int
) -> tuple[pa.Table | None, list[Segment]]:
    """The ticket's measurement rows now (None without a contract) and its segments."""
    contracts = live.contracts_of(conn, customer)
    events = live.ticket_events(conn, [ticket])
    if contracts is None or events.num_rows == 0:
        return None, []
    log = log_from_rows(events)
    owners = np.full(log.n_tickets, contracts.customer, dtype=object)
    table = measure_versions(log, list(contracts.policies), owners, now_us).table
    version = _version_of(log, contracts.policies)
    if version is None:
        return table, []
    return table, segments(log, version, now_us)


def _version_of(log: EventLog, policies: tuple[ContractPolicy, ...]) -> ContractPolicy | None:
    created = int(created_at(log)[0])
    for policy in policies:
        ends = policy.effective_to_us
        if policy.effective_from_us <= created and (ends is None or created < ends):
            return policy
    return None


def segments(log: EventLog, policy: ContractPolicy, now_us: int) -> list[Segment]:
    """The segments of every clock cycle of the log's first ticket under `policy`."""
    steps = ticket_steps(log, 0, now_us)
    out: list[Segment] = []
    for metric in policy.metrics:
        for cycle in run_latch(metric, steps):
            target = metric.targets.get(cycle_priority(metric, steps, cycle))
            if target is None:
                continue  # no target, no clock (as in the engine)
            calendar = policy.calendars[target.calendar]
            out += _cycle_segments(metric.name, cycle, calendar, now_us)
    return sorted(out, key=lambda s: (s.metric, s.cycle, s.start_us))


def _cycle_segments(name: str, cycle: Cycle, calendar: object, now_us: int) -> list[Segment]:
    out = [Segment(name, cycle.number, a, b, "paused") for a, b in cycle.paused if b > a]
    for a, b in cycle.spans:
        if b <= a:
            continue
        cursor = a
        for start, end in open_intervals(calendar, a, b):  # type: ignore[arg-type]
            start, end = max(start, a), min(end, b)
            if start > cursor:
                out.append(Segment(name, cycle.number, cursor, start, "outside_hours"))
            if end > start:
                out.append(Segment(name, cycle.number, start, end, "running"))
            cursor = max(cursor, end)
        if cursor < b:
            out.append(Segment(name, cycle.number, cursor, b, "outside_hours"))
    return out
