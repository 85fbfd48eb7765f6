"""A synthetic year of an MSP's ticket histories, for demos, benchmarks and tests.

Everything is made up: customers, requesters and subjects. The shapes are not: arrivals
peak on weekday mornings, P1s come at any hour, agents answer after log-normal delays
counted in office hours (Mon-Fri 08-16, public holidays closed), tickets wait for
customers and vendors, get reopened, cancelled, reprioritised (a few lowered just before
their deadline) and reassigned. Each ticket's story is a fixed list of *slots* (possible
events), every slot one numpy column over all tickets with a mask of who has it, so a
year of ~20k tickets takes a fraction of a second. Times are drawn as local wall time and
turned into UTC at the end (`zones.local_to_utc`), so DST is exact; events after the
year's end are cut, as in an export taken at New Year: late tickets stay open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import holidays
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from mittari.engine.types import I64, US, BoolArr
from mittari.importers.canonical.zones import local_to_utc

StrArr = npt.NDArray[np.str_]

MINUTE, HOUR, DAY = 60 * US, 3600 * US, 86_400 * US
OPEN, SPAN = 8 * HOUR, 8 * HOUR  # office hours 08:00-16:00 local
TEAMS = ("Service Desk", "Network", "Workplace")
PRIORITY_MIX = (0.03, 0.15, 0.50, 0.32)  # P1..P4
ASSUMED_P2_RESOLUTION = 8 * HOUR  # business time; "near the deadline" is measured on it
# Medians of log-normal delays per priority P1..P4: business µs, except P1 (wall, 24x7).
FIRST_RESPONSE = np.array([6 * MINUTE, 15 * MINUTE, 50 * MINUTE, 2 * HOUR])
RESOLUTION = np.array([90 * MINUTE, 3 * HOUR, 7 * HOUR, 12 * HOUR])
# Arrivals per local hour of day (relative): a morning peak, lunch, a quiet night.
HOURLY = np.array(
    [.05, .04, .04, .04, .05, .08, .2, .5, 1.0, 1.4, 1.3, 1.0,
     .7, 1.1, 1.0, .8, .45, .25, .15, .1, .08, .07, .06, .05]
)  # fmt: skip
# service -> (incident subjects, request subjects); made up, in Finnish and English
SUBJECTS = {
    "Email": (("Outlook ei synkronoi puhelimeen", "Cannot send mail to external addresses",
               "Jaettu postilaatikko ei aukea", "Mailbox full"),
              ("Uusi jakelulista", "Access to a shared mailbox")),
    "VPN": (("VPN-yhteys katkeilee", "VPN client fails after update", "Etäyhteys ei toimi"),
            ("VPN access for a contractor",)),
    "ERP": (("ERP-raportti ei aukea", "Invoice run stuck", "Tilausnäkymä on hidas"),
            ("Käyttöoikeus ostoreskontraan", "New cost centre in ERP")),
    "WMS": (("Keräilylista ei tulostu", "Scanner cannot reach WMS", "Saldo näyttää väärin"),
            ("New warehouse user",)),
    "Laptops": (("Kannettavan akku ei lataudu", "Laptop does not boot", "Näyttö välkkyy"),
                ("Uusi kannettava uudelle työntekijälle", "New laptop for a new employee")),
    "Printing": (("Tulostin jumittaa", "Printer offline on 2nd floor"), ("Uusi tulostusjono",)),
    "Mobile": (("Puhelin ei saa sähköpostia", "MFA app lost"), ("Uusi työpuhelin",)),
}  # fmt: skip
SPECIALIST = {"VPN": "Network", "Email": "Workplace", "Laptops": "Workplace",
              "Printing": "Workplace", "Mobile": "Workplace"}  # fmt: skip


@dataclass(frozen=True)
class DemoCustomer:
    slug: str  # the `customer` column
    name: str
    timezone: str
    country: str  # public holidays close the office (holidays package)
    tickets: int  # mean tickets per year
    services: dict[str, float] = field(compare=False)  # service -> share of tickets
    auto_ack: float = 0.1  # share of tickets a bot acknowledges right after creation
    people: int = 600  # requesters
    prefix: str = ""  # of ticket ids; default: the slug's first three letters
    round_the_clock: bool = False  # staffed 24x7: every delay runs in wall time, not office time

    @property
    def id_prefix(self) -> str:
        return self.prefix or self.slug[:3].upper()


DEMO_CUSTOMERS = (
    DemoCustomer(
        slug="kalliokone",
        name="Kalliokone Oy",
        timezone="Europe/Helsinki",
        country="FI",
        tickets=8000,
        services={"Email": 0.25, "VPN": 0.15, "ERP": 0.2, "Laptops": 0.25, "Printing": 0.15},
        auto_ack=0.8,
        people=900,
    ),
    DemoCustomer(
        slug="revontuli",
        name="Revontuli Logistiikka Oy",
        timezone="Europe/Helsinki",
        country="FI",
        tickets=6500,
        services={"Email": 0.3, "VPN": 0.1, "WMS": 0.3, "Laptops": 0.2, "Mobile": 0.1},
        auto_ack=0.1,
        people=700,
        round_the_clock=True,
    ),
    DemoCustomer(
        slug="saaristo",
        name="Saaristo Frakt AB",
        timezone="Europe/Stockholm",
        country="SE",
        tickets=5000,
        services={"Email": 0.3, "VPN": 0.2, "ERP": 0.25, "Laptops": 0.25},
        auto_ack=0.3,
        people=450,
    ),
)
EVENT_SCHEMA = pa.schema(
    [("ticket_id", pa.string()), ("ts", pa.timestamp("us", tz="UTC")), ("kind", pa.string()),
     ("value", pa.string()), ("actor", pa.string())]
)  # fmt: skip
TICKET_FIELDS = ("ticket_id", "customer", "service", "type", "requester", "subject", "team")


def generate_year(
    seed: int, year: int = 2025, customers: Sequence[DemoCustomer] = DEMO_CUSTOMERS
) -> tuple[pa.Table, pa.Table]:
    """(events, tickets) of one year for `customers`; the same seed gives the same tables."""
    prefixes = [c.id_prefix for c in customers]
    if len(set(prefixes)) < len(prefixes):
        raise ValueError(f"customers need distinct ticket id prefixes, not {prefixes}")
    rngs = np.random.default_rng(seed).spawn(len(customers))
    parts = [_customer_year(c, year, rng) for c, rng in zip(customers, rngs, strict=True)]
    return pa.concat_tables([p[0] for p in parts]), pa.concat_tables([p[1] for p in parts])


class _Office:
    """Office-hours arithmetic on local wall-clock µs: business time as one running count."""

    def __init__(self, year: int, country: str) -> None:
        first, last = date(year - 1, 12, 1), date(year + 2, 1, 1)
        self.first = (first - date(1970, 1, 1)).days
        days = np.arange(self.first, (last - date(1970, 1, 1)).days)
        closed = holidays.country_holidays(country, years=range(year - 1, year + 2))
        off = np.array([(d - date(1970, 1, 1)).days for d in closed], dtype=np.int64)
        self.is_open = ((days + 3) % 7 < 5) & ~np.isin(days, off)  # 1970-01-01: a Thursday
        self.open_days = days[self.is_open]
        self.before = np.concatenate([[0], np.cumsum(self.is_open)])  # open days before

    def add(self, t: I64, delay: I64) -> I64:
        """The local instant `delay` of office time after `t` (from the next opening)."""
        day = np.clip(t // DAY - self.first, 0, len(self.is_open) - 1)
        inside = np.where(self.is_open[day], np.clip(t % DAY - OPEN, 0, SPAN), 0)
        count = self.before[day] * SPAN + inside + delay
        k = np.minimum(count // SPAN, len(self.open_days) - 1)
        return np.asarray(self.open_days[k] * DAY + OPEN + count % SPAN, dtype=np.int64)


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

    def table(self, ids: StrArr, zone: str, year_end: int) -> pa.Table:
        ticket, ts, kind, value, actor = (
            np.concatenate(c) for c in zip(*self.columns, strict=True)
        )
        slot = np.concatenate([np.full(len(c[0]), i) for i, c in enumerate(self.columns)])
        ts = ts - ts % US  # exports carry whole seconds
        order = np.lexsort((slot, ts, ticket))  # same ts: slot order (created before priority)
        order = order[ts[order] < year_end]  # an export taken at New Year
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


def _customer_year(
    c: DemoCustomer, year: int, rng: np.random.Generator
) -> tuple[pa.Table, pa.Table]:
    office = _Office(year, c.country)
    n = int(rng.poisson(c.tickets))
    priority = rng.choice(np.arange(1, 5), size=n, p=PRIORITY_MIX)
    created = _arrivals(office, year, priority, rng)
    by_time = np.argsort(created, kind="stable")  # ticket numbers grow with time
    created, priority = created[by_time], priority[by_time]
    tickets = _attributes(c, priority, rng)
    story = _Story()
    wall = (priority == 1) | c.round_the_clock  # P1s are worked round the clock everywhere
    _lifecycle(story, office, created, priority, tickets, rng, c.auto_ack, wall)
    ids = np.char.mod(f"{c.id_prefix}-%06d", np.arange(1, n + 1))
    year_end = (date(year + 1, 1, 1) - date(1970, 1, 1)).days * DAY
    events = story.table(ids, c.timezone, year_end)
    tickets["ticket_id"] = ids
    tickets["customer"] = np.full(n, c.slug)
    return events, pa.table({k: pa.array(tickets[k]) for k in TICKET_FIELDS})


def _arrivals(office: _Office, year: int, priority: I64, rng: np.random.Generator) -> I64:
    """Local creation instants: office days and hours mostly; P1s (24x7) at any hour."""
    start = (date(year, 1, 1) - date(1970, 1, 1)).days
    days = np.arange(start, (date(year + 1, 1, 1) - date(1970, 1, 1)).days)
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
    subject = np.full(n, "", dtype="<U80")
    for name, (incidents, requests) in SUBJECTS.items():
        for texts, kind in ((incidents, incident), (requests, ~incident)):
            rows = (service == name) & kind
            subject[rows] = rng.choice(np.array(texts), size=int(rows.sum()))
    person = (c.people * rng.random(n) ** 2).astype(np.int64) + 1  # a few ask a lot
    specialist = np.full(n, TEAMS[0], dtype="<U16")
    for name, team in SPECIALIST.items():
        specialist[service == name] = team
    first_team = np.where((priority == 1) | (rng.random(n) < 0.25), specialist, TEAMS[0])
    return {
        "service": service,
        "type": np.where(incident, "incident", "request"),
        "requester": np.char.mod(f"{c.slug}-u%04d", person),
        "subject": subject,
        "team": first_team,
        "specialist": specialist,
    }


class _Clock:
    """Delays from one ticket's moment: log-normal, in office time (wall time for P1s)."""

    def __init__(self, office: _Office, wall: BoolArr, rng: np.random.Generator) -> None:
        self.office, self.wall, self.rng = office, wall, rng

    def after(self, t: I64, median: I64 | int, sigma: float, cap: int = 40 * SPAN) -> I64:
        delay = np.minimum(self.lognormal(median, sigma), cap)
        return np.where(self.wall, t + delay, self.office.add(t, delay))

    def lognormal(self, median: I64 | int, sigma: float) -> I64:
        n = len(self.wall)
        return (np.exp(self.rng.normal(0.0, sigma, n)) * median).astype(np.int64)

    def uniform(self, low: int, high: int) -> I64:
        return self.rng.integers(low, high, size=len(self.wall))

    def share(self, p: float) -> BoolArr:
        return self.rng.random(len(self.wall)) < p


