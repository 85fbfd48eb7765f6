"""The SLA clock engine: measurements for every (ticket, metric, cycle), vectorised.

docs/semantics.md is the specification; `engine/reference.py` is its slow twin. Each
step below is a whole-array pass over the event log (sorted by ticket, ts, input order):

1. per-ticket state after each event (status, priority, reopened), by forward fill;
2. per metric, the latch (set by start conditions and reopens, reset by stops and
   cancels) is a forward fill of the last set/reset code, so no loop walks the events;
3. cycles are runs of the latch, numbered by cumulative sums;
4. each event with the latch set opens a segment up to the next event (or the as-of
   time); counting segments are measured in the calendar of their cycle's target.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import numpy as np

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.types import (
    I8,
    I64,
    NO_VALUE,
    NULL_TS,
    TERMINAL_STATUSES,
    US,
    BoolArr,
    Condition,
    EventLog,
    Kind,
    Measurements,
    MetricPolicy,
    PriorityRule,
    ReopenPolicy,
    State,
    Status,
    Trigger,
)

_A = TypeVar("_A", I64, I8, BoolArr)
_NO_PRIORITY = 99  # sorts after P5 when looking for the most urgent priority


def _run_firsts(keys: I64) -> BoolArr:
    """True where a run of equal keys begins."""
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


@dataclass(frozen=True)
class _Runs:
    """Where each ticket's events are: the log holds one contiguous run per ticket."""

    first: BoolArr  # the event is its ticket's first
    starts: I64  # per run: its first index
    sizes: I64  # per run: its number of events
    head: I64  # per event: index of its ticket's first event
    index: I64  # 0 .. n-1, shared

    @staticmethod
    def of(ticket: I64) -> _Runs:
        n = len(ticket)
        first = _run_firsts(ticket)
        starts = np.flatnonzero(first)
        sizes = np.diff(np.append(starts, n))
        return _Runs(first, starts, sizes, np.repeat(starts, sizes), np.arange(n, dtype=np.int64))


@dataclass(frozen=True)
class _Tickets:
    """Per-event arrays derived once and shared by every metric."""

    log: EventLog
    runs: _Runs
    status_after: I8
    priority_after: I8  # NO_VALUE before any priority event
    reopened: BoolArr
    next_ts: I64  # ts of the next event of the ticket, or as-of after its last
    first_priority_idx: I64  # per ticket index: its first priority event (n if none)

    @property
    def head(self) -> I64:
        return self.runs.head


def _ffill_index(mask: BoolArr, t: _Runs) -> I64:
    """For each event, the index of the last event ≤ it in its ticket where mask holds, or -1."""
    idx = np.full(len(mask), -1, dtype=np.int64)
    np.copyto(idx, t.index, where=mask)
    np.maximum.accumulate(idx, out=idx)
    idx[idx < t.head] = -1  # an index from an earlier ticket
    return idx


def _lookup(codes: I64 | I8, members: frozenset[int] | Iterable[int]) -> BoolArr:
    """codes ∈ members, through a small table (status codes are 0..7; -1 never a member)."""
    table = np.zeros(_NO_PRIORITY + 2, dtype=bool)
    table[list(members)] = True
    return table[codes]


def _ticket_state(log: EventLog, as_of: int) -> _Tickets:
    n = len(log)
    t = _Runs.of(log.ticket)
    is_status = log.kind == Kind.STATUS
    last_status = _ffill_index(is_status, t)
    # Small codes as int8: these live through every metric; narrow arrays fault in less memory.
    status_after = np.where(last_status >= 0, log.value[last_status], int(Status.NEW))
    status_after = status_after.astype(np.int8)
    status_before = _shift_in_ticket(status_after, t, int(Status.NEW))
    status_value = np.where(is_status, log.value, NO_VALUE)  # other kinds' values are no status
    reopened = is_status & ~_lookup(status_value, TERMINAL_STATUSES)
    reopened &= _lookup(status_before, TERMINAL_STATUSES)
    is_priority = log.kind == Kind.PRIORITY
    last_priority = _ffill_index(is_priority, t)
    priority_after = np.where(last_priority >= 0, log.value[last_priority], NO_VALUE)
    priority_after = priority_after.astype(np.int8)
    next_ts = np.empty(n, dtype=np.int64)
    next_ts[:-1] = log.ts[1:]
    next_ts[-1:] = as_of
    next_ts[:-1][t.first[1:]] = as_of
    first_priority_idx = np.full(log.n_tickets, n, dtype=np.int64)
    pidx = np.flatnonzero(is_priority)[::-1]  # reversed: the first write per ticket wins last
    first_priority_idx[log.ticket[pidx]] = pidx
    return _Tickets(log, t, status_after, priority_after, reopened, next_ts, first_priority_idx)


