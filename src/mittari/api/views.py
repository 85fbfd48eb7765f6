"""Turning stored rows and engine tables into the API's schemas."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, select

from mittari.api.schemas import EventOut, TicketOut
from mittari.api.settings import Settings
from mittari.db.models import Event, Ticket
from mittari.engine.types import ACTOR_NAMES, KIND_NAMES

KINDS = {int(code): name for name, code in KIND_NAMES.items()}
ACTORS = {int(code): name for name, code in ACTOR_NAMES.items()}


def instant(us: int) -> datetime:
    return datetime.fromtimestamp(us / 1_000_000, UTC)


def page_bounds(page: int, size: int | None, config: Settings) -> tuple[int, int]:
    limit = min(size or config.page_size, config.max_page_size)
    return (page - 1) * limit, limit


def ticket_out(ticket: Ticket) -> TicketOut:
    return TicketOut(
        id=ticket.external_id,
        source=ticket.source,
        service=ticket.service,
        type=ticket.type,
        requester=ticket.requester,
        subject=ticket.subject,
    )


def ticket_names(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    rows = conn.execute(select(Ticket.id, Ticket.external_id).where(Ticket.id.in_(set(ids))))
    return {i: name for i, name in rows}


def event_out(event: Event) -> EventOut:
    return EventOut(
        ts=instant(event.ts_us),
        kind=KINDS.get(event.kind, str(event.kind)),
        value=event.value,
        actor=None if event.actor is None else ACTORS.get(event.actor, str(event.actor)),
        raw_value=event.raw_value,
        ref=event.ref,
    )


_CLOCK = (
    "metric",
    "cycle",
    "priority",
    "state",
    "target_s",
    "elapsed_s",
    "start_at",
    "stop_at",
    "due_at",
    "breached_at",
)


def clock_rows(table: pa.Table) -> list[dict[str, Any]]:
    return table.select(list(_CLOCK)).to_pylist()


def measurement_rows(table: pa.Table) -> list[dict[str, Any]]:
    rows = table.select([*_CLOCK, "wall_s", "ticket_id"]).to_pylist()
    for row in rows:
        row["ticket"] = row.pop("ticket_id")
    return rows
