"""Events of a Table API snapshot of incidents (`{"result": [...]}`): one state per incident.

A snapshot is the incident as it is now, so it gives: `created` at opened_at (else
sys_created_on) with the current priority, assignment group and category at that instant;
`resolved` at resolved_at and `closed` at closed_at when the state says so; the current
state at sys_updated_on when it is a pause (on hold, refined by its hold reason) or a
cancellation. It cannot give past pauses, past priorities or groups, nor reopens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mittari.errors import InputError, Problem
from mittari.importers.servicenow.cells import Cell, cell_of
from mittari.importers.servicenow.mapper import Mapped, Mapper
from mittari.importers.servicenow.settings import Columns
from mittari.importers.servicenow.times import TimeReader

_UTC = TimeReader(timezone="UTC")  # the Table API's stored values: ISO-like text in UTC
_AT_UPDATE = ("pending_customer", "pending_vendor", "on_hold", "cancelled")
_UTC_HINT = (
    "; Table API times are read as UTC yyyy-MM-dd HH:mm:ss (for a file fetched with"
    " sysparm_display_value=true, set json_utc: false in the mapping)"
)
Timed = tuple[datetime, str, Mapped]  # (instant, kind, value and where it came from)


@dataclass(frozen=True)
class JsonRecord:
    """One element of `result`, read through the mapping's field names."""

    index: int
    data: dict[str, Any]
    columns: Columns

    @property
    def line(self) -> int | None:
        return None  # JSON has no lines: problems name the path, events carry it in `ref`

    def cell(self, field: str) -> Cell:
        """The first of the field's names that is filled (`business_service`, else
        `cmdb_ci`), else the first present, else an empty cell."""
        names = [n for n in getattr(self.columns, field) if n in self.data]
        cells = [cell_of(self.data[n], f"result[{self.index}].{n}") for n in names]
        filled = [c for c in cells if c]
        if filled or cells:
            return (filled or cells)[0]
        return Cell("", "", f"result[{self.index}].{field}")


def results_of(file: str, document: object) -> list[object]:
    if isinstance(document, dict) and isinstance(document.get("result"), list):
        return list(document["result"])
    if isinstance(document, dict) and isinstance(document.get("result"), dict):
        return [document["result"]]  # GET of one record: {"result": {...}}
    message = 'expected a Table API response: {"result": [ {...incident...}, ... ]}'
    raise InputError([Problem(file, None, "result", None, message)])


def snapshot_events(results: list[object], columns: Columns, mapper: Mapper, utc: bool) -> None:
    for index, data in enumerate(results):
        if not isinstance(data, dict):
            mapper.problem(None, f"result[{index}]", None, "not a JSON object; skipped")
            continue
        _incident(JsonRecord(index, data, columns), mapper, utc)


def _incident(record: JsonRecord, mapper: Mapper, utc: bool) -> None:
    number = record.cell("number").value
    if not number:
        where = record.cell("number").where
        mapper.problem(None, where, None, "missing number; the incident is skipped")
        return
    found = _first_time(record, ("opened_at", "created_on"), mapper, utc)
    if found is None:
        where = record.cell("opened_at").where
        mapper.problem(None, where, None, "no opened_at nor sys_created_on; incident skipped")
        return
    opened, opened_cell = found
    events = _opening_events(record, opened, opened_cell, mapper)
    events += _status_events(record, mapper, utc)
    events.sort(key=lambda event: event[0])  # stable: same-instant events keep this order
    for when, kind, source in events:
        mapper.add(number, when, kind, None, source)
    _attributes(number, record, mapper)


def _opening_events(
    record: JsonRecord, opened: datetime, cell: Cell, mapper: Mapper
) -> list[Timed]:
    """created, and the current priority, group and category as if set at creation."""
    events = [(opened, "created", Mapped("", "", cell.where))]
    priority = mapper.priority(record)
    if priority is not None:
        events.append((opened, "priority", priority))
    for name, kind in (("assignment_group", "assign"), ("category", "category")):
        label = record.cell(name)
        if label:
            events.append((opened, kind, Mapped(label.display, label.display, label.where)))
    return events


def _status_events(record: JsonRecord, mapper: Mapper, utc: bool) -> list[Timed]:
    status = mapper.status(record)
    if status is None or status.value in ("new", "open"):
        return []  # when an active incident was last active is no event of its own
    if status.value in _AT_UPDATE:
        return _at(record, ("updated",), status, mapper, utc)
    if status.value == "resolved":
        return _at(record, ("resolved_at", "updated"), status, mapper, utc)
    resolved = record.cell("resolved_at")  # closed: resolved first when it says when
    before = _at(record, ("resolved_at",), Mapped("resolved", "", resolved.where), mapper, utc)
    return before + _at(record, ("closed_at", "updated"), status, mapper, utc)


def _at(
    record: JsonRecord, fields: tuple[str, ...], status: Mapped, mapper: Mapper, utc: bool
) -> list[Timed]:
    found = _first_time(record, fields, mapper, utc)
    return [] if found is None else [(found[0], "status", status)]


def _first_time(
    record: JsonRecord, fields: tuple[str, ...], mapper: Mapper, utc: bool
) -> tuple[datetime, Cell] | None:
    """The first of `fields` holding a readable time; unreadable ones are problems."""
    for field in fields:
        cell = record.cell(field)
        if not cell:
            continue
        as_utc = utc or cell.actual
        when = (_UTC if as_utc else mapper.times).parse([cell.value])[0]
        if isinstance(when, datetime):
            return when, cell
        mapper.problem(None, cell.where, cell.value, f"{when}{_UTC_HINT if as_utc else ''}")
    return None


def _attributes(number: str, record: JsonRecord, mapper: Mapper) -> None:
    service = record.cell("service")
    mapper.tickets.add(
        number,
        service=service.text(),
        type="incident",
        requester=record.cell("caller_id").value or None,  # the sys_id: opaque, no names
        subject=record.cell("short_description").text(),
        category=record.cell("category").text(),
        made_sla=record.cell("made_sla").text(),
        reopen_count=record.cell("reopen_count").text(),
        sys_id=record.cell("sys_id").value or None,
    )
