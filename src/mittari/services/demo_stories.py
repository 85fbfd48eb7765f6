"""The stories the demo plants in its generated year, each one the product should find.

- **A team that hides its breaches** (`hide_breaches`): where the first-line team of a
  customer with `gaming` would miss a resolution target, it mostly does not let the
  figure show it: it sets "waiting for the customer" minutes after the customer asked for
  news, in the last tenth of the target; or lowers the priority once most of the target is
  used; or resolves just before the deadline and reopens when the customer says it is not
  fixed (a contract that restarts the clock on reopen pays that off). Integrity flags find
  each; the honest figure is red where the reported one is green.
- **A fault that keeps coming back** (`plan`): a customer with `recurring` gets the same
  WMS integration failure about monthly, more often in the last three months, each time
  reported by a few warehouse people, and each time a short partial outage; in the month
  three before the end it stops the warehouses for hours: the month of service credits.
- **Requesters who come back** (`follow_ups`): a ticket that was not really fixed now and
  then brings its requester back on the same service within days.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from mittari.engine.types import I64, BoolArr
from mittari.services.demo_clock import DAY, HOUR, MINUTE, Clock
from mittari.services.demo_subjects import (
    AGAIN,
    RECURRING_FAULT,
    RECURRING_SERVICE,
    SPECIALIST,
    SUBJECTS,
)

if TYPE_CHECKING:
    from mittari.services.demo_customers import DemoCustomer
    from mittari.services.demo_data import _Story

StrArr = npt.NDArray[np.str_]
ASSUMED_P2_RESOLUTION = 8 * HOUR  # the noise of lowered P2s measures "near" on it
WORSE_DAYS, WORSE_COUNT = 90, 15  # the fault comes five times a month in the last 90 days
CREDIT_MONTHS_BEFORE_END = 3  # the long outage: in the month three before the end's
LONG_OUTAGE = 9 * HOUR + 30 * MINUTE
LIVE_PER_PRIORITY = 3  # open tickets near their deadline at the end, per 24x7 priority
VENDOR_SHARE = 0.6  # of the fault's tickets that wait for the WMS vendor (a restart, no fix)


@dataclass(frozen=True)
class Occurrence:
    start: int  # local wall µs
    minutes: float
    weight: float
    long: bool = False  # the one that stopped the warehouses


@dataclass
class Plan:
    """The planted tickets (local creation µs, priority, attributes) and the outages of the
    fault that keeps coming back; empty for a customer without that story."""

    created: I64
    priority: I64
    attributes: dict[str, StrArr]
    occurrences: list[Occurrence] = field(default_factory=list)
    credit_month: str | None = None  # YYYY-MM of the long outage


def plan(c: DemoCustomer, start: int, end: int, rng: np.random.Generator) -> Plan:
    """The recurring fault of `c` over local [start, end): occurrences and their tickets."""
    story = np.random.default_rng(rng.integers(2**63))  # its own stream: volumes stay put
    empty = np.zeros(0, dtype=np.int64)
    if not c.recurring:
        return Plan(empty, empty, _attributes(c, 0, story))
    months = _month_starts(start, end)
    worse = end - WORSE_DAYS * DAY
    occurrences = [  # about monthly at first ...
        Occurrence(int(story.integers(lo, hi)), float(story.uniform(8, 20)), 0.25)
        for lo, hi in itertools.pairwise(months)
        if hi <= worse and story.random() < 0.85
    ]
    first, last = max(worse, start), end - 3 * HOUR  # its tickets come before the end
    recent: list[int] = []  # ... then much more often
    if last > first:
        recent = story.integers(first, last, size=WORSE_COUNT).tolist()
    occurrences += [Occurrence(int(at), float(story.uniform(8, 20)), 0.25) for at in recent]
    credit = len(months) - 2 - CREDIT_MONTHS_BEFORE_END
    if credit < 0:  # a window too short for the month of credits
        return _planted(c, occurrences, None, story)
    long_at = months[credit] + 13 * DAY + 5 * HOUR + 40 * MINUTE
    occurrences.append(Occurrence(long_at, LONG_OUTAGE / MINUTE, 1.0, long=True))
    label = str(np.datetime64(months[credit] // DAY, "D").astype("datetime64[M]"))
    return _planted(c, occurrences, label, story)


def _planted(
    c: DemoCustomer, occurrences: list[Occurrence], credit: str | None, story: np.random.Generator
) -> Plan:
    """The tickets of each occurrence: a few warehouse people report it within the hour."""
    occurrences.sort(key=lambda o: o.start)
    per = [8 if o.long else 3 + int(story.poisson(1.5)) for o in occurrences]
    created = np.concatenate(
        [np.zeros(0, dtype=np.int64)]
        + [
            o.start + story.integers(2 * MINUTE, 45 * MINUTE, size=m)
            for o, m in zip(occurrences, per, strict=True)
        ]
    ).astype(np.int64)
    urgent = np.repeat(np.array([o.long for o in occurrences], dtype=bool), per)
    priority = np.where(urgent | (story.random(len(created)) < 0.2), 1, 2).astype(np.int64)
    return Plan(created, priority, _attributes(c, len(created), story), occurrences, credit)


def _month_starts(start: int, end: int) -> list[int]:
    """Local µs of the first instant of each month from `start`'s to the one after `end`'s."""
    first = np.datetime64(start // DAY, "D").astype("datetime64[M]")
    last = np.datetime64((end - 1) // DAY, "D").astype("datetime64[M]")
    months = np.arange(first, last + 2)
    return [int(d) * DAY for d in months.astype("datetime64[D]").astype(np.int64)]


def _attributes(c: DemoCustomer, n: int, rng: np.random.Generator) -> dict[str, StrArr]:
    person = (c.people * rng.random(n)).astype(np.int64) + 1
    return {
        "service": np.full(n, RECURRING_SERVICE, dtype="<U32"),
        "type": np.full(n, "incident", dtype="<U16"),
        "requester": np.char.mod(f"{c.slug}-u%04d", person).astype("<U32"),
        "subject": rng.choice(np.array(RECURRING_FAULT), size=n).astype("<U90"),
        "team": np.full(n, c.desk, dtype="<U16"),
        "specialist": np.full(n, "Applications", dtype="<U16"),
    }


def live_tickets(
    c: DemoCustomer, end: int, rng: np.random.Generator
) -> tuple[I64, I64, dict[str, StrArr]]:
    """Incidents still open at the end, their clocks running round the clock and most of
    the target used: the at-risk feed's countdowns when the dashboard opens (P1s, and
    P2s where the contract measures P2 round the clock)."""
    urgent = [1] * LIVE_PER_PRIORITY + ([2] * LIVE_PER_PRIORITY if c.round_the_clock >= 2 else [])
    priority = np.array(urgent, dtype=np.int64)
    used = rng.uniform(0.55, 0.92, len(priority)) * c.target_us(priority)
    created = end - used.astype(np.int64)
    service = rng.choice(np.array(list(c.services)), size=len(priority))
    subject = np.array([rng.choice(SUBJECTS[s][0]) for s in service], dtype="<U90")
    person = (c.people * rng.random(len(priority))).astype(np.int64) + 1
    specialist = np.array([SPECIALIST.get(s, c.desk) for s in service], dtype="<U16")
    return (
        created,
        priority,
        {
            "service": service.astype("<U32"),
            "type": np.full(len(priority), "incident", dtype="<U16"),
            "requester": np.char.mod(f"{c.slug}-u%04d", person).astype("<U32"),
            "subject": subject,
            "team": specialist,
            "specialist": specialist,
        },
    )


def follow_ups(
    c: DemoCustomer,
    created: I64,
    priority: I64,
    tickets: dict[str, StrArr],
    not_fixed: BoolArr,
    rng: np.random.Generator,
) -> tuple[I64, I64, dict[str, StrArr]]:
    """New tickets of requesters whose incident was not really fixed: same service, days
    later, the subject prefixed with "the same fault again"."""
    back = not_fixed & (tickets["type"] == "incident") & (rng.random(len(created)) < 0.35)
    delay = np.minimum(np.exp(rng.normal(0.0, 0.7, len(created))) * 2 * DAY, 6 * DAY)
    more = {k: v[back] for k, v in tickets.items()}
    prefix = AGAIN.get(c.language, AGAIN["fi"])
    more["subject"] = np.char.add(prefix, more["subject"]).astype("<U90")
    more["team"] = np.full(int(back.sum()), c.desk, dtype="<U16")
    return (created + delay.astype(np.int64))[back], priority[back], more


@dataclass
class Hidden:
    resolve_at: I64  # the final resolve of each ticket (changed where a breach was hidden)
    gamed: BoolArr  # a breach hidden
    early: BoolArr  # hidden by resolving before the deadline, then reopened
    first_resolve: I64  # that early resolve
    reopened: BoolArr


def hide_breaches(
    story: _Story,
    clock: Clock,
    t0: I64,
    priority: I64,
    targets: Callable[[I64], I64],
    resolve_at: I64,
    candidates: BoolArr,
) -> Hidden:
    """Hide the would-be breaches among `candidates` (tickets without waits, so the used
    share of the target is plain business time since creation)."""
    target = targets(priority)
    gamed = candidates & (resolve_at > clock.deadline(t0, target))
    n, rng = len(t0), clock.rng
    tactic = rng.choice(3, size=n, p=(0.4, 0.3, 0.3))
    looser = (priority == 2) | (priority == 3)  # a looser priority in the same calendar

    def used(low: float, high: float) -> I64:
        return np.asarray(clock.deadline(t0, (rng.uniform(low, high, n) * target).astype(np.int64)))

    pause = gamed & ((tactic == 0) | ((tactic == 1) & ~looser))
    at = used(0.9, 0.985)
    story.add(pause, at - clock.uniform(MINUTE, 8 * MINUTE), "reply", actor="customer")  # news?
    story.add(pause, at, "status", "pending_customer", "agent")  # fixed while the clock stood
    down = gamed & (tactic == 1) & looser
    at = used(0.82, 0.97)
    story.add(down, at, "priority", np.char.add("P", (priority + 1).astype(np.str_)))
    in_time = clock.deadline(t0, (0.9 * targets(np.minimum(priority + 1, 4))).astype(np.int64))
    resolve_at = np.where(down, np.minimum(resolve_at, in_time), resolve_at)
    early = gamed & (tactic == 2)
    at = used(0.91, 0.99)
    back = at + np.minimum(clock.lognormal(16 * HOUR, 0.8), 3 * DAY)
    reopen = back + clock.uniform(2 * MINUTE, 30 * MINUTE)
    story.add(early, at, "status", "resolved", "agent")
    story.add(early, back, "reply", actor="customer")  # "it still does not work"
    story.add(early, reopen, "status", "open", "agent")
    second = clock.deadline(reopen, (rng.uniform(0.2, 0.6, n) * target).astype(np.int64))
    return Hidden(np.where(early, second, resolve_at), gamed, early, at, early)


def lowered_near_deadline(
    story: _Story, clock: Clock, t0: I64, first: I64, resolve_at: I64, lowered: BoolArr
) -> I64:
    """A few P2s anywhere lowered to P3 near an assumed 8 h target: the noise around the
    story (pauses would push the real deadline later; the flags measure it exactly)."""
    nearly = (clock.rng.uniform(0.8, 0.97, len(t0)) * ASSUMED_P2_RESOLUTION).astype(np.int64)
    at = np.maximum(clock.office.add(t0, nearly), first + MINUTE)
    story.add(lowered, at, "priority", "P3")
    late = np.maximum(resolve_at, at + clock.lognormal(6 * HOUR, 0.8))
    return np.where(lowered, late, resolve_at)
