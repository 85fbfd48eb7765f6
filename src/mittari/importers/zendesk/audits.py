"""One ticket audit → canonical events.

An audit is one update of a ticket: `id, ticket_id, created_at, author_id, via, events`.
Every event of it happens at the audit's `created_at`. `Create` and `Change` events set a
field (`field_name`, `value`); `Comment` events add a comment. Other event types
(Notification, VoiceComment, SatisfactionRating, ...) are counted in `ignored`.

The audit that holds `Create` events created the ticket: it gives the `created` event, and
its first comment is the ticket's description (the request itself), not a reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mittari.importers.zendesk.lookups import id_text
from mittari.importers.zendesk.pages import Record
from mittari.importers.zendesk.run import Run

FIELD_EVENTS = ("Create", "Change")


@dataclass(frozen=True)
class Audit:
    """An audit whose ticket and instant are known."""

    record: Record
    ticket_id: str
    ts: datetime
    key: str  # the audit's id, or its place when it has none
    events: list[dict[str, Any]]

    @property
    def creates(self) -> bool:
        return any(event.get("type") == "Create" for event in self.events)

    @property
    def description_at(self) -> int | None:
        """The index of the ticket's description: the first comment of the creating audit."""
        if not self.creates:
            return None
        comments = (j for j, e in enumerate(self.events) if e.get("type") == "Comment")
        return next(comments, None)

    def created_field(self, name: str) -> object:
        """The value a `Create` event of this audit gave field `name`, if any."""
        for event in self.events:
            if event.get("type") == "Create" and event.get("field_name") == name:
                return event.get("value")
        return None


def parse_audit(run: Run, record: Record) -> Audit | None:
    """The audit in `record`, or None with a Problem when its ticket or time is unknown."""
    data, file, ref = record.data, record.file, record.ref
    raw_events = data.get("events")
    events = [e for e in raw_events if isinstance(e, dict)] if isinstance(raw_events, list) else []
    if not isinstance(raw_events, list):
        run.problem(file, f"{ref}.events", None, "an audit without a list of events")
    ticket_id = id_text(data.get("ticket_id"))
    skipped = (
        "its event is skipped" if len(events) == 1 else f"its {len(events)} events are skipped"
    )
    if ticket_id is None:
        run.problem(file, f"{ref}.ticket_id", data.get("ticket_id"), f"no ticket_id; {skipped}")
        return None
    ts = run.instant(file, f"{ref}.created_at", data.get("created_at"), note=skipped)
    if ts is None:
        return None
    key = id_text(data.get("id")) or f"{file}#{ref}"
    return Audit(record, ticket_id, ts, key, events)


def emit_audit(run: Run, audit: Audit, requester: str | None) -> None:
    """The canonical events of one audit, each (audit id, event id) once per read."""
    if audit.creates and run.first_time((audit.key, "created")):
        run.add(audit.ticket_id, audit.ts, "created", file=audit.record.file, ref=audit.record.ref)
    fields = _AuditFields(run, audit)
    description_at = audit.description_at
    for j, event in enumerate(audit.events):
        if not run.first_time((audit.key, id_text(event.get("id")) or f"#{j}")):
            continue
        ref = f"{audit.record.ref}.events[{j}]"
        kind = event.get("type")
        if j == description_at:
            run.ignored["Comment (description, part of created)"] += 1
        elif kind == "Comment":
            _emit_comment(run, audit, event, requester, ref)
        elif kind in FIELD_EVENTS:
            fields.emit(event, ref)
        else:
            run.ignored[str(kind)] += 1


def _emit_comment(
    run: Run, audit: Audit, event: dict[str, Any], requester: str | None, ref: str
) -> None:
    public = event.get("public", True)  # the API's default for a comment
    if not isinstance(public, bool):
        run.problem(audit.record.file, f"{ref}.public", public, "expected true or false")
        return
    kind = "reply" if public else "note"
    actor = comment_actor(run, event, audit.record.data, requester)
    run.add(audit.ticket_id, audit.ts, kind, None, actor, file=audit.record.file, ref=ref)


def comment_actor(
    run: Run, event: dict[str, Any], audit: dict[str, Any], requester: str | None
) -> str:
    """`system` for Zendesk itself and triggers/automations, `customer` for the requester
    and end-users, else `agent`."""
    author = id_text(event.get("author_id", audit.get("author_id")))
    via = event.get("via") or audit.get("via") or {}
    channel = via.get("channel") if isinstance(via, dict) else None
    system_ids = {str(i) for i in run.mapping.system_user_ids}
    if author in system_ids or channel in run.mapping.system_channels:
        return "system"
    if author is not None and (author == requester or run.lookups.role(author) == "end-user"):
        return "customer"
    return "agent"


class _AuditFields:
    """Field events of one audit. A custom status the mapping names stands for the audit's
    `status` change (Zendesk writes both); one it does not name is its category, which the
    `status` change already tells."""

    def __init__(self, run: Run, audit: Audit) -> None:
        self.run, self.audit = run, audit
        self.named = next(
            (
                found
                for e in audit.events
                if e.get("type") in FIELD_EVENTS and e.get("field_name") == "custom_status_id"
                if (found := run.named_custom_status(e.get("value"))) is not None
            ),
            None,
        )
        self.has_status = any(
            e.get("type") in FIELD_EVENTS and e.get("field_name") == "status" for e in audit.events
        )
        self.named_done = False

    def emit(self, event: dict[str, Any], ref: str) -> None:
        name, value, text = (
            str(event.get("field_name")),
            event.get("value"),
            _text(event.get("value")),
        )
        run, mapping, what = self.run, self.run.mapping, f"{event.get('type')} {name}"
        stands_for_status = name == "custom_status_id" and self.named and not self.has_status
        if name == "status" or stands_for_status:
            self._status(value, ref)
        elif name == "priority" and value is not None:
            found = run.priority(value, self.audit.record.file, f"{ref}.value")
            self._add("priority", found, value, ref)
        elif name in mapping.assign_fields and text is not None:
            table = "groups" if name == "group_id" else "users"
            self._add("assign", run.lookups.name(table, text), text, ref)
        elif name in mapping.category_fields and text is not None:
            self._add("category", text, text, ref)
        elif name in ("priority", *mapping.assign_fields, *mapping.category_fields):
            run.ignored[f"{what} to none"] += 1  # cleared: no canonical event says "none"
        else:
            run.ignored[what] += 1

    def _status(self, value: object, ref: str) -> None:
        if self.named is not None:
            if not self.named_done:
                self.named_done = True
                self._add("status", self.named[0], self.named[1], ref)
            return
        found = self.run.status(value, self.audit.record.file, f"{ref}.value")
        self._add("status", found, value, ref)

    def _add(self, kind: str, value: str | None, raw: object, ref: str) -> None:
        if value is None:
            return  # unmapped: the Problem is already written
        audit = self.audit
        raw_text = None if raw is None else str(raw)
        self.run.add(
            audit.ticket_id, audit.ts, kind, value, raw=raw_text, file=audit.record.file, ref=ref
        )


def _text(value: object) -> str | None:
    """A field value as text: lists (multi-select fields) joined with commas."""
    if isinstance(value, list):
        value = ",".join(str(v) for v in value if v is not None)
    if value is None or isinstance(value, dict):
        return None
    text = str(value).strip()
    return text or None