def _lifecycle(
    story: _Story,
    office: _Office,
    created: I64,
    priority: I64,
    tickets: dict[str, StrArr],
    rng: np.random.Generator,
    auto_ack: float,
    wall: BoolArr,
) -> None:
    clock = _Clock(office, wall, rng)
    first, active = _opening(story, clock, created, priority, tickets, auto_ack)
    ready = _waits(story, clock, first, active)
    resolve_at = clock.after(ready, RESOLUTION[priority - 1], 0.65)
    resolve_at = _lowered_near_deadline(
        story, clock, created, first, resolve_at, active & (priority == 2)
    )
    _work_notes(story, clock, first, resolve_at, active, tickets)
    cancelled = active & clock.share(0.014)
    story.add(cancelled, resolve_at, "status", "cancelled", "agent")
    solved = active & ~cancelled
    final = _resolve(story, clock, solved, resolve_at)
    for share, half in (
        (0.055, RESOLUTION[priority - 1] // 2),
        (0.25, RESOLUTION[priority - 1] // 3),
    ):
        solved = solved & clock.share(share)  # a second reopen only after a first
        back = final + np.minimum(clock.lognormal(20 * HOUR, 1.0), 4 * DAY)  # before close
        reopen = back + clock.uniform(MINUTE, 30 * MINUTE)
        story.add(solved, back, "reply", actor="customer")
        story.add(solved, reopen, "status", "open", "agent")
        final = np.where(
            solved, _resolve(story, clock, solved, clock.after(reopen, half, 1.0)), final
        )
    closed = active & ~cancelled & clock.share(0.85)
    story.add(closed, final + 5 * DAY, "status", "closed", "system")  # auto-close


def _opening(
    story: _Story,
    clock: _Clock,
    t0: I64,
    priority: I64,
    tickets: dict[str, StrArr],
    auto_ack: float,
) -> tuple[I64, BoolArr]:
    """Creation, routing, the bot's acknowledgement and the first agent reply."""
    every = np.ones(len(t0), dtype=bool)
    by_bot = clock.wall & clock.share(0.4)  # P1s raised by monitoring
    story.add(every, t0, "created", actor=np.where(by_bot, "system", "customer"))
    story.add(every, t0, "priority", np.char.add("P", priority.astype(np.str_)))
    category = np.char.add(np.char.add(tickets["type"], "/"), np.char.lower(tickets["service"]))
    story.add(clock.share(0.1), t0, "category", category)
    story.add(every, t0 + clock.uniform(0, 2 * MINUTE), "assign", tickets["team"])
    story.add(clock.share(auto_ack), t0 + clock.uniform(2 * US, 40 * US), "reply", actor="system")
    withdrawn = clock.share(0.006)  # the customer cancels before anyone answers
    story.add(withdrawn, t0 + clock.lognormal(40 * MINUTE, 1.0), "status", "cancelled", "customer")
    active = ~withdrawn
    first = np.maximum(
        clock.after(t0, FIRST_RESPONSE[priority - 1], 0.6, 5 * SPAN), t0 + 3 * MINUTE
    )
    story.add(active & clock.share(0.4), first, "status", "open", "agent")
    story.add(active, first, "reply", actor="agent")
    raised = active & (priority >= 3) & clock.share(0.03)
    story.add(raised, first + clock.uniform(5 * MINUTE, HOUR), "priority", "P2")
    return first, active


def _waits(story: _Story, clock: _Clock, t: I64, active: BoolArr) -> I64:
    """Waiting for the customer (once or twice) and for a vendor; when work can go on."""
    waiting = active
    for share in (0.28, 0.3):  # a second wait only after a first
        waiting = waiting & clock.share(share)
        asked = clock.after(t, 40 * MINUTE, 1.0)
        answered = asked + np.minimum(clock.lognormal(18 * HOUR, 1.1), 20 * DAY)
        reopened = answered + clock.uniform(2 * MINUTE, 45 * MINUTE)
        story.add(waiting, asked, "status", "pending_customer", "agent")
        story.add(waiting, answered, "reply", actor="customer")
        story.add(waiting, reopened, "status", "open", "agent")
        t = np.where(waiting, reopened, t)
    vendor = active & clock.share(0.05)
    escalated = clock.after(t, 2 * HOUR, 1.0)
    back = escalated + np.minimum(clock.lognormal(36 * HOUR, 1.0), 30 * DAY)
    story.add(vendor, escalated, "status", "pending_vendor", "agent")
    story.add(vendor, back, "status", "open", "agent")
    return np.where(vendor, back, t)


def _lowered_near_deadline(
    story: _Story, clock: _Clock, t0: I64, first: I64, resolve_at: I64, p2: BoolArr
) -> I64:
    """A few P2s are lowered to P3 just before their resolution target: gaming to find.

    The moment is 80-97 % of an assumed 8 h target in office time from creation (pauses
    would push the real deadline later; the integrity flags measure it exactly).
    """
    lowered = p2 & clock.share(0.08)
    nearly = (clock.rng.uniform(0.8, 0.97, len(t0)) * ASSUMED_P2_RESOLUTION).astype(np.int64)
    at = np.maximum(clock.office.add(t0, nearly), first + MINUTE)
    story.add(lowered, at, "priority", "P3")
    late = np.maximum(resolve_at, at + clock.lognormal(6 * HOUR, 0.8))
    return np.where(lowered, late, resolve_at)


def _work_notes(
    story: _Story,
    clock: _Clock,
    first: I64,
    done: I64,
    active: BoolArr,
    tickets: dict[str, StrArr],
) -> None:
    """Internal notes, and hand-overs from the service desk to the specialist team."""
    span = (done - first).astype(np.float64)
    story.add(
        active & clock.share(0.2),
        first + (clock.rng.random(len(span)) * span).astype(np.int64),
        "note",
        actor="agent",
    )
    handed = active & (tickets["team"] != tickets["specialist"]) & clock.share(0.15)
    at = first + (clock.rng.random(len(span)) * span / 2).astype(np.int64)
    story.add(handed, at, "assign", tickets["specialist"])
    tickets["team"] = np.where(handed, tickets["specialist"], tickets["team"])


def _resolve(story: _Story, clock: _Clock, solved: BoolArr, at: I64) -> I64:
    story.add(solved & clock.share(0.4), at, "reply", actor="agent")  # the solution, as a reply
    story.add(solved, at, "status", "resolved", "agent")
    return at
