"""What one import run gathers: events, tickets, problems, feedback, counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from mittari.errors import Problem
from mittari.importers.extract import EventRows, Extract, TicketRows
from mittari.importers.jira.feedback import FeedbackRows
from mittari.importers.jira.rules import JiraRules
from mittari.importers.jira.statuses import StatusCategories
from mittari.importers.jira.timestamps import instant


@dataclass(frozen=True)
class Place:
    """Where a record came from: its file and, for JSON Lines, its line."""

    file: str
    line: int | None = None


class Event(NamedTuple):
    ticket_id: str
    ts: datetime
    kind: str
    value: str | None
    actor: str | None
    raw_value: str | None
    ref: str


class Collector:
    """Collects one run's output; the mapping modules add to it record by record."""

    def __init__(
        self, rules: JiraRules, timezone: str | None, categories: StatusCategories
    ) -> None:
        self.rules = rules
        self.timezone = timezone
        self.categories = categories
        self.events = EventRows()
        self.tickets = TicketRows()
        self.feedback = FeedbackRows()
        self.problems: list[Problem] = []
        self.ignored: dict[str, set[str]] = {}  # refs of items that mean nothing to SLAs
        self.n_read = 0
        self._seen: set[Event] = set()

    def problem(self, place: Place, field: str, value: object, message: str) -> None:
        self.problems.append(Problem(place.file, place.line, field, value, message))

    def instant(self, value: object, place: Place, field: str, ref: str) -> datetime | None:
        """The instant of a timestamp, or None with a problem naming where it was."""
        try:
            return instant(value, self.timezone)
        except ValueError as error:
            shown = value if isinstance(value, str | int) else None
            self.problem(place, field, shown, f"{ref}: {error}")
            return None

    def ticket(self, ticket_id: str, **attributes: str | None) -> None:
        self.ignored.setdefault(ticket_id, set())  # every ticket gets a count, zero included
        self.tickets.add(ticket_id, **attributes)

    def ignore(self, ticket_id: str, ref: str) -> None:
        """Count a changelog item without an event (once, if read twice)."""
        self.ignored.setdefault(ticket_id, set()).add(ref)

    def add(self, event: Event, place: Place) -> None:
        """Add an event once: the same record read twice in one input (a retried webhook,
        overlapping search pages) gives the same event, with the same Jira ids in its ref."""
        if event in self._seen:
            return
        self._seen.add(event)
        self.events.add(
            event.ticket_id,
            event.ts,
            event.kind,
            event.value,
            event.actor,
            raw_value=event.raw_value,
            file=place.file,
            line=place.line,
            ref=event.ref,
        )

    def extract(self) -> Extract:
        for ticket_id, refs in self.ignored.items():
            self.tickets.add(ticket_id, ignored_changes=str(len(refs)))
        return Extract(
            source="jira",
            events=self.events.table(),
            tickets=self.tickets.table(),
            problems=self.problems,
            n_read=self.n_read,
            feedback=self.feedback.table() if len(self.feedback) else None,
        )
