"""Engine vocabulary: integer codes for the canonical event log and frozen policy objects.

Instants travel as int64 microseconds since the Unix epoch, UTC (Arrow's `timestamp[us]`):
converting one Python datetime costs more than a whole business-time computation, so the
engine never sees datetimes in its hot paths. Durations are int64 microseconds too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from mittari.engine.errors import EngineError

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
F64 = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]

US = 1_000_000  # microseconds per second
NULL_TS = np.iinfo(np.int64).min  # "no instant" in int64 columns (Arrow null on output)


class Kind(IntEnum):
    CREATED = 0
    STATUS = 1
    PRIORITY = 2
    REPLY = 3
    NOTE = 4
    ASSIGN = 5
    CATEGORY = 6


class Status(IntEnum):
    NEW = 0
    OPEN = 1
    PENDING_CUSTOMER = 2
    PENDING_VENDOR = 3
    ON_HOLD = 4
    RESOLVED = 5
    CLOSED = 6
    CANCELLED = 7


class Actor(IntEnum):
    AGENT = 0
    CUSTOMER = 1
    SYSTEM = 2


class State(IntEnum):
    """State of one measurement (one clock cycle)."""

    MET = 0
    BREACHED = 1
    RUNNING = 2
    PAUSED = 3
    CANCELLED = 4


KIND_NAMES = {k.name.lower(): k for k in Kind}
STATUS_NAMES = {s.name.lower(): s for s in Status}
ACTOR_NAMES = {a.name.lower(): a for a in Actor}
STATE_NAMES = [s.name.lower() for s in State]
STOPPED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})
TERMINAL_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.CANCELLED})
PRIORITIES = (1, 2, 3, 4, 5)  # P1 (most urgent) .. P5
NO_VALUE = -1  # value/actor code of events that carry none


def priority_name(p: int) -> str:
    return f"P{p}"


# --- event conditions of generic metrics ------------------------------------------------


class Trigger(IntEnum):
    """What a start/stop condition matches. `REOPENED` is derived from status changes."""

    CREATED = 0
    STATUS = 1  # value: Status code
    REPLY = 2  # value: Actor code
    PRIORITY = 3  # value: priority number
    REOPENED = 4
    ASSIGN = 5  # any assignment
    CATEGORY = 6  # any category change


@dataclass(frozen=True)
class Condition:
    trigger: Trigger
    value: int = NO_VALUE


class ReopenPolicy(IntEnum):
    RESUME = 0  # elapsed time carries on in the same cycle
    RESTART = 1  # a new cycle starts at the reopen
    IGNORE = 2  # once stopped, the clock stays stopped


class PriorityRule(IntEnum):
    CURRENT = 0  # priority in force when the clock stops (or at the as-of time)
    INITIAL = 1  # priority in force when the cycle started
    HIGHEST = 2  # most urgent priority held while the cycle ran (start..stop)


# --- calendars ---------------------------------------------------------------------------


def no_holidays(year: int) -> frozenset[date]:
    """The holidays of a calendar without any (a named function, so that specs pickle)."""
    return frozenset()


Minutes = tuple[int, int]  # [start, end) in minutes after local midnight; end ≤ 2880


@dataclass(frozen=True)
class CalendarSpec:
    """A business calendar as plain data, before it is compiled to UTC intervals.

    `weekly[d]` are the opening intervals of weekday d (Monday = 0) in local minutes.
    `end` may be 1440 (`24:00`) or exceed it for an overnight shift (22:00-06:00 is
    (1320, 1800)): a shift belongs to the date it starts on, so a holiday closes the
    shifts that start on it. `holidays(year)` returns that year's closed local dates;
    `closures` close [start, end) local minutes of one date (partial-day holidays).
    """

    name: str
    timezone: str
    weekly: tuple[tuple[Minutes, ...], ...] = ()
    holidays: Callable[[int], frozenset[date]] = field(default=no_holidays, compare=False)
    closures: tuple[tuple[date, int, int], ...] = ()
    always_open: bool = False


# --- metrics and contracts ---------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    seconds: int
    calendar: str


@dataclass(frozen=True)
class MetricPolicy:
    """One resolved metric: when its clock starts, pauses and stops, and its targets.

    The clock of a ticket is a latch: a start condition (or, unless reopen is IGNORE, a
    reopen) sets it, a stop condition resets it; it counts while set and the status is
    not in `pause_statuses`. `cancelled` resets it with state CANCELLED.
    """

    name: str
    start: tuple[Condition, ...]
    stop: tuple[Condition, ...]
    pause_statuses: frozenset[int]
    reopen: ReopenPolicy
    priority_rule: PriorityRule
    targets: Mapping[int, Target]  # priority number -> target
    objective_pct: float  # e.g. 95.0
    default_priority: int  # used for tickets that never had a priority


@dataclass(frozen=True)
class ContractPolicy:
    customer: str
    version: str
    timezone: str
    effective_from_us: int  # tickets created at or after this instant ...
    effective_to_us: int | None  # ... and before this one are measured under this version
    calendars: Mapping[str, CalendarSpec]
    metrics: tuple[MetricPolicy, ...]


# --- the event log -----------------------------------------------------------------------


@dataclass(frozen=True)
class EventLog:
    """The canonical event log as columns, sorted by (ticket, ts, input order).

    `ticket` holds dense indexes into `ticket_ids`. `value` holds the Status code for
    status events, the priority number for priority events, an index into `strings` for
    assign and category events, NO_VALUE otherwise. `actor` holds the Actor code of reply
    and note events, NO_VALUE otherwise.
    """

    ticket: I64
    ts: I64
    kind: I8
    value: I64
    actor: I8
    ticket_ids: tuple[str, ...]
    strings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.ticket)
        for name in ("ts", "kind", "value", "actor"):
            if len(getattr(self, name)) != n:
                raise EngineError(f"EventLog.{name} has {len(getattr(self, name))} rows, not {n}")
        if n > 1:
            t, s = self.ticket, self.ts
            bad = (t[1:] < t[:-1]) | ((t[1:] == t[:-1]) & (s[1:] < s[:-1]))
            if bad.any():
                i = int(np.argmax(bad)) + 1
                raise EngineError(f"EventLog is not sorted by (ticket, ts) at row {i}")

    def __len__(self) -> int:
        return len(self.ticket)

    @property
    def n_tickets(self) -> int:
        return len(self.ticket_ids)

    @staticmethod
    def from_unsorted(
        ticket: I64,
        ts: I64,
        kind: I8,
        value: I64,
        actor: I8,
        ticket_ids: tuple[str, ...],
        strings: tuple[str, ...] = (),
    ) -> EventLog:
        """Sort by (ticket, ts) keeping input order among equal keys (a stable sort)."""
        order = np.lexsort((ts, ticket))  # lexsort is stable: same-ts events keep input order
        return EventLog(
            ticket[order], ts[order], kind[order], value[order], actor[order], ticket_ids, strings
        )

    def select_tickets(self, keep: BoolArr) -> EventLog:
        """The log restricted to tickets whose index is True in `keep` (indexes kept)."""
        return self.select_rows(keep[self.ticket])

    def select_rows(self, rows: BoolArr) -> EventLog:
        """The log restricted to the rows where `rows` is True (order kept)."""
        if rows.all():
            return self
        return EventLog(
            self.ticket[rows],
            self.ts[rows],
            self.kind[rows],
            self.value[rows],
            self.actor[rows],
            self.ticket_ids,
            self.strings,
        )


@dataclass(frozen=True)
class Measurements:
    """One row per (ticket, metric, cycle). Instants are int64 µs UTC, NULL_TS when absent."""

    ticket: I64  # index into the EventLog's ticket_ids
    metric: I64  # index into the metrics tuple the engine was called with
    cycle: I64
    priority: I64  # priority whose target applies
    target_us: I64
    start_at: I64
    stop_at: I64
    state: I8
    elapsed_us: I64  # business time while counting, in the target's calendar
    wall_us: I64  # wall-clock time while counting
    due_at: I64
    breached_at: I64

    def __len__(self) -> int:
        return len(self.ticket)
