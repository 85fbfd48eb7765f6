"""A synthetic year of an MSP's ticket histories, for demos, benchmarks and tests.

Everything is made up: customers, requesters and subjects. The shapes are not: arrivals
peak on weekday mornings, P1s come at any hour, agents answer after log-normal delays
counted in each customer's office hours (public holidays closed; priorities worked round
the clock in wall time), tickets wait for customers (after an agent's question) and
vendors, get reopened, cancelled, reprioritised and reassigned. Each ticket's story is a
fixed list of *slots* (possible events), every slot one numpy column over all tickets
with a mask of who has it, so a year of ~25k tickets takes a fraction of a second. Times
are drawn as local wall time and turned into UTC at the end (`zones.local_to_utc`), so
DST is exact; events at or after the window's end are cut, as in an export taken then:
late tickets stay open.

A customer's profile (`DemoCustomer`) sets its volume, services, hours, speed and
reopens; `demo_stories` plants what the demo is for (a team that hides breaches, a fault
that keeps coming back, requesters who come back with the same problem), and the facts
each ticket ends with (`CustomerYear.facts`) drive its survey answers (`demo_feedback`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from mittari.engine.types import I64, NULL_TS, US, BoolArr
from mittari.importers.canonical.zones import local_to_utc
from mittari.services import demo_stories as stories
from mittari.services.demo_clock import DAY, HOUR, MINUTE, Clock, Office
from mittari.services.demo_customers import DEMO_CUSTOMERS, TEAMS, DemoCustomer, Feel
from mittari.services.demo_subjects import SPECIALIST, SUBJECTS

StrArr = npt.NDArray[np.str_]
__all__ = ["DEMO_CUSTOMERS", "TEAMS", "DemoCustomer", "Feel", "Window", "generate", "generate_year"]

PRIORITY_MIX = (0.03, 0.15, 0.50, 0.32)  # P1..P4
# Medians of log-normal delays per priority P1..P4, in the ticket's working time.
FIRST_RESPONSE = np.array([6 * MINUTE, 15 * MINUTE, 50 * MINUTE, 2 * HOUR])
RESOLUTION = np.array([90 * MINUTE, 3 * HOUR, 7 * HOUR, 12 * HOUR])
# Arrivals per local hour of day (relative): a morning peak, lunch, a quiet night.
HOURLY = np.array(
    [.05, .04, .04, .04, .05, .08, .2, .5, 1.0, 1.4, 1.3, 1.0,
     .7, 1.1, 1.0, .8, .45, .25, .15, .1, .08, .07, .06, .05]
)  # fmt: skip


EVENT_SCHEMA = pa.schema(
    [("ticket_id", pa.string()), ("ts", pa.timestamp("us", tz="UTC")), ("kind", pa.string()),
     ("value", pa.string()), ("actor", pa.string())]
)  # fmt: skip
TICKET_FIELDS = ("ticket_id", "customer", "service", "type", "requester", "subject", "team")


@dataclass(frozen=True)
class Window:
    """The generated period: from the local midnight of `start` to `end` (exclusive).
    An aware `end` is one instant for every customer; a naive one is local wall time in
    each customer's zone (a calendar year ends at each one's own New Year)."""

    start: date
    end: datetime

    @classmethod
    def months_to(cls, end: datetime, months: int = 12) -> Window:
        """From the first day of the month `months` before the month of `end`."""
        index = end.year * 12 + end.month - 1 - months
        return cls(date(index // 12, index % 12 + 1, 1), end)

    def start_local_us(self) -> int:
        """The first instant, in local wall µs (the same wall time in every zone)."""
        return _days(self.start) * DAY

    def end_local_us(self, zone: str) -> int:
        wall = self.end if self.end.tzinfo is None else self.end.astimezone(ZoneInfo(zone))
        return _days(wall.date()) * DAY + _since_midnight(wall)


@dataclass
class CustomerYear:
    customer: DemoCustomer
    events: pa.Table
    tickets: pa.Table
    facts: dict[str, np.ndarray]  # per ticket, in `tickets` order (see `_lifecycle`)
    plan: stories.Plan


@dataclass
class DemoYear:
    window: Window
    parts: list[CustomerYear]

    @property
    def events(self) -> pa.Table:
        return pa.concat_tables([p.events for p in self.parts])

    @property
    def tickets(self) -> pa.Table:
        return pa.concat_tables([p.tickets for p in self.parts])


def generate(
    seed: int, window: Window, customers: Sequence[DemoCustomer] = DEMO_CUSTOMERS
) -> DemoYear:
    """Every customer's tickets, events and facts over `window`; the same seed and window
    give the same tables."""
    prefixes = [c.id_prefix for c in customers]
    if len(set(prefixes)) < len(prefixes):
        raise ValueError(f"customers need distinct ticket id prefixes, not {prefixes}")
    if window.end_local_us("UTC") <= _days(window.start) * DAY:
        raise ValueError(f"the window ends ({window.end}) before it starts ({window.start})")
    rngs = np.random.default_rng(seed).spawn(len(customers))
    return DemoYear(
        window, [_customer_year(c, window, r) for c, r in zip(customers, rngs, strict=True)]
    )


def generate_year(
    seed: int, year: int = 2025, customers: Sequence[DemoCustomer] = DEMO_CUSTOMERS
) -> tuple[pa.Table, pa.Table]:
    """(events, tickets) of one calendar year for `customers`; the same seed, the same."""
    found = generate(seed, Window(date(year, 1, 1), datetime(year + 1, 1, 1)), customers)
    return found.events, found.tickets


def _days(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def _since_midnight(moment: datetime) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * US + moment.microsecond


class _Story:
    """Event columns gathered slot by slot; a slot is one possible event of every ticket.

    Words (kinds, values, actors) travel as codes into one vocabulary and become Arrow
    strings only at the end: numpy's fixed-width strings are slow to sort and convert.
    """

    def __init__(self) -> None:
        self.words: dict[str, int] = {"": 0}
        self.columns: list[tuple[I64, I64, I64, I64, I64]] = []

    def add(self, has: BoolArr, ts: I64, kind: str, value: object = "", actor: object = "") -> None:
        """Event `kind` at `ts` for the tickets in `has`; value/actor: one or per ticket."""
        rows = np.flatnonzero(has).astype(np.int64)
        kinds, values, actors = (self._codes(x, rows) for x in (kind, value, actor))
        self.columns.append((rows, ts[rows], kinds, values, actors))

    def _codes(self, words: object, rows: I64) -> I64:
        if isinstance(words, str):
            return np.full(len(rows), self.words.setdefault(words, len(self.words)), np.int64)
        distinct, inverse = np.unique(np.asarray(words)[rows], return_inverse=True)
        known = [self.words.setdefault(str(w), len(self.words)) for w in distinct]
        return np.asarray(known, dtype=np.int64)[inverse]

    def table(self, ids: StrArr, zone: str, end: int) -> pa.Table:
        ticket, ts, kind, value, actor = (
            np.concatenate(c) for c in zip(*self.columns, strict=True)
        )
        slot = np.concatenate([np.full(len(c[0]), i) for i, c in enumerate(self.columns)])
        ts = ts - ts % US  # exports carry whole seconds
        order = np.lexsort((slot, ts, ticket))  # same ts: slot order (created before priority)
        order = order[ts[order] < end]  # an export taken at the window's end
        utc = local_to_utc(ts[order], zone)  # monotone: the order holds in UTC
        vocabulary = pa.array(list(self.words), pa.string())
        text = [_decode(codes[order], vocabulary) for codes in (kind, value, actor)]
        ticket_id = pa.array(ids).take(pa.array(ticket[order]))
        columns = [ticket_id, pa.array(utc, EVENT_SCHEMA.field("ts").type), *text]
        return pa.Table.from_arrays(columns, schema=EVENT_SCHEMA)


def _decode(codes: I64, vocabulary: pa.Array) -> pa.Array:
    """Codes as Arrow strings; code 0 (the empty word) as null."""
    indices = pa.array(codes, mask=codes == 0)
    return pa.DictionaryArray.from_arrays(indices, vocabulary).cast(pa.string())


def _customer_year(c: DemoCustomer, window: Window, rng: np.random.Generator) -> CustomerYear:
    end = window.end_local_us(c.timezone)
    first_day, last_day = _days(window.start), (end - 1) // DAY
    office = Office(first_day - 60, last_day + 400, c.country, c.hours)
    plan = stories.plan(c, window.start_local_us(), end, rng)
    n = int(rng.poisson(c.tickets * (last_day + 1 - first_day) / 365))
    priority = rng.choice(np.arange(1, 5), size=n, p=PRIORITY_MIX)
    created = _arrivals(office, first_day, last_day, priority, rng)
    tickets = _attributes(c, priority, rng)
    not_fixed = rng.random(n) < c.feel.not_fixed
    again = stories.follow_ups(c, created, priority, tickets, not_fixed, rng)
    live = stories.live_tickets(c, end, rng)
    created, priority, tickets, not_fixed = _joined(
        (created, priority, tickets, not_fixed),
        (plan.created, plan.priority, plan.attributes),
        live,
        again,
    )
    row = np.arange(len(created)) - n
    planted = (row >= 0) & (row < len(plan.created))
    held = (row >= len(plan.created)) & (row < len(plan.created) + len(live[0]))
    keep = np.flatnonzero(created < end)
    keep = keep[np.argsort(created[keep], kind="stable")]  # ticket numbers grow with time
    created, priority, not_fixed = created[keep], priority[keep], not_fixed[keep]
    tickets = {k: v[keep] for k, v in tickets.items()}
    story = _Story()
    clock = Clock(office, priority <= c.round_the_clock, rng)
    vendor = np.where(planted[keep], stories.VENDOR_SHARE, 0.05)
    hold = np.where(held[keep], end, NULL_TS)  # worked on, but not resolved before the end
    facts = _lifecycle(story, clock, c, created, priority, tickets, vendor, hold)
    for name in ("resolved_at", "final_at"):  # what happens after the end has not yet
        facts[name] = np.where(facts[name] < end, facts[name], NULL_TS)
    facts |= {"created": created, "priority": priority, "not_fixed": not_fixed}
    ids = np.char.mod(f"{c.id_prefix}-%06d", np.arange(1, len(created) + 1))
    tickets["ticket_id"] = ids
    tickets["customer"] = np.full(len(created), c.slug)
    table = pa.table({k: pa.array(tickets[k]) for k in TICKET_FIELDS})
    return CustomerYear(c, story.table(ids, c.timezone, end), table, facts, plan)


def _joined(
    base: tuple[I64, I64, dict[str, StrArr], BoolArr],
    *extra: tuple[I64, I64, dict[str, StrArr]],
) -> tuple[I64, I64, dict[str, StrArr], BoolArr]:
    """Base tickets followed by planted ones (not flagged as not fixed)."""
    created, priority, tickets, not_fixed = base
    for more_created, more_priority, more in extra:
        created = np.concatenate([created, more_created])
        priority = np.concatenate([priority, more_priority])
        tickets = {k: np.concatenate([v, more[k]]) for k, v in tickets.items()}
        not_fixed = np.concatenate([not_fixed, np.zeros(len(more_created), dtype=bool)])
    return created, priority, tickets, not_fixed


def _arrivals(
    office: Office, first_day: int, last_day: int, priority: I64, rng: np.random.Generator
) -> I64:
    """Local creation instants: office days and hours mostly; P1s (24x7) at any hour."""
    days = np.arange(first_day, last_day + 1)
    weight = np.where(office.is_open[days - office.first], 1.0, 0.1)
    month = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    weight *= np.where(month == 6, 0.6, 1.0)  # July: the Nordic summer holiday
    n = len(priority)
    day = rng.choice(days, size=n, p=weight / weight.sum())
    hour = rng.choice(24, size=n, p=HOURLY / HOURLY.sum())
    p1 = priority == 1
    day[p1] = rng.choice(days, size=int(p1.sum()))
    hour[p1] = rng.integers(0, 24, size=int(p1.sum()))
    return np.asarray(day * DAY + hour * HOUR + rng.integers(0, HOUR, size=n), dtype=np.int64)


def _attributes(c: DemoCustomer, priority: I64, rng: np.random.Generator) -> dict[str, StrArr]:
    n = len(priority)
    shares = np.array(list(c.services.values()))
    service = rng.choice(np.array(list(c.services)), size=n, p=shares / shares.sum())
    incident = rng.random(n) < np.array([1.0, 1.0, 0.7, 0.25])[priority - 1]
    subject = np.full(n, "", dtype="<U90")
    for name in c.services:
        incidents, requests = SUBJECTS[name]
        for texts, kind in ((incidents, incident), (requests, ~incident)):
            rows = (service == name) & kind
            subject[rows] = rng.choice(np.array(texts), size=int(rows.sum()))
    person = (c.people * rng.random(n) ** 2).astype(np.int64) + 1  # a few ask a lot
    specialist = np.full(n, c.desk, dtype="<U16")
    for name, team in SPECIALIST.items():
        specialist[service == name] = team
    first_team = np.where((priority == 1) | (rng.random(n) < 0.25), specialist, c.desk)
    return {
        "service": service,
        "type": np.where(incident, "incident", "request"),
        "requester": np.char.mod(f"{c.slug}-u%04d", person),
        "subject": subject,
        "team": first_team,
        "specialist": specialist,
    }


def _lifecycle(
    story: _Story,
    clock: Clock,
    c: DemoCustomer,
    created: I64,
    priority: I64,
    tickets: dict[str, StrArr],
    vendor_odds: npt.NDArray[np.float64],
    hold: I64,
) -> dict[str, np.ndarray]:
    """Every ticket's events; returns what the survey answers need to know of each."""
    first, active = _opening(story, clock, c, created, priority, tickets)
    ready, waited, vendor = _waits(story, clock, first, active, vendor_odds)
    handed = active & (tickets["team"] != tickets["specialist"]) & clock.share(0.15)
    kept = ~handed & (tickets["team"] == c.desk)  # the first line resolves it
    median = (RESOLUTION[priority - 1] * c.speed * np.where(kept, c.desk_speed, 1.0)).astype(
        np.int64
    )
    resolve_at = clock.after(ready, median, 0.65)
    resolve_at = stories.lowered_near_deadline(
        story, clock, created, first, resolve_at, active & (priority == 2) & clock.share(0.005)
    )
    desk = active & ~waited & kept
    hidden = stories.hide_breaches(
        story, clock, created, priority, c.target_us, resolve_at, desk & clock.share(c.gaming)
    )
    resolve_at = np.maximum(hidden.resolve_at, hold + HOUR)
    _work_notes(story, clock, first, resolve_at, active, handed, tickets)
    cancelled = active & ~hidden.gamed & (hold == NULL_TS) & clock.share(0.014)
    story.add(cancelled, resolve_at, "status", "cancelled", "agent")
    solved = active & ~cancelled
    final = _resolve(story, clock, solved, resolve_at)
    reopened = hidden.reopened.copy()
    again = solved
    for share, part in ((c.reopen, 2), (0.25, 3)):
        again = again & clock.share(share)  # a second reopen only after a first
        back = final + np.minimum(clock.lognormal(20 * HOUR, 1.0), 4 * DAY)  # before close
        reopen = back + clock.uniform(MINUTE, 30 * MINUTE)
        story.add(again, back, "reply", actor="customer")
        story.add(again, reopen, "status", "open", "agent")
        done = _resolve(story, clock, again, clock.after(reopen, median // part, 1.0))
        final = np.where(again, done, final)
        reopened |= again
    closed = solved & clock.share(0.85)
    story.add(closed, final + 5 * DAY, "status", "closed", "system")  # auto-close
    due = clock.deadline(ready, c.target_us(priority))  # the customer's own waits left out
    first_resolve = np.where(hidden.early, hidden.first_resolve, resolve_at)
    return {
        "resolved_at": np.where(solved, first_resolve, NULL_TS),
        "final_at": np.where(solved, final, NULL_TS),
        "reopened": reopened,
        "slow": solved & (final > due),
        "vendor": vendor,
        "gamed": hidden.gamed,
        "team": tickets["team"],
    }


def _opening(
    story: _Story,
    clock: Clock,
    c: DemoCustomer,
    t0: I64,
    priority: I64,
    tickets: dict[str, StrArr],
) -> tuple[I64, BoolArr]:
    """Creation, routing, the bot's acknowledgement and the first agent reply."""
    every = np.ones(len(t0), dtype=bool)
    by_bot = (priority == 1) & clock.share(0.4)  # P1s raised by monitoring
    story.add(every, t0, "created", actor=np.where(by_bot, "system", "customer"))
    story.add(every, t0, "priority", np.char.add("P", priority.astype(np.str_)))
    category = np.char.add(np.char.add(tickets["type"], "/"), np.char.lower(tickets["service"]))
    story.add(clock.share(0.1), t0, "category", category)
    story.add(every, t0 + clock.uniform(0, 2 * MINUTE), "assign", tickets["team"])
    story.add(clock.share(c.auto_ack), t0 + clock.uniform(2 * US, 40 * US), "reply", actor="system")
    withdrawn = clock.share(0.006)  # the customer cancels before anyone answers
    story.add(withdrawn, t0 + clock.lognormal(40 * MINUTE, 1.0), "status", "cancelled", "customer")
    active = ~withdrawn
    median = (FIRST_RESPONSE[priority - 1] * c.answer).astype(np.int64)
    first = np.maximum(clock.after(t0, median, 0.6, 5 * clock.office.span), t0 + 3 * MINUTE)
    story.add(active & clock.share(0.4), first, "status", "open", "agent")
    story.add(active, first, "reply", actor="agent")
    raised = active & (priority >= 3) & clock.share(0.03)
    story.add(raised, first + clock.uniform(5 * MINUTE, HOUR), "priority", "P2")
    return first, active


def _waits(
    story: _Story, clock: Clock, t: I64, active: BoolArr, vendor_odds: npt.NDArray[np.float64]
) -> tuple[I64, BoolArr, BoolArr]:
    """Waiting for the customer (once or twice, each after an agent's question) and for a
    vendor; when work can go on, who waited for the customer, who for a vendor."""
    waiting, waited = active, np.zeros(len(t), dtype=bool)
    for share in (0.28, 0.3):  # a second wait only after a first
        waiting = waiting & clock.share(share)
        waited |= waiting
        asked = clock.after(t, 40 * MINUTE, 1.0)
        answered = asked + np.minimum(clock.lognormal(18 * HOUR, 1.1), 20 * DAY)
        reopened = answered + clock.uniform(2 * MINUTE, 45 * MINUTE)
        story.add(waiting, asked, "reply", actor="agent")  # the question
        story.add(waiting, asked, "status", "pending_customer", "agent")
        story.add(waiting, answered, "reply", actor="customer")
        story.add(waiting, reopened, "status", "open", "agent")
        t = np.where(waiting, reopened, t)
    vendor = active & (clock.rng.random(len(t)) < vendor_odds)
    escalated = clock.after(t, 2 * HOUR, 1.0)
    back = escalated + np.minimum(clock.lognormal(36 * HOUR, 1.0), 30 * DAY)
    story.add(vendor, escalated, "status", "pending_vendor", "agent")
    story.add(vendor, back, "status", "open", "agent")
    return np.where(vendor, back, t), waited | vendor, vendor


def _work_notes(
    story: _Story,
    clock: Clock,
    first: I64,
    done: I64,
    active: BoolArr,
    handed: BoolArr,
    tickets: dict[str, StrArr],
) -> None:
    """Internal notes, and hand-overs from the first line to the specialist team."""
    span = (done - first).astype(np.float64)
    story.add(
        active & clock.share(0.2),
        first + (clock.rng.random(len(span)) * span).astype(np.int64),
        "note",
        actor="agent",
    )
    at = first + (clock.rng.random(len(span)) * span / 2).astype(np.int64)
    story.add(handed, at, "assign", tickets["specialist"])
    tickets["team"] = np.where(handed, tickets["specialist"], tickets["team"])


def _resolve(story: _Story, clock: Clock, solved: BoolArr, at: I64) -> I64:
    story.add(solved & clock.share(0.4), at, "reply", actor="agent")  # the solution, as a reply
    story.add(solved, at, "status", "resolved", "agent")
    return at
