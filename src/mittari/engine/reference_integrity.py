"""The slow twin of the per-ticket integrity rules: docs/integrity.md, one ticket at a time.

Plain loops over each ticket's events; the clock at an instant is the reference clock
(`reference.run_latch`) walked over the events before it, as if cancelled at that instant.
Property tests assert that `engine.integrity` agrees with this module exactly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from mittari.engine.integrity.policy import IntegrityPolicy, Rule, TicketFacts
from mittari.engine.reference import Step, cycle_priority, ref_business, run_latch
from mittari.engine.types import (
    NO_VALUE,
    TERMINAL_STATUSES,
    Actor,
    CalendarSpec,
    Condition,
    EventLog,
    Kind,
    MetricPolicy,
    PriorityRule,
    Status,
    Trigger,
)

Hit = tuple[int, int, int, tuple[int, ...]]  # ticket, rule, at, evidence (log rows)
Found = list[tuple[Rule, tuple[int, ...]]]  # the hits of one event: rule, evidence
_STOPS = (Status.RESOLVED, Status.CLOSED)
_PENDING = Status.PENDING_CUSTOMER


@dataclasses.dataclass(frozen=True)
class Ev:
    row: int  # index in the caller's log
    ts: int
    kind: int
    value: int
    actor: int
    status_before: int
    priority_before: int | None
    priority_after: int | None


@dataclasses.dataclass(frozen=True)
class World:
    """Everything a rule may look at."""

    log: EventLog
    policy: IntegrityPolicy
    resolution: MetricPolicy | None
    response: MetricPolicy | None
    calendars: Mapping[str, CalendarSpec]
    facts: TicketFacts
    as_of: int
    tickets: list[list[Ev]]
    created: list[Ev | None]  # per ticket: its first `created` event


def ref_flags(
    log: EventLog,
    metrics: Sequence[MetricPolicy],
    calendars: Mapping[str, CalendarSpec],
    policy: IntegrityPolicy,
    facts: TicketFacts,
    judged: Sequence[bool],
    as_of_us: int,
) -> list[Hit]:
    """Every hit, sorted by (ticket, at, rule, main event)."""
    tickets = [_events(log, t, as_of_us) for t in range(log.n_tickets)]
    created = [next((e for e in evs if e.kind == Kind.CREATED), None) for evs in tickets]
    by_name = {m.name: m for m in metrics}
    resolution = by_name.get(policy.resolution_metric or "")
    response = by_name.get(policy.response_metric or "")
    w = World(log, policy, resolution, response, calendars, facts, as_of_us, tickets, created)
    hits: list[Hit] = []
    for t, evs in enumerate(tickets):
        for k in range(len(evs)) if judged[t] else ():
            for family in (_resolve_hits, _priority_hits, _pause_hits, _response_hits):
                for rule, evidence in family(w, t, k):
                    shown = tuple(row for row in evidence if row >= 0)  # -1: none
                    hits.append((t, int(rule), evs[k].ts, shown))
    return sorted(hits, key=lambda h: (h[0], h[2], h[1], h[3][0]))


def _events(log: EventLog, ticket: int, as_of: int) -> list[Ev]:
    out: list[Ev] = []
    status, priority = int(Status.NEW), None
    for i in range(len(log)):
        if log.ticket[i] != ticket or log.ts[i] > as_of:
            continue
        kind, value = int(log.kind[i]), int(log.value[i])
        before, before_p = status, priority
        status = value if kind == Kind.STATUS else status
        priority = value if kind == Kind.PRIORITY else priority
        actor = int(log.actor[i])
        out.append(Ev(i, int(log.ts[i]), kind, value, actor, before, before_p, priority))
    return out


# --- the clock at an instant, and business time -------------------------------------------


def clock_at(w: World, metric: MetricPolicy, t: int, k: int, at: int) -> tuple[int, int] | None:
    """(elapsed, target) µs of the metric on ticket t over its events before k, then up to
    `at`, as if cancelled there; None when no clock ran or the priority has no target."""
    evs = w.tickets[t][:k]
    steps = [
        Step(e.ts, e.kind, e.value, e.actor, _status_after(e), e.priority_after, _is_reopen(e),
             evs[n + 1].ts if n + 1 < len(evs) else at)
        for n, e in enumerate(evs)
    ]  # fmt: skip
    last_p = evs[-1].priority_after if evs else None
    cancelled = int(Status.CANCELLED)
    steps.append(Step(at, int(Kind.STATUS), cancelled, NO_VALUE, cancelled, last_p, False, at))
    current = dataclasses.replace(metric, priority_rule=PriorityRule.CURRENT)
    cycles = run_latch(current, steps)
    if not cycles:
        return None
    target = metric.targets.get(cycle_priority(current, steps, cycles[-1]))
    if target is None:
        return None
    cal = w.calendars[target.calendar]
    return sum(ref_business(cal, a, b) for a, b in cycles[-1].spans), target.seconds * 1_000_000


def _used_at_least(used: tuple[int, int] | None, pct: float) -> bool:
    return used is not None and used[0] * 100.0 >= pct * used[1]  # as probe.Used computes


def _within_last(used: tuple[int, int] | None, pct: float) -> bool:
    return _used_at_least(used, 100.0 - pct) and used is not None and used[0] <= used[1]


def _business(w: World, metric: MetricPolicy, priority: int | None, a: int, b: int) -> int:
    target = metric.targets.get(metric.default_priority if priority is None else priority)
    return -1 if target is None else ref_business(w.calendars[target.calendar], a, b)


def _first_created_between(w: World, tickets: list[int], lo: int, hi: int) -> int | None:
    """Of `tickets`, the one created earliest in [lo, hi] (ties: lowest index)."""
    inside = [(c.ts, b) for b in tickets if (c := w.created[b]) is not None and lo <= c.ts <= hi]
    return min(inside)[1] if inside else None


def _same_pair(w: World, t: int) -> list[int]:
    f = w.facts
    r, s = int(f.requester[t]), int(f.service[t])
    if r < 0 or s < 0:
        return []
    return [b for b in range(len(w.tickets)) if f.requester[b] == r and f.service[b] == s]


# --- the rules --------------------------------------------------------------------------------


def _resolve_hits(w: World, t: int, k: int) -> Found:
    e, evs, m = w.tickets[t][k], w.tickets[t], w.resolution
    if m is None or e.kind != Kind.STATUS or e.status_before in TERMINAL_STATUSES:
        return []
    out: Found = []
    used = clock_at(w, m, t, k, e.ts)
    pol = w.policy.premature_resolve
    if pol.enabled and e.value in _STOPS and _within_last(used, pol.last_share_pct):
        back = next((j for j in evs[k + 1 :] if _is_reopen(j)), None)
        if back is not None and back.ts - e.ts <= pol.reopen_within_us:
            out.append((Rule.REOPENED, (e.row, back.row)))
        b = _first_created_between(w, _same_pair(w, t), e.ts + 1, e.ts + pol.reopen_within_us)
        if b is not None:
            out.append((Rule.FOLLOW_UP, (e.row, _row(w.created[b]))))
    clone = w.policy.clone_to_restart
    near = _used_at_least(used, 100.0 - clone.last_share_pct)
    if clone.enabled and e.value in TERMINAL_STATUSES and near:
        out += _clone_hits(w, t, e)
    return out


def _clone_hits(w: World, t: int, e: Ev) -> Found:
    pol = w.policy.clone_to_restart
    created = w.created[t]
    assert created is not None  # a close after creation
    lo, hi = max(e.ts - pol.successor_within_us, created.ts + 1), e.ts + pol.successor_within_us
    linked = [b for b in range(len(w.tickets)) if w.facts.origin[b] == t]
    names = pol.categories
    marker = next(
        (c for c in w.tickets[t] if c.kind == Kind.CATEGORY and w.log.strings[c.value] in names),
        None,
    )
    marked = marker is not None and marker.ts <= e.ts
    b = _first_created_between(w, linked, lo, hi)
    if b is not None:
        shown = marker.row if marked and marker is not None else -1
        return [(Rule.LINKED_SUCCESSOR, (e.row, _row(w.created[b]), shown))]
    b = _first_created_between(w, _same_pair(w, t), lo, hi)
    if marked and marker is not None and b is not None:
        return [(Rule.MARKED_DUPLICATE, (e.row, _row(w.created[b]), marker.row))]
    return []


def _priority_hits(w: World, t: int, k: int) -> Found:
    e, evs, m = w.tickets[t][k], w.tickets[t], w.resolution
    if e.kind not in (Kind.PRIORITY, Kind.CATEGORY) or e.status_before in TERMINAL_STATUSES:
        return []
    out: Found = []
    scope = w.policy.scope_escape
    if e.kind == Kind.CATEGORY:
        if scope.enabled and w.log.strings[e.value] in scope.categories:
            previous = next((c for c in reversed(evs[:k]) if c.kind == Kind.CATEGORY), None)
            if previous is not None and w.log.strings[previous.value] not in scope.categories:
                out.append((Rule.OUT_OF_SCOPE_CATEGORY, (e.row, previous.row)))
        return out
    down = w.policy.late_downgrade
    if down.enabled and e.priority_before is not None and e.value > e.priority_before:
        nxt = next((p for p in evs[k + 1 :] if p.kind == Kind.PRIORITY), None)
        if nxt is not None and nxt.value < e.value:
            out.append((Rule.RAISED_AGAIN, (e.row, nxt.row)))
        if m is not None and _used_at_least(clock_at(w, m, t, k, e.ts), down.after_used_pct):
            out.append((Rule.LATE, (e.row,)))
    escapes = m is not None and e.priority_before in m.targets and e.value not in m.targets
    if scope.enabled and escapes:
        out.append((Rule.PRIORITY_WITHOUT_TARGET, (e.row,)))
    return out


def _pause_hits(w: World, t: int, k: int) -> Found:
    e, evs, m = w.tickets[t][k], w.tickets[t], w.resolution
    pol = w.policy.pause_without_cause
    if not pol.enabled or m is None or _PENDING not in m.pause_statuses:
        return []
    if e.kind != Kind.STATUS or e.value != _PENDING or e.status_before == _PENDING:
        return []
    out: Found = []
    public = (Actor.AGENT, Actor.CUSTOMER)
    last = next((r for r in reversed(evs[:k]) if r.kind == Kind.REPLY and r.actor in public), None)
    by_customer = last is not None and last.actor == Actor.CUSTOMER
    just_after = by_customer and last is not None and e.ts - last.ts <= pol.after_customer_reply_us
    if just_after:
        out.append((Rule.AFTER_CUSTOMER_REPLY, (e.row, _row(last))))
    asked = last is not None and last.actor == Actor.AGENT
    if pol.require_question and not asked and not just_after:
        out.append((Rule.NO_QUESTION, (e.row, _row(last))))
    rest = evs[k + 1 :]
    end = next((s for s in rest if s.kind == Kind.STATUS and s.value != _PENDING), None)
    reply = next((r for r in rest if r.kind == Kind.REPLY and r.actor == Actor.CUSTOMER), None)
    if reply is not None and (end is None or reply.row < end.row):
        until = w.as_of if end is None else end.ts
        waited = _business(w, m, reply.priority_after, reply.ts, until)
        if waited >= pol.kept_after_reply_business_us:
            out.append((Rule.KEPT_AFTER_REPLY, (e.row, reply.row)))
    if _within_last(clock_at(w, m, t, k, e.ts), pol.near_due_pct):
        out.append((Rule.NEAR_DUE, (e.row,)))
    return out


def _response_hits(w: World, t: int, k: int) -> Found:
    e, evs, m = w.tickets[t][k], w.tickets[t], w.response
    pol = w.policy.hollow_first_response
    created = w.created[t]
    if not pol.enabled or m is None or created is None or e.kind != Kind.REPLY:
        return []
    counts_system = Condition(Trigger.REPLY, int(Actor.SYSTEM)) in m.stop
    actors = (Actor.AGENT, Actor.SYSTEM) if counts_system else (Actor.AGENT,)
    ends = (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)
    start = evs.index(created)
    stops = (x for x in evs[start:] if (x.kind == Kind.REPLY and x.actor in actors)
             or (x.kind == Kind.STATUS and x.value in ends))  # fmt: skip
    first = next(stops, None)
    if first is not e:
        return []
    if e.actor == Actor.SYSTEM:
        return [(Rule.SYSTEM_REPLY, (e.row,))]
    if e.ts - created.ts > pol.within_us:
        return []
    nxt = next((x for x in evs[k + 1 :] if _is_action(x)), None)
    until = w.as_of if nxt is None else nxt.ts
    if _business(w, m, e.priority_after, e.ts, until) >= pol.silent_for_business_us:
        return [(Rule.QUICK_THEN_SILENT, (e.row, _row(nxt)))]
    return []


def _is_action(e: Ev) -> bool:
    if e.kind in (Kind.STATUS, Kind.PRIORITY, Kind.ASSIGN, Kind.CATEGORY):
        return True
    return e.kind in (Kind.REPLY, Kind.NOTE) and e.actor == Actor.AGENT


def _status_after(e: Ev) -> int:
    return e.value if e.kind == Kind.STATUS else e.status_before


def _is_reopen(e: Ev) -> bool:
    active = e.kind == Kind.STATUS and e.value not in TERMINAL_STATUSES
    return active and e.status_before in TERMINAL_STATUSES


def _row(e: Ev | None) -> int:
    return -1 if e is None else e.row