def _matches(t: _Tickets, conditions: Sequence[Condition]) -> BoolArr:
    log = t.log
    out = np.zeros(len(log), dtype=bool)
    for c in conditions:
        if c.trigger == Trigger.CREATED:
            out |= log.kind == Kind.CREATED
        elif c.trigger == Trigger.STATUS:
            out |= (log.kind == Kind.STATUS) & (log.value == c.value)
        elif c.trigger == Trigger.REPLY:
            out |= (log.kind == Kind.REPLY) & (log.actor == c.value)
        elif c.trigger == Trigger.PRIORITY:
            out |= (log.kind == Kind.PRIORITY) & (log.value == c.value)
        elif c.trigger == Trigger.REOPENED:
            out |= t.reopened
        elif c.trigger == Trigger.ASSIGN:
            out |= log.kind == Kind.ASSIGN
        elif c.trigger == Trigger.CATEGORY:
            out |= log.kind == Kind.CATEGORY
    return out


def _count_in_ticket(mask: BoolArr, t: _Runs) -> I64:
    """How many events of the ticket up to and including each one satisfy mask."""
    total = np.cumsum(mask, dtype=np.int64)
    before = total[t.starts] - mask[t.starts]  # counted in earlier tickets
    total -= np.repeat(before, t.sizes)
    return total


def _shift_in_ticket(a: _A, t: _Runs, fill: int | bool) -> _A:
    """a[e - 1] for each event, `fill` at each ticket's first event."""
    out = np.empty_like(a)
    out[1:] = a[:-1]
    out[t.first] = fill
    return out


@dataclass(frozen=True)
class _Latch:
    on: BoolArr  # latch set after the event
    start_idx: I64  # per cycle: the event that started it
    last_idx: I64  # per cycle: its last event
    stop_idx: I64  # per cycle: the event that stopped it (-1 while open)
    cancelled: BoolArr  # per cycle: stopped by a cancel
    number: I64  # per cycle: 0, 1, … within its ticket


def _latch(t: _Tickets, m: MetricPolicy) -> _Latch:
    log = t.log
    cancel = (log.kind == Kind.STATUS) & (log.value == Status.CANCELLED)
    reset = _matches(t, m.stop) | cancel
    set_ = _matches(t, m.start)
    if m.reopen != ReopenPolicy.IGNORE:  # a reopen re-arms a clock whose start was seen
        set_ = set_ | (t.reopened & (_count_in_ticket(set_, t.runs) >= 1))
    code = np.full(len(log), -1, dtype=np.int8)
    code[set_] = 1
    code[reset] = 0  # reset wins over set
    last = _ffill_index(code >= 0, t.runs)
    on = (last >= 0) & (code[np.maximum(last, 0)] == 1)
    before = _shift_in_ticket(on, t.runs, False)
    stop_ev = before & ~on
    if m.reopen == ReopenPolicy.IGNORE:  # once stopped, stopped for good
        stops = _count_in_ticket(stop_ev, t.runs)
        first_stop = stop_ev & (stops == 1)
        on &= stops == 0
        before &= (stops == 0) | first_stop
        stop_ev = before & ~on
    start_ev = on & ~before
    return _cycles(t, m, on, start_ev, stop_ev, cancel)


def _cycles(
    t: _Tickets, m: MetricPolicy, on: BoolArr, start_ev: BoolArr, stop_ev: BoolArr, cancel: BoolArr
) -> _Latch:
    start_idx = np.flatnonzero(start_ev)
    if m.reopen != ReopenPolicy.RESTART:  # resume (and ignore): one cycle per ticket
        start_idx = start_idx[_run_firsts(t.log.ticket[start_idx])]
    # A cycle's events run up to the next cycle's start in its ticket, or the ticket's end.
    run = np.searchsorted(t.runs.starts, start_idx, side="right") - 1
    ticket_last = t.runs.starts[run] + t.runs.sizes[run] - 1
    last_idx = np.minimum(ticket_last, np.append(start_idx[1:], len(on)) - 1)
    stops = np.append(-1, np.flatnonzero(stop_ev))  # -1: no stop yet
    last_stop = stops[np.searchsorted(stops, last_idx, side="right") - 1]
    is_open = on[last_idx]
    stop_idx = np.where(is_open, -1, last_stop)
    cancelled = ~is_open & cancel[np.maximum(stop_idx, 0)]
    ids = np.arange(len(start_idx), dtype=np.int64)
    first_of_ticket = _run_firsts(t.log.ticket[start_idx])
    number = ids - np.maximum.accumulate(np.where(first_of_ticket, ids, 0))
    return _Latch(on, start_idx, last_idx, stop_idx, cancelled, number)


