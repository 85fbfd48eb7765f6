"""Small things the overview, at-risk and tickets pages share: the clock, a customer's
time zone, links to the tickets list, and the answer to a query that does not parse."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from mittari.db.models import Customer
from mittari.services import live
from mittari.web.deps import Page
from mittari.web.render import render

MONTH = re.compile(r"^(19[7-9]\d|20\d\d)-(0[1-9]|1[0-2])$")  # months the calendars measure


def now_us() -> int:
    return int(datetime.now(UTC).timestamp() * 1_000_000)


def customer_zone(conn: Connection, customer: int) -> str:
    """The zone of the customer's latest contract version in force (UTC without one)."""
    found = live.contracts_of(conn, customer)
    return found.policies[-1].timezone if found is not None and found.policies else "UTC"


def tickets_link(key: str, **filters: object) -> str:
    """The tickets page of customer `key` with `filters` (None and "" left out)."""
    query = urlencode({k: v for k, v in filters.items() if v not in (None, "")})
    return f"/ui/{quote(key)}/tickets" + (f"?{query}" if query else "")


def ticket_link(key: str, ticket: str) -> str:
    return f"/ui/{quote(key)}/tickets/{quote(ticket, safe='')}"


def bad_request(
    page: Page,
    customer: Customer | None,
    section: str,
    problems: list[tuple[str, str, str]],
    notes: Sequence[str] = (),
) -> HTMLResponse:
    """The page's frame with what was wrong in its query (422), and no figures: each problem
    as (parameter, value, what was expected), or a sentence in `notes`."""
    return render(
        page.request,
        "main/problem.html",
        status=422,
        who=page.who,
        nav_customers=page.customers(),
        customer=customer,
        section=section,
        problems=problems,
        notes=list(notes),
    )
