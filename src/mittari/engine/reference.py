"""The slow reference twin: docs/semantics.md written out plainly, one ticket at a time.

Nothing here is fast and nothing is clever. Calendars are rebuilt date by date for every
query with `zoneinfo`; clocks walk a ticket's events one by one through the latch of the
spec. Property tests assert that the vectorised engine (`calendar.py`, `clock.py`) agrees
with this module exactly, so when they disagree, the side that departs from the words of
docs/semantics.md is the one to fix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mittari.engine.errors import CalendarError
from mittari.engine.types import (
    US,
    CalendarSpec,
    Condition,
    EventLog,
    Kind,
    MetricPolicy,
    PriorityRule,
    ReopenPolicy,
    State,
    Status,
    Trigger,
)

Interval = tuple[int, int]  # [start, end) in µs since the epoch, UTC
Row = dict[str, int | None]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_FIRST_HORIZON = 7 * 86_400 * US
_LAST_HORIZON = 400 * 366 * 86_400 * US  # no working time found this far: give up
_TERMINAL = frozenset({Status.RESOLVED, Status.CLOSED, Status.CANCELLED})


# --- instants ----------------------------------------------------------------------------


def to_us(moment: datetime) -> int:
    """µs since the epoch of an aware datetime."""
    return (moment - _EPOCH) // _ONE_US


def from_us(instant: int) -> datetime:
    """The aware UTC datetime of an instant in µs."""
    return _EPOCH + timedelta(microseconds=instant)


def _wall(zone: ZoneInfo, instant: int) -> datetime:
    """The naive local wall time that clocks in `zone` show at `instant`."""
    return from_us(instant).astimezone(zone).replace(tzinfo=None)


def wall_to_utc(zone: ZoneInfo, day: date, minute: int) -> int:
    """Local `day` + `minute` as a UTC instant (semantics.md, calendars rule 2)."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    earlier = to_us(wall.replace(tzinfo=zone, fold=0))  # fold=0: the earlier of two readings
    if _wall(zone, earlier) == wall:
        return earlier
    later = to_us(wall.replace(tzinfo=zone, fold=1))
    return _first_instant_past(zone, wall, min(earlier, later), max(earlier, later))


def _first_instant_past(zone: ZoneInfo, wall: datetime, low: int, high: int) -> int:
    """The first instant in (low, high] whose wall reading is at or past `wall`.

    `wall` does not exist: the clocks jump over it. The two fold readings of it bracket
    the jump, so the transition instant (the first instant after the gap) lies between
    them. Zone transitions fall on whole seconds, so a binary search over seconds finds it.
    """
    lo, hi = low // US + 1, high // US
    while lo < hi:
        mid = (lo + hi) // 2
        if _wall(zone, mid * US) >= wall:
            hi = mid
        else:
            lo = mid + 1
    return hi * US


# --- calendars ---------------------------------------------------------------------------


def _local_date(zone: ZoneInfo, instant: int) -> date:
    return _wall(zone, instant).date()