def _priorities(t: _Tickets, m: MetricPolicy, lt: _Latch) -> I64:
    """The priority whose target applies to each cycle, by the metric's rule."""
    pa = t.priority_after
    end_idx = np.where(lt.stop_idx >= 0, lt.stop_idx, lt.last_idx)
    if m.priority_rule == PriorityRule.CURRENT:
        p = pa[end_idx]
    elif m.priority_rule == PriorityRule.INITIAL:
        p = pa[lt.start_idx]
        first = t.first_priority_idx[t.log.ticket[lt.start_idx]]
        later = (p == NO_VALUE) & (first <= end_idx)
        p = np.where(later, t.log.value[np.minimum(first, len(pa) - 1)], p)
    else:
        ranked = np.append(np.where(pa == NO_VALUE, _NO_PRIORITY, pa), _NO_PRIORITY)
        bounds = np.empty(2 * len(end_idx), dtype=np.int64)
        bounds[0::2], bounds[1::2] = lt.start_idx, end_idx + 1
        p = np.minimum.reduceat(ranked, bounds)[0::2] if len(bounds) else pa[:0]
        p = np.where(p == _NO_PRIORITY, NO_VALUE, p)
    return np.where(p == NO_VALUE, m.default_priority, p).astype(np.int64)


@dataclass(frozen=True)
class _Targets:
    priority: I64
    target: I64
    calendar: I64  # index into the calendars list


def _targets(m: MetricPolicy, priority: I64, names: list[str]) -> tuple[BoolArr, _Targets]:
    """Target and calendar per cycle; cycles whose priority has no target are dropped."""
    has = np.zeros(_NO_PRIORITY + 1, dtype=bool)
    seconds = np.zeros(_NO_PRIORITY + 1, dtype=np.int64)
    cal = np.zeros(_NO_PRIORITY + 1, dtype=np.int64)
    for prio, tgt in m.targets.items():
        has[prio], seconds[prio], cal[prio] = True, tgt.seconds * US, names.index(tgt.calendar)
    keep = has[priority]
    p = priority[keep]
    return keep, _Targets(p, seconds[p], cal[p])


def _by_calendar(calendars: Sequence[BusinessCalendar], which: I64, fn: str, x: I64, y: I64) -> I64:
    """calendar.business(x, y) or calendar.due(x, y), row by row in each row's calendar.

    The calendar of most rows runs on all of them (cheaper than gathering its rows); the
    rows of the other calendars are then recomputed in their own.
    """
    if len(which) == 0:
        return np.zeros(0, dtype=np.int64)
    counts = np.bincount(which, minlength=len(calendars))
    most = int(np.argmax(counts))
    out: I64 = getattr(calendars[most], fn)(x, y)
    for ci, cal in enumerate(calendars):
        if ci != most and counts[ci]:
            rows = np.flatnonzero(which == ci)
            out[rows] = getattr(cal, fn)(x[rows], y[rows])
    return out


