"""Events of a CSV incident history (one row per update) by diffing consecutive rows.

Rows are grouped by `number` (tickets in order of first appearance) and sorted stably by
their update time. The first row of a ticket gives `created` at `opened_at` and the initial
status, priority, assignment group and category at that instant; each later row gives an
event for each of these that changed, at the row's update time. A reopen is a status leaving
resolved/closed (`reopen_count` grows): status events, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mittari.importers.servicenow.cells import Cell
from mittari.importers.servicenow.csvfile import CsvRow, CsvRows
from mittari.importers.servicenow.mapper import Mapped, Mapper

TicketRowsByNumber = dict[str, list[tuple[datetime, CsvRow]]]


@dataclass
class Last:
    """The values in force after the rows diffed so far (None/"": not known yet)."""

    status: str | None = None
    priority: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # assignment_group, category


def history_events(read: CsvRows, mapper: Mapper) -> None:
    has_opened = "opened_at" in read.found
    if not has_opened and read.rows:
        message = "no opened_at column: created is taken at each ticket's first update"
        mapper.problem(1, "opened_at", None, message)
    for number, rows in _tickets(read.rows, mapper).items():
        _ticket_events(number, rows, mapper, has_opened)
        _ticket_attributes(number, [row for _, row in rows], mapper)


def _tickets(rows: list[CsvRow], mapper: Mapper) -> TicketRowsByNumber:
    """Rows with a number and an update time, by ticket, each ticket's sorted stably by time."""
    updated = mapper.times.parse([row.cell("updated").value for row in rows])
    tickets: TicketRowsByNumber = {}
    for row, when in zip(rows, updated, strict=True):
        number = row.cell("number").value
        if not number:
            mapper.problem(row.line, row.cell("number").where, None, "missing number; row skipped")
        elif isinstance(when, str):
            cell = row.cell("updated")
            mapper.problem(row.line, cell.where, cell.value, f"{when}; row skipped")
        else:
            tickets.setdefault(number, []).append((when, row))
    for ticket_rows in tickets.values():
        ticket_rows.sort(key=lambda pair: pair[0])  # stable: same-time rows keep file order
    return tickets


def _ticket_events(
    number: str, rows: list[tuple[datetime, CsvRow]], mapper: Mapper, has_opened: bool
) -> None:
    first_updated, first = rows[0]
    created, where = _opened(first, first_updated, mapper, has_opened)
    mapper.add(number, created, "created", first.line, Mapped("", "", where))
    last = Last()
    _changes(number, created, first, last, mapper)
    for when, row in rows[1:]:
        _changes(number, when, row, last, mapper)


def _opened(
    row: CsvRow, updated: datetime, mapper: Mapper, has_opened: bool
) -> tuple[datetime, str]:
    """When the ticket was created, and the column that says so: opened_at, else the first
    row's update time (a problem when the file has opened_at but this row's is unreadable)."""
    cell = row.cell("opened_at")
    when = mapper.times.parse([cell.value])[0]
    if isinstance(when, datetime):
        return when, cell.where
    if has_opened:
        message = f"{when}; created is taken at the row's update time instead"
        mapper.problem(row.line, cell.where, cell.value, message)
    return updated, row.cell("updated").where


def _changes(number: str, when: datetime, row: CsvRow, last: Last, mapper: Mapper) -> None:
    """The events of `row` against the values in force before it; updates `last`."""
    status = mapper.status(row)
    if status is not None and status.value != last.status:
        mapper.add(number, when, "status", row.line, status)
        last.status = status.value
    priority = mapper.priority(row)
    if priority is not None and priority.value != last.priority:
        mapper.add(number, when, "priority", row.line, priority)
        last.priority = priority.value
    for name, kind in (("assignment_group", "assign"), ("category", "category")):
        cell = row.cell(name)
        if cell.display != last.labels.get(name, ""):
            if cell:  # an emptied field gives no event (canonical assign needs a value)
                mapper.add(number, when, kind, row.line, _label(cell))
            last.labels[name] = cell.display


def _label(cell: Cell) -> Mapped:
    return Mapped(cell.display, cell.display, cell.where)


def _ticket_attributes(number: str, rows: list[CsvRow], mapper: Mapper) -> None:
    """The ticket's attributes as of its last row; earlier rows fill what it leaves empty."""
    for row in reversed(rows):
        mapper.tickets.add(
            number,
            service=row.cell("service").text(),
            type="incident",
            requester=row.cell("caller_id").text(),
            subject=row.cell("short_description").text(),
            category=row.cell("category").text(),
            made_sla=row.cell("made_sla").text(),
            reopen_count=row.cell("reopen_count").text(),
        )
