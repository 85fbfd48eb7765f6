"""The tickets behind every number (`ticket_list`: filters that reproduce a figure), and one
ticket's timeline: every event, each clock's segments against its due instant, and the
integrity flags of the ticket with the events that raised them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy import Connection

from mittari.db.models import Event, Ticket
from mittari.db.scope import Scoped
from mittari.engine.types import ACTOR_NAMES, KIND_NAMES
from mittari.services import live
from mittari.services.integrity_tables import describe_event
from mittari.services.stored import log_from_rows
from mittari.services.stored_reports import integrity_report
from mittari.services.timeline import Segment, ticket_clocks
from mittari.web import ticket_list
from mittari.web.deps import PageNotFound, Viewer
from mittari.web.i18n import Translator
from mittari.web.page_tools import bad_request, customer_zone, now_us, ticket_link, tickets_link
from mittari.web.render import render
from mittari.web.ticket_list import listing, parse_filters
from mittari.web.timeline_svg import Lane, band

router = APIRouter(include_in_schema=False)
KINDS = {int(code): name for name, code in KIND_NAMES.items()}
ACTORS = {int(code): name for name, code in ACTOR_NAMES.items()}
US = 1_000_000


@router.get("/ui/{customer}/tickets", response_class=HTMLResponse)
def tickets_page(customer: str, page: Viewer) -> HTMLResponse:
    found = page.customer(customer)
    params = page.request.query_params
    filters, problems = parse_filters(params)
    number = (params.get("page") or "1").strip()
    if not number.isdigit() or not 1 <= int(number) <= 1_000_000:
        problems.append(("page", number[:20], "a page number from 1"))
    if problems:
        return bad_request(page, found, "tickets", problems)
    result = listing(page.scope, found.id, found.key, filters, int(number), now_us())
    size = ticket_list.PAGE_SIZE
    pages = max(1, -(-result.total // size))
    return render(
        page.request,
        "tickets.html",
        who=page.who,
        nav_customers=page.customers(),
        customer=found,
        section="tickets",
        filters=filters,
        result=result,
        page_no=int(number),
        pages=pages,
        page_size=size,
        link=tickets_link,
        ticket_link=ticket_link,
    )


@dataclass(frozen=True)
class Evidence:
    text: str  # as the integrity report writes it: `T1 2026-03-02T17:30:00Z status:resolved`
    event: Event | None  # the event on this page (None: another ticket's)
    words: str  # the part after the ticket and the instant
    ticket: str  # the ticket it is an event of


@dataclass
class FlagHit:
    flag: str
    rule: str
    at_us: int
    evidence: list[Evidence]


@dataclass
class EventRow:
    event: Event
    kind: str
    actor: str | None
    flags: list[str] = field(default_factory=list)


@dataclass
class Clock:
    row: dict[str, Any]  # metric, cycle, priority, state, target_s, elapsed_s, … (µs instants)
    lane: Lane

    @property
    def used_pct(self) -> float | None:
        target = self.row["target_s"]
        return 100.0 * self.row["elapsed_s"] / target if target else None


@router.get("/ui/{customer}/tickets/{ticket}", response_class=HTMLResponse)
def ticket_page(customer: str, ticket: str, page: Viewer) -> HTMLResponse:
    found = page.customer(customer)
    item = page.scope.ticket(found.id, ticket)
    if item is None:
        raise PageNotFound()
    now = now_us()
    conn = page.scope.conn
    events = page.scope.events(item)
    table, segments = ticket_clocks(conn, found.id, item.id, now)
    zone = _zone(conn, found.id, table)
    clocks = _clocks(table, segments)
    words = _words(conn, item, events)
    hits = _hits(page.scope, found.id, item, events, words, now)
    svg = _band(clocks, events, words, zone, page.t, now)
    return render(
        page.request,
        "ticket.html",
        who=page.who,
        nav_customers=page.customers(),
        customer=found,
        section="tickets",
        ticket=item,
        events=_event_rows(events, hits),
        clocks=clocks,
        hits=hits,
        svg=svg,
        zone=zone,
        now_us=now,
        link=tickets_link,
        ticket_link=ticket_link,
    )


def _event_rows(events: list[Event], hits: list[FlagHit]) -> list[EventRow]:
    """Each event in words, with the flags whose evidence it is."""
    rows = [
        EventRow(
            e, KINDS.get(e.kind, str(e.kind)), None if e.actor is None else ACTORS.get(e.actor)
        )
        for e in events
    ]
    by_id = {r.event.id: r for r in rows}
    for hit in hits:
        for proof in hit.evidence:
            row = by_id.get(proof.event.id) if proof.event is not None else None
            if row is not None and hit.flag not in row.flags:
                row.flags.append(hit.flag)
    return rows


def _band(
    clocks: list[Clock],
    events: list[Event],
    words: dict[int, str],
    zone: str,
    t: Translator,
    now: int,
) -> Markup | None:
    """The clock band from the first mark to the last (now, while a clock is open)."""
    if not clocks:
        return None
    instants = [e.ts_us for e in events] + [
        x for c in clocks for x in (c.lane.start_us, c.lane.stop_us, c.lane.due_us) if x
    ]
    instants += [now for c in clocks if c.lane.stop_us is None]
    lo, hi = min(instants), max(instants)
    hi += max((hi - lo) // 40, 60 * US)  # a little room after the last mark
    marks = [(e.ts_us, words.get(e.id, "")) for e in events]
    return band([c.lane for c in clocks], lo, hi, zone, t, marks=marks)


def _zone(conn: Connection, customer: int, table: pa.Table | None) -> str:
    """The zone of the version that measures the ticket (else the customer's)."""
    contracts = live.contracts_of(conn, customer)
    if contracts is not None and table is not None and table.num_rows:
        version = table.column("contract_version")[0].as_py()
        for policy in contracts.policies:
            if policy.version == version:
                return policy.timezone
    return customer_zone(conn, customer)


def _us(value: Any) -> int | None:
    return None if value is None else int(value.timestamp() * US)


def _clocks(table: pa.Table | None, segments: list[Segment]) -> list[Clock]:
    """Each clock cycle measured now, with its lane of segments."""
    if table is None:
        return []
    out = []
    for row in table.to_pylist():
        for name in ("start_at", "stop_at", "due_at", "breached_at"):
            row[name] = _us(row[name])
        mine = [
            (s.start_us, s.end_us, s.kind)
            for s in segments
            if s.metric == row["metric"] and s.cycle == row["cycle"]
        ]
        label = row["metric"] + (f" #{row['cycle'] + 1}" if row["cycle"] else "")
        lane = Lane(label, mine, row["start_at"], row["stop_at"], row["due_at"], row["state"])
        out.append(Clock(row, lane))
    return sorted(out, key=lambda c: (c.row["metric"], c.row["cycle"]))


def _words(conn: Connection, ticket: Ticket, events: list[Event]) -> dict[int, str]:
    """Each event in the words of the integrity evidence, without the ticket's id
    (`integrity_tables.describe_event`): the log of one ticket orders its events by
    (instant, store id), as `scope.events` does, so its i-th event is theirs."""
    log = log_from_rows(live.ticket_events(conn, [ticket.id]))
    if len(log) != len(events):
        return {}
    return {e.id: describe_event(log, i).split(" ", 1)[1] for i, e in enumerate(events)}


def _hits(
    scope: Scoped, owner: int, ticket: Ticket, events: list[Event], words: dict[int, str], now: int
) -> list[FlagHit]:
    """The integrity hits of this ticket, each evidence event tied to its row here."""
    flags = integrity_report(scope, owner, now).flags
    if flags.num_rows == 0:
        return []
    names = {ticket.external_id, f"{ticket.source}:{ticket.external_id}"}
    wanted = pa.array(sorted(names), pa.string())
    mine = flags.filter(pc.is_in(flags.column("ticket_id"), value_set=wanted))
    by_words = {words[e.id]: e for e in events if e.id in words}
    out = []
    for row in mine.to_pylist():
        evidence = []
        for item in row["evidence"].split("; "):
            name, _, text = item.partition(" ")
            event = by_words.get(text) if name in names else None
            evidence.append(Evidence(item, event, text.partition(" ")[2], name))
        out.append(FlagHit(row["flag"], row["rule"], _us(row["at"]) or 0, evidence))
    return out
