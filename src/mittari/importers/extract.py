"""What every importer returns: canonical events and tickets as Arrow tables, plus problems.

An importer reads its source (files, JSON payloads) and maps each native record into the
canonical columns of DESIGN.md. It does not touch the database: `services/ingest.py` checks
the events with the canonical reader, quarantines what is wrong and stores the rest.

Events table (`EVENT_SCHEMA`), one row per canonical event, in source order:

- `ticket_id`  the ticket's id in its source (e.g. `INC0010001`, `SD-42`, `35436`)
- `ts`         the instant, timestamp[us, UTC]
- `kind`       `created`, `status`, `priority`, `reply`, `note`, `assign`, `category`
- `value`      canonical value: a canonical status, `P1`..`P5`, a group/agent, a category
- `actor`      `agent`, `customer` or `system` for reply and note; null otherwise
- `raw_value`  the source's own value before mapping (e.g. `Awaiting User Info`, `2 - High`)
- `file`, `line`, `ref`  where the event came from: the file, its 1-based line where the
  source has lines (CSV), and a native reference (`changelog 10042 item 0`, `audit 7/3`,
  `issues[3].fields.created`) so a problem can point at the exact place.

Tickets table: `ticket_id`, `service`, `type`, `requester`, `subject`, `customer` (null
unless the source names it), then any further attributes as strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from mittari.errors import Problem

EVENT_SCHEMA = pa.schema(
    [
        ("ticket_id", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("kind", pa.string()),
        ("value", pa.string()),
        ("actor", pa.string()),
        ("raw_value", pa.string()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("ref", pa.string()),
    ]
)
TICKET_FIELDS = ("ticket_id", "customer", "service", "type", "requester", "subject")


@dataclass
class Extract:
    """One importer run over one input (a file, a directory, a payload)."""

    source: str  # the importer's name: servicenow, jira, zendesk, eventlog, canonical
    events: pa.Table  # EVENT_SCHEMA
    tickets: pa.Table  # TICKET_FIELDS first (strings), further attributes after
    problems: list[Problem] = field(default_factory=list)  # records that could not be mapped
    n_read: int = 0  # source records read (rows, issues, audits, log entries)
    feedback: pa.Table | None = None  # satisfaction ratings, kept for the experience issue


class EventRows:
    """Collects events one by one (JSON sources are nested; a loop per record is unavoidable
    there) and turns them into an `EVENT_SCHEMA` table in one step."""

    def __init__(self) -> None:
        self._columns: dict[str, list[Any]] = {name: [] for name in EVENT_SCHEMA.names}

    def add(
        self,
        ticket_id: str,
        ts: datetime,
        kind: str,
        value: str | None = None,
        actor: str | None = None,
        *,
        raw_value: str | None = None,
        file: str,
        line: int | None = None,
        ref: str | None = None,
    ) -> None:
        if ts.tzinfo is None:
            raise ValueError("EventRows.add needs an aware datetime")  # a bug, not bad input
        row = (ticket_id, ts.astimezone(UTC), kind, value, actor, raw_value, file, line, ref)
        for name, item in zip(EVENT_SCHEMA.names, row, strict=True):
            self._columns[name].append(item)

    def __len__(self) -> int:
        return len(self._columns["ticket_id"])

    def table(self) -> pa.Table:
        return pa.table(self._columns, schema=EVENT_SCHEMA)


class TicketRows:
    """Collects ticket attribute rows; the first row of a ticket_id wins, later ones fill gaps."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, str | None]] = {}

    def add(self, ticket_id: str, **attributes: object) -> None:
        row = self._rows.setdefault(ticket_id, {"ticket_id": ticket_id})
        for name, value in attributes.items():
            if row.get(name) is None and value is not None:
                row[name] = str(value)

    def __len__(self) -> int:
        return len(self._rows)

    def table(self) -> pa.Table:
        return tickets_table(list(self._rows.values()))


def tickets_table(rows: Sequence[dict[str, str | None]]) -> pa.Table:
    """Rows of attributes as a table: TICKET_FIELDS first, other names in first-seen order."""
    names = list(TICKET_FIELDS)
    for row in rows:
        names.extend(n for n in row if n not in names)
    return pa.table({n: pa.array([row.get(n) for row in rows], pa.string()) for n in names})


def empty_events() -> pa.Table:
    return EVENT_SCHEMA.empty_table()