def _dates(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _shifts(spec: CalendarSpec, zone: ZoneInfo, day: date, holidays: set[date]) -> list[Interval]:
    """UTC intervals of the shifts that start on local `day` (rule 1)."""
    if day in holidays or day.weekday() >= len(spec.weekly):
        return []
    weekly = spec.weekly[day.weekday()]
    return [(wall_to_utc(zone, day, s), wall_to_utc(zone, day, e)) for s, e in weekly]


def _merge(intervals: list[Interval]) -> list[Interval]:
    """The union of intervals as sorted, disjoint, non-empty intervals (rule 4)."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(opened: list[Interval], closed: list[Interval]) -> list[Interval]:
    """`opened` minus every interval of `closed` (rule 3)."""
    result = opened
    for c_start, c_end in closed:
        kept: list[Interval] = []
        for start, end in result:
            kept += [(start, min(end, c_start)), (max(start, c_end), end)]
        result = [i for i in kept if i[0] < i[1]]
    return result


def open_intervals(spec: CalendarSpec, a: int, b: int) -> list[Interval]:
    """The calendar's open set inside [a, b), as sorted disjoint UTC intervals."""
    if spec.always_open:
        return [(a, b)] if a < b else []
    zone = ZoneInfo(spec.timezone)
    # A shift runs at most two days past the date it starts on (end ≤ 2880 minutes).
    first = _local_date(zone, a) - timedelta(days=2)
    last = _local_date(zone, b) + timedelta(days=1)
    holidays: set[date] = set()
    for year in range(first.year, last.year + 1):
        holidays |= spec.holidays(year)
    shifts = [s for day in _dates(first, last) for s in _shifts(spec, zone, day, holidays)]
    closed = [(wall_to_utc(zone, d, s), wall_to_utc(zone, d, e)) for d, s, e in spec.closures]
    clipped = [(max(s, a), min(e, b)) for s, e in _subtract(_merge(shifts), closed)]
    return [i for i in clipped if i[0] < i[1]]


def ref_business(spec: CalendarSpec, a_us: int, b_us: int) -> int:
    """Business µs in [a, b): the measure of the open set there (0 when b ≤ a)."""
    return sum(end - start for start, end in open_intervals(spec, a_us, b_us))


def ref_due(spec: CalendarSpec, a_us: int, budget_us: int) -> int:
    """The earliest t ≥ a with business(a, t) ≥ budget; due(a, 0) = a."""
    if budget_us <= 0:
        return a_us
    horizon = _FIRST_HORIZON
    while horizon <= _LAST_HORIZON:
        left = budget_us
        for start, end in open_intervals(spec, a_us, a_us + horizon):
            if end - start >= left:
                return start + left
            left -= end - start
        horizon *= 2
    raise CalendarError(f"calendar {spec.name!r}: no working time to reach a budget")


# --- the event log, one ticket at a time -------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One event of a ticket and what the ticket looks like right after it."""

    ts: int
    kind: int
    value: int
    actor: int
    status: int  # status after the event
    priority: int | None  # priority after the event
    reopened: bool
    until: int  # the next event's ts, or as-of after the last event


def ticket_steps(log: EventLog, ticket: int, as_of_us: int) -> list[Step]:
    """The ticket's events up to as-of, each with the tracked state after it."""
    rows = [i for i in range(len(log)) if log.ticket[i] == ticket and log.ts[i] <= as_of_us]
    status, priority = int(Status.NEW), None
    steps: list[Step] = []
    for n, i in enumerate(rows):
        kind, value = int(log.kind[i]), int(log.value[i])
        reopened = False
        if kind == Kind.STATUS:
            reopened = value not in _TERMINAL and status in _TERMINAL
            status = value
        elif kind == Kind.PRIORITY:
            priority = value
        until = int(log.ts[rows[n + 1]]) if n + 1 < len(rows) else as_of_us
        steps.append(
            Step(int(log.ts[i]), kind, value, int(log.actor[i]), status, priority, reopened, until)
        )
    return steps


def matches(condition: Condition, step: Step) -> bool:
    """Whether one event matches one start or stop condition."""
    trigger = condition.trigger
    if trigger == Trigger.CREATED:
        return step.kind == Kind.CREATED
    if trigger == Trigger.STATUS:
        return step.kind == Kind.STATUS and step.value == condition.value
    if trigger == Trigger.REPLY:
        return step.kind == Kind.REPLY and step.actor == condition.value
    if trigger == Trigger.PRIORITY:
        return step.kind == Kind.PRIORITY and step.value == condition.value
    if trigger == Trigger.REOPENED:
        return step.reopened
    if trigger == Trigger.ASSIGN:
        return step.kind == Kind.ASSIGN
    return trigger == Trigger.CATEGORY and step.kind == Kind.CATEGORY


# --- the latch ---------------------------------------------------------------------------


@dataclass
class Cycle:
    number: int
    first: int  # index of the step that started the cycle
    last: int | None = None  # index of the step that stopped it; None while open
    cancelled: bool = False
    spans: list[Interval] = field(default_factory=list)  # counting spans
    paused: list[Interval] = field(default_factory=list)  # latched but in a pause status


def run_latch(metric: MetricPolicy, steps: Sequence[Step]) -> list[Cycle]:
    """The cycles of one metric on one ticket, walking the latch of semantics.md."""
    cycles: list[Cycle] = []
    latched = stopped_once = start_seen = False
    for i, step in enumerate(steps):
        if metric.reopen == ReopenPolicy.IGNORE and stopped_once:
            break  # rule 3: once stopped, the clock stays stopped for good
        cancel = step.kind == Kind.STATUS and step.value == Status.CANCELLED
        reset = cancel or any(matches(c, step) for c in metric.stop)
        start = any(matches(c, step) for c in metric.start)
        start_seen = start_seen or start
        start = start or (metric.reopen != ReopenPolicy.IGNORE and step.reopened and start_seen)
        if reset:  # rule 4: reset wins over set
            if latched:
                latched, stopped_once = False, True
                cycles[-1].last, cycles[-1].cancelled = i, cancel
        elif start and not latched:  # rule 5
            latched = True
            if not cycles or metric.reopen == ReopenPolicy.RESTART:
                cycles.append(Cycle(number=len(cycles), first=i))
            else:  # resume: cycle 0 carries on and its stop is forgotten
                cycles[0].last, cycles[0].cancelled = None, False
        if latched and step.status not in metric.pause_statuses:
            cycles[-1].spans.append((step.ts, step.until))
        elif latched:
            cycles[-1].paused.append((step.ts, step.until))
    return cycles


def cycle_priority(metric: MetricPolicy, steps: Sequence[Step], cycle: Cycle) -> int:
    """The priority whose target applies to a cycle, by the metric's rule."""
    last = cycle.last if cycle.last is not None else len(steps) - 1
    held = [s.priority for s in steps[cycle.first : last + 1]]
    if metric.priority_rule == PriorityRule.CURRENT:
        found = held[-1]
    elif metric.priority_rule == PriorityRule.INITIAL:
        found = next((p for p in held if p is not None), None)
    else:
        found = min((p for p in held if p is not None), default=None)
    return metric.default_priority if found is None else found


# --- one measurement per cycle -----------------------------------------------------------


def _breached_at(cal: CalendarSpec, spans: list[Interval], target: int) -> int | None:
    before = 0
    for a, b in spans:
        counted = ref_business(cal, a, b)
        if before + counted > target:
            return ref_due(cal, a, target - before)
        before += counted
    return None


def _state(metric: MetricPolicy, steps: Sequence[Step], cycle: Cycle, over: bool) -> State:
    if cycle.last is None:
        return State.PAUSED if steps[-1].status in metric.pause_statuses else State.RUNNING
    if cycle.cancelled:
        return State.CANCELLED
    return State.BREACHED if over else State.MET


def measure_cycle(
    metric: MetricPolicy,
    cal: CalendarSpec,
    target: int,
    steps: Sequence[Step],
    cycle: Cycle,
    as_of_us: int,
) -> Row:
    """The row of one cycle whose target (µs, in calendar `cal`) is known."""
    elapsed = sum(ref_business(cal, a, b) for a, b in cycle.spans)
    breached_at = _breached_at(cal, cycle.spans, target)
    state = _state(metric, steps, cycle, elapsed > target)
    stop_at = None if cycle.last is None else steps[cycle.last].ts
    due_at: int | None
    if state == State.CANCELLED:
        due_at = None
    elif breached_at is not None:
        due_at = breached_at
    else:
        due_at = ref_due(cal, as_of_us if stop_at is None else stop_at, target - elapsed)
    return {
        "cycle": cycle.number,
        "target_us": target,
        "start_at": steps[cycle.first].ts,
        "stop_at": stop_at,
        "state": int(state),
        "elapsed_us": elapsed,
        "wall_us": sum(b - a for a, b in cycle.spans),
        "due_at": due_at,
        "breached_at": breached_at,
    }


def ref_measure(
    log: EventLog,
    metrics: Sequence[MetricPolicy],
    calendars: Mapping[str, CalendarSpec],
    as_of_us: int,
) -> list[Row]:
    """Every measurement row, sorted by (ticket, metric, cycle), as plain dicts."""
    rows: list[Row] = []
    for ticket in range(log.n_tickets):
        steps = ticket_steps(log, ticket, as_of_us)
        for m, metric in enumerate(metrics):
            for cycle in run_latch(metric, steps):
                priority = cycle_priority(metric, steps, cycle)
                target = metric.targets.get(priority)
                if target is None:
                    continue  # no target for this priority: no row
                cal = calendars[target.calendar]
                row = measure_cycle(metric, cal, target.seconds * US, steps, cycle, as_of_us)
                rows.append({"ticket": ticket, "metric": m, "priority": priority, **row})
    return rows
