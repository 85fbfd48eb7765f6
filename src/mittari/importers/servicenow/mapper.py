"""Native values to canonical ones through the mapping, and the outputs of one read.

A native value the mapping does not know is a Problem naming file, line, field, value and the
mapping file to extend; the record's other fields still give their events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from mittari.errors import Problem
from mittari.importers.extract import EventRows, TicketRows
from mittari.importers.servicenow.cells import Cell, Record
from mittari.importers.servicenow.settings import Vocabulary
from mittari.importers.servicenow.times import TimeReader


@dataclass(frozen=True)
class Mapped:
    value: str  # canonical
    raw: str  # the native text it came from
    where: str  # the field it came from


@dataclass
class Mapper:
    """Everything one read needs and gives: lookups, time reading, events, tickets, problems."""

    file: str
    mapping_file: str
    vocabulary: Vocabulary
    times: TimeReader
    events: EventRows = field(default_factory=EventRows)
    tickets: TicketRows = field(default_factory=TicketRows)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int | None, where: str, value: object, message: str) -> None:
        self.problems.append(Problem(self.file, line, where, value or None, message))

    def status(self, record: Record) -> Mapped | None:
        """The canonical status of a record's state, refined by its hold reason when on hold."""
        state = record.cell("state")
        if not state:
            return None
        status = self._lookup(record, state, self.vocabulary.state, "states", "state")
        if status != "on_hold":
            return None if status is None else Mapped(status, state.display, state.where)
        hold = record.cell("hold_reason")
        if not hold:
            return Mapped(status, state.display, state.where)
        refined = self._lookup(record, hold, self.vocabulary.hold_reason, "hold_reasons", "hold")
        return Mapped(refined or status, f"{state.display} / {hold.display}", state.where)

    def priority(self, record: Record) -> Mapped | None:
        cell = record.cell("priority")
        if not cell:
            return None
        found = self._lookup(record, cell, self.vocabulary.priority, "priorities", "priority")
        return None if found is None else Mapped(found, cell.display, cell.where)

    def add(self, ticket: str, ts: datetime, kind: str, line: int | None, source: Mapped) -> None:
        """One event from `source`; its value is None for `created` (source.value "")."""
        self.events.add(
            ticket,
            ts,
            kind,
            source.value or None,
            raw_value=source.raw or None,
            file=self.file,
            line=line,
            ref=source.where,
        )

    def _lookup(
        self, record: Record, cell: Cell, table: Callable[[str], str | None], key: str, what: str
    ) -> str | None:
        for text in (cell.value, cell.display):  # the code first: it does not depend on locale
            found = table(text) if text else None
            if found is not None:
                return found
        code = f" (code {cell.value!r})" if cell.value != cell.display else ""
        fallback = "taken as on_hold" if what == "hold" else f"no {_KINDS[what]} event from it"
        message = (
            f"unknown {_NAMES[what]}{code}: add it to `{key}:` in {self.mapping_file}; {fallback}"
        )
        self.problem(record.line, cell.where, cell.display, message)
        return None


_NAMES = {"state": "state", "hold": "on hold reason", "priority": "priority"}
_KINDS = {"state": "status", "priority": "priority"}