def _measure_metric(
    t: _Tickets,
    m: MetricPolicy,
    calendars: Sequence[BusinessCalendar],
    names: list[str],
    as_of: int,
) -> dict[str, I64]:
    lt = _latch(t, m)
    keep, tg = _targets(m, _priorities(t, m, lt), names)
    kept_cycles = np.flatnonzero(keep)
    renumber = np.full(len(keep) + 1, -1, dtype=np.int64)  # old cycle id -> kept id (-1: none)
    renumber[kept_cycles] = np.arange(len(kept_cycles))
    paused = _lookup(t.status_after, m.pause_statuses)
    counting = np.flatnonzero(lt.on & ~paused)  # every event with the latch on is in a cycle
    seg_c = renumber[np.searchsorted(lt.start_idx, counting, side="right") - 1]
    counting, seg_c = counting[seg_c >= 0], seg_c[seg_c >= 0]
    a, b = t.log.ts[counting], t.next_ts[counting]
    bus = _by_calendar(calendars, tg.calendar[seg_c], "business", a, b)
    n = len(kept_cycles)
    bounds = np.searchsorted(seg_c, np.arange(n + 1))  # segments of cycle c: bounds[c]:bounds[c+1]
    cum_bus = np.concatenate(([0], np.cumsum(bus)))
    cum_wall = np.concatenate(([0], np.cumsum(b - a)))
    elapsed = cum_bus[bounds[1:]] - cum_bus[bounds[:-1]]
    wall = cum_wall[bounds[1:]] - cum_wall[bounds[:-1]]
    breached_at = _breach_instants(calendars, tg, seg_c, a, bus, cum_bus, bounds, elapsed)
    start_idx, stop_idx = lt.start_idx[keep], lt.stop_idx[keep]
    last_idx, cancelled = lt.last_idx[keep], lt.cancelled[keep]
    stopped = stop_idx >= 0
    stop_at = np.where(stopped, t.log.ts[np.maximum(stop_idx, 0)], NULL_TS)
    over = elapsed > tg.target
    state = np.select(
        [stopped & cancelled, stopped & ~over, stopped, paused[last_idx]],
        [State.CANCELLED, State.MET, State.BREACHED, State.PAUSED],
        State.RUNNING,
    ).astype(np.int8)
    due_from = np.where(stopped, stop_at, as_of)
    remaining = np.maximum(tg.target - elapsed, 0)
    due_at = _by_calendar(calendars, tg.calendar, "due", due_from, remaining)
    due_at = np.where(over, breached_at, due_at)
    due_at = np.where(stopped & cancelled, NULL_TS, due_at)
    return {
        "ticket": t.log.ticket[start_idx],
        "cycle": lt.number[keep],
        "priority": tg.priority,
        "target_us": tg.target,
        "start_at": t.log.ts[start_idx],
        "stop_at": stop_at,
        "state": state,
        "elapsed_us": elapsed,
        "wall_us": wall,
        "due_at": due_at,
        "breached_at": breached_at,
    }


def _breach_instants(
    calendars: Sequence[BusinessCalendar],
    tg: _Targets,
    seg_c: I64,
    a: I64,
    bus: I64,
    cum_bus: I64,
    bounds: I64,
    elapsed: I64,
) -> I64:
    """Where the running total of a cycle over target reaches exactly its target."""
    out = np.full(len(elapsed), NULL_TS, dtype=np.int64)
    over = np.flatnonzero(elapsed > tg.target)
    # Only the segments of cycles over their target can hold the crossing.
    sizes = bounds[over + 1] - bounds[over]
    segs = np.repeat(bounds[over], sizes) + _ramp(sizes)
    cyc = seg_c[segs]
    before = cum_bus[segs] - cum_bus[bounds[cyc]]  # counted in the cycle before each segment
    target = tg.target[cyc]
    hit = (before <= target) & (before + bus[segs] > target)
    segs, cyc, before, target = segs[hit], cyc[hit], before[hit], target[hit]
    out[cyc] = _by_calendar(calendars, tg.calendar[cyc], "due", a[segs], target - before)
    return out


def _ramp(sizes: I64) -> I64:
    """0, 1, …, k-1 for each k in sizes, concatenated."""
    total = int(sizes.sum())
    starts = np.cumsum(sizes) - sizes
    return np.arange(total, dtype=np.int64) - np.repeat(starts, sizes)


def measure(
    log: EventLog,
    metrics: Sequence[MetricPolicy],
    calendars: Mapping[str, BusinessCalendar],
    as_of_us: int,
) -> Measurements:
    """Every clock cycle of every ticket and metric, evaluated at `as_of_us`.

    Rows are sorted by (ticket, metric, cycle); `metric` indexes `metrics`.
    """
    log = log.select_rows(log.ts <= as_of_us)
    names = list(calendars)
    cals = [calendars[n] for n in names]
    parts: list[dict[str, I64]] = []
    if len(log):
        t = _ticket_state(log, as_of_us)
        for mi, m in enumerate(metrics):
            cols = _measure_metric(t, m, cals, names, as_of_us)
            cols["metric"] = np.full(len(cols["ticket"]), mi, dtype=np.int64)
            parts.append(cols)
    return _assemble(parts)


def _assemble(parts: list[dict[str, I64]]) -> Measurements:
    names = [f.name for f in fields(Measurements)]
    if not parts:
        parts = [{k: np.zeros(0, dtype=np.int8 if k == "state" else np.int64) for k in names}]
    cols: dict[str, Any] = {k: np.concatenate([p[k] for p in parts]) for k in names}
    order = np.argsort(cols["ticket"], kind="stable")  # parts are metric-major: keeps metric, cycle
    return Measurements(**{k: v[order] for k, v in cols.items()})
