"""The state of one read: the mapping, what was found so far, and how problems are worded.

A problem names the file, the place in it as a JSON path (`audits[12].events[3].value`, in
`Problem.field`; JSON has no line numbers worth keeping), the value, and what to do.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa

from mittari.errors import Problem
from mittari.importers.extract import EventRows, Extract
from mittari.importers.zendesk.instants import parse_instant
from mittari.importers.zendesk.lookups import Lookups
from mittari.importers.zendesk.mapping import ZendeskMapping

SOURCE = "zendesk"
_NUMBERS = re.compile(r"(\d+)")


@dataclass
class ZendeskExtract(Extract):
    """An `Extract`, plus what was read and deliberately not mapped, counted by kind
    (`Notification`, `Change tags`, `Change assignee_id to none`, ...)."""

    ignored: dict[str, int] = field(default_factory=dict)


@dataclass
class Run:
    mapping: ZendeskMapping
    mapping_file: str
    timezone: str | None
    lookups: Lookups
    rows: EventRows = field(default_factory=EventRows)
    problems: list[Problem] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)
    seen: set[tuple[str, str]] = field(default_factory=set)
    last_status: dict[str, str] = field(default_factory=dict)

    def problem(self, file: str, ref: str, value: object, message: str) -> None:
        self.problems.append(Problem(file, None, ref, value, message))

    def first_time(self, key: tuple[str, str]) -> bool:
        """Whether `key` (audit id, event id) is new in this read; remembers it."""
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def instant(self, file: str, ref: str, text: object, note: str = "") -> datetime | None:
        """The instant `text` names, or None with a Problem (ending with `note`)."""
        found = parse_instant(text, self.timezone)
        if isinstance(found, str):
            self.problem(file, ref, text, f"{found}; {note}" if note else found)
            return None
        return found

    def add(
        self,
        ticket_id: str,
        ts: datetime,
        kind: str,
        value: str | None = None,
        actor: str | None = None,
        *,
        raw: str | None = None,
        file: str,
        ref: str,
    ) -> None:
        self.rows.add(ticket_id, ts, kind, value, actor, raw_value=raw, file=file, ref=ref)
        if kind == "status" and value is not None:
            self.last_status[ticket_id] = value

    def status(self, raw: object, file: str, ref: str) -> str | None:
        """The canonical status of a Zendesk status, or None with a Problem."""
        found = self.mapping.statuses.get(raw) if isinstance(raw, str) else None
        if found is None:
            self._unmapped("status", "statuses", raw, file, ref)
        return found

    def priority(self, raw: object, file: str, ref: str) -> str | None:
        found = self.mapping.priorities.get(raw) if isinstance(raw, str) else None
        if found is None:
            self._unmapped("priority", "priorities", raw, file, ref)
        return found

    def named_custom_status(self, raw: object) -> tuple[str, str] | None:
        """(canonical status, label) of a custom status the mapping names by id or label."""
        ident = str(raw) if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
        label = self.lookups.custom_status_label(ident)
        for key in (ident, label):
            if key and key in self.mapping.custom_statuses:
                return self.mapping.custom_statuses[key], label or ident
        return None

    def extract(
        self, tickets: pa.Table, n_read: int, feedback: pa.Table | None = None
    ) -> ZendeskExtract:
        ignored = dict(sorted(self.ignored.items()))
        problems = sorted(self.problems, key=lambda p: (p.file, _natural(p.field)))
        events = self.rows.table()
        return ZendeskExtract(SOURCE, events, tickets, problems, n_read, feedback, ignored)

    def _unmapped(self, what: str, section: str, raw: object, file: str, ref: str) -> None:
        message = f"{what} {raw!r} is not mapped; add it under `{section}:` in {self.mapping_file}"
        self.problem(file, ref, raw, message)


def _natural(ref: str) -> tuple[tuple[int, str], ...]:
    """`audits[2].events[10]` before `audits[10]`: numbers compared as numbers."""
    parts = _NUMBERS.split(ref)
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)
