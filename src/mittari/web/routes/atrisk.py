"""At risk: the open clocks soonest due first, of one customer or of every customer the
principal sees, with filters, and a live countdown (`static/live.js`) fed by the at-risk
stream (`/api/v1/at-risk/stream`, Server-Sent Events; the session cookie authenticates it).

Without JavaScript the page shows each clock's due instant and level as of the request.
The countdown runs to the due instant, which already accounts for the calendar: remaining
*business* time is not wall time while the calendar is closed. Paused clocks do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection

from mittari.db.models import Customer
from mittari.engine.types import Kind
from mittari.services import live
from mittari.services.at_risk import AtRisk, Levels, feed
from mittari.web.deps import Page, Viewer
from mittari.web.page_tools import customer_zone, now_us, ticket_link
from mittari.web.render import render

router = APIRouter(include_in_schema=False)
LIMIT = 500  # the soonest due; the stream follows the same ones
PRIORITIES = tuple(f"P{i}" for i in range(1, 6))


@dataclass(frozen=True)
class Row:
    clock: AtRisk
    team: str | None
    zone: str
    due_us: int

    @property
    def key(self) -> str:
        """The stream's id of this clock (`customer/ticket/metric/cycle`)."""
        c = self.clock
        return f"{c.customer}/{c.ticket}/{c.metric}/{c.cycle}"

    @property
    def remaining_us(self) -> int:
        return self.due_us - now_us()

    @property
    def left_us(self) -> int:
        """Business time still to go of a paused clock."""
        return round((self.clock.target_s - self.clock.elapsed_s) * 1_000_000)


@router.get("/ui/at-risk", response_class=HTMLResponse, response_model=None)
def all_at_risk(
    page: Viewer,
    customer: str | None = None,
    team: str | None = None,
    priority: str | None = None,
    metric: str | None = None,
) -> HTMLResponse | RedirectResponse:
    customers = page.customers()
    if not page.who.sees_all and len(customers) == 1:  # a viewer: its own customer's page
        query = urlencode({k: v for k, v in page.request.query_params.items() if k != "customer"})
        target = f"/ui/{customers[0].key}/at-risk" + (f"?{query}" if query else "")
        return RedirectResponse(target, status_code=303)
    chosen = page.customer(customer) if customer else None
    shown = [chosen] if chosen is not None else customers
    return _page(page, None, shown, chosen, team, priority, metric)


@router.get("/ui/{customer}/at-risk", response_class=HTMLResponse)
def customer_at_risk(
    customer: str,
    page: Viewer,
    team: str | None = None,
    priority: str | None = None,
    metric: str | None = None,
) -> HTMLResponse:
    found = page.customer(customer)
    return _page(page, found, [found], found, team, priority, metric)


def _page(
    page: Page,
    customer: Customer | None,
    shown: list[Customer],
    chosen: Customer | None,
    team: str | None,
    priority: str | None,
    metric: str | None,
) -> HTMLResponse:
    rows = clock_rows(page, shown, chosen is not None)
    options = {
        "team": sorted({r.team for r in rows if r.team}),
        "priority": sorted({r.clock.priority for r in rows} | set(PRIORITIES)),
        "metric": sorted({r.clock.metric for r in rows}),
    }
    wanted = {"team": team or None, "priority": priority or None, "metric": metric or None}
    kept = [
        r
        for r in rows
        if (wanted["team"] is None or r.team == wanted["team"])
        and (wanted["priority"] is None or r.clock.priority == wanted["priority"])
        and (wanted["metric"] is None or r.clock.metric == wanted["metric"])
    ]
    stream = {"limit": str(LIMIT)} | ({"customer": chosen.key} if chosen else {})
    return render(
        page.request,
        "atrisk.html",
        who=page.who,
        nav_customers=page.customers(),
        customer=customer,
        section="at-risk",
        rows=kept,
        total=len(rows),
        options=options,
        wanted=wanted,
        chosen=chosen,
        all_customers=customer is None,
        stream=f"/api/v1/at-risk/stream?{urlencode(stream)}",
        limit=LIMIT,
        ticket_link=ticket_link,
    )


def clock_rows(page: Page, customers: list[Customer], one: bool) -> list[Row]:
    """The open clocks of `customers` (all the principal sees unless `one`), each with the
    team holding its ticket and its customer's zone."""
    settings = page.request.app.state.settings
    levels = Levels(settings.warning_pct, settings.critical_pct)
    ids = [c.id for c in customers] if one else None
    conn = page.scope.conn
    found = feed(conn, page.scope, ids, now_us(), LIMIT, levels)
    opened = page.scope.open_clocks(ids, LIMIT)
    tickets = {(key, name): clock.ticket_id for clock, name, key in opened}
    teams = _teams(conn, sorted(set(tickets.values())))
    zones = {c.key: customer_zone(conn, c.id) for c in customers}
    out = []
    for clock in found:
        pk = tickets.get((clock.customer, clock.ticket))
        due = int(clock.due_at.timestamp() * 1_000_000)
        zone = zones.get(clock.customer, "UTC")
        out.append(Row(clock, teams.get(pk) if pk is not None else None, zone, due))
    return out


def _teams(conn: Connection, tickets: list[int]) -> dict[int, str]:
    """The group of each ticket's last `assign` event (tickets the scope already gave)."""
    if not tickets:
        return {}
    events = live.ticket_events(conn, tickets)
    columns = [events.column(n).to_pylist() for n in ("ticket_id", "ts_us", "id", "kind", "value")]
    rows = sorted(zip(*columns, strict=True), key=lambda r: (r[0], r[1], r[2]))
    return {ticket: value for ticket, _, _, kind, value in rows if kind == Kind.ASSIGN and value}
