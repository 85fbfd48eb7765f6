"""The rules of event webhooks for tickets: one per event type (see README.md here,
"Event webhooks"). `HANDLERS` names them by event type (`ticket.status_changed`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mittari.importers.zendesk.instants import parse_instant
from mittari.importers.zendesk.lookups import id_text
from mittari.importers.zendesk.run import Run

DESCRIPTION = "ticket.comment_added (description, part of created)"


@dataclass(frozen=True)
class Hook:
    """A ticket event whose ticket is known: its name (`ticket.status_changed`), `ref`
    (`event <id> <type>`), ticket, `detail` (its ids normalised) and `event`."""

    run: Run
    file: str
    ref: str
    name: str
    ticket_id: str
    detail: dict[str, Any]
    event: dict[str, Any]

    def add(
        self, ts: datetime, kind: str, value: str | None, raw: object, actor: str | None = None
    ) -> None:
        raw_text = None if raw is None else str(raw)
        self.run.add(
            self.ticket_id, ts, kind, value, actor, raw=raw_text, file=self.file, ref=self.ref
        )

    def current(self) -> object:
        """`event.current`; an empty text is none."""
        value = self.event.get("current")
        return (value.strip() or None) if isinstance(value, str) else value

    def skip(self, what: str = "") -> None:
        self.run.ignored[f"{self.name}{what}"] += 1


Handler = Callable[[Hook, datetime], None]


def _created(hook: Hook, at: datetime) -> None:
    """`created` at the ticket's `created_at`, then its initial status, priority,
    assignment and type from `detail`, as a creating audit gives them."""
    run, detail = hook.run, hook.detail
    created = at
    if detail.get("created_at") is not None:
        created = run.instant(hook.file, "detail.created_at", detail["created_at"]) or at
    hook.add(created, "created", None, None)
    _ticket_status(hook, created)
    priority = detail.get("priority")
    if priority not in (None, ""):
        found = run.priority(_key(run.mapping.priorities, priority), hook.file, "detail.priority")
        if found is not None:
            hook.add(created, "priority", found, priority)
    for field in run.mapping.assign_fields:
        if detail.get(field) is not None:
            hook.add(created, "assign", detail[field], detail[field])
    if "type" in run.mapping.category_fields and ticket_type(detail.get("type")) is not None:
        _category(hook, created, "type", detail["type"])


def _status_changed(hook: Hook, at: datetime) -> None:
    if hook.run.named_custom_status(hook.detail.get("custom_status")) is not None:
        hook.skip(" (a named custom status stands for it)")
        return
    current = hook.current()
    if current is None:
        hook.run.problem(hook.file, "event.current", None, "no status; its event is skipped")
        return
    found = hook.run.status(_key(hook.run.mapping.statuses, current), hook.file, "event.current")
    if found is not None:
        hook.add(at, "status", found, current)


def _custom_status_changed(hook: Hook, at: datetime) -> None:
    """A custom status the mapping names is a status of its own; leaving one for a custom
    status it does not name gives the status category again (`detail.status`)."""
    run, current = hook.run, hook.current()
    named = run.named_custom_status(current)
    if named is not None:
        hook.add(at, "status", named[0], named[1])
    elif run.named_custom_status(hook.event.get("previous")) is not None:
        _ticket_status(hook, at)
    else:
        hook.skip(" (its category is the status)")


def _priority_changed(hook: Hook, at: datetime) -> None:
    current = hook.current()
    if current is None:
        hook.skip(" to none")
        return
    found = hook.run.priority(
        _key(hook.run.mapping.priorities, current), hook.file, "event.current"
    )
    if found is not None:
        hook.add(at, "priority", found, current)


def _assignment(field: str) -> Handler:
    def assign(hook: Hook, at: datetime) -> None:
        ident = id_text(hook.current())
        if field not in hook.run.mapping.assign_fields:
            hook.skip()
        elif ident in (None, "0"):
            hook.skip(" to none")
        else:
            hook.add(at, "assign", ident, ident)

    return assign


def _type_changed(hook: Hook, at: datetime) -> None:
    _category(hook, at, "type", hook.current())


def _custom_field_changed(hook: Hook, at: datetime) -> None:
    field = hook.event.get("custom_field")
    field_id = id_text(field.get("id")) if isinstance(field, dict) else None
    current = hook.event.get("current")
    _category(hook, at, field_id, current.get("value") if isinstance(current, dict) else current)


def _category(hook: Hook, at: datetime, field: str | None, value: object) -> None:
    """A field of `category_fields:`: its value as written (multi-select values joined by
    commas); the ticket type in lower case, as the API writes it (`INCIDENT` → `incident`)."""
    if field is None or field not in hook.run.mapping.category_fields:
        hook.skip()
        return
    if isinstance(value, list):  # a multi-select field
        value = ",".join(str(v) for v in value if v is not None)
    text = None if value is None or isinstance(value, dict) else str(value).strip()
    if not text:
        hook.skip(" to none")
        return
    hook.add(at, "category", ticket_type(text) if field == "type" else text, text)


def ticket_type(value: object) -> str | None:
    """A ticket type as the API and the export write it: `INCIDENT` → `incident`."""
    return (value.strip().lower() or None) if isinstance(value, str) else None


def _deleted(hook: Hook, at: datetime) -> None:
    """Deleted or marked as spam (which deletes): Zendesk's status `deleted`."""
    found = hook.run.status(_key(hook.run.mapping.statuses, "deleted"), hook.file, "type")
    if found is not None:
        hook.add(at, "status", found, "deleted")


def _undeleted(hook: Hook, at: datetime) -> None:
    _ticket_status(hook, at)


def _comment_added(hook: Hook, at: datetime) -> None:
    comment = hook.event.get("comment")
    if not isinstance(comment, dict):
        hook.run.problem(hook.file, "event.comment", None, "no comment; its event is skipped")
        return
    public = comment.get("is_public", True)  # the API's default for a comment
    if not isinstance(public, bool):
        hook.run.problem(hook.file, "event.comment.is_public", public, "expected true or false")
        return
    if _in_creating_update(hook, at):
        hook.run.ignored[DESCRIPTION] += 1
        return
    hook.add(at, "reply" if public else "note", None, None, _actor(hook, comment))


def _actor(hook: Hook, comment: dict[str, Any]) -> str:
    """`system` for Zendesk itself (`system_user_ids:`, or a comment whose own `via` is in
    `system_channels:`), `customer` for the requester and anyone not staff, else `agent`."""
    mapping = hook.run.mapping
    found = comment.get("author")
    author: dict[str, Any] = found if isinstance(found, dict) else {}
    ident = id_text(author.get("id"))
    via = comment.get("via")
    channel = via.get("channel") if isinstance(via, dict) else None
    if ident in {str(i) for i in mapping.system_user_ids} or channel in mapping.system_channels:
        return "system"
    requester = hook.detail.get("requester_id")
    if (ident is not None and ident == requester) or author.get("is_staff") is False:
        return "customer"
    return "agent"


def _in_creating_update(hook: Hook, at: datetime) -> bool:
    """Whether the comment was added by the update that created the ticket: the ticket
    was not updated since (`updated_at` = `created_at`), or the event is of the second
    the ticket was created in. That comment is the description (or a trigger's comment
    on the new ticket), part of `created`."""
    created = parse_instant(hook.detail.get("created_at"), None)
    if isinstance(created, str):
        return False
    updated = parse_instant(hook.detail.get("updated_at"), None)
    return updated == created or at.replace(microsecond=0) == created


def _ticket_status(hook: Hook, at: datetime) -> None:
    """The ticket's status in `detail`: a custom status the mapping names, else `status`."""
    run, detail = hook.run, hook.detail
    named = run.named_custom_status(detail.get("custom_status"))
    if named is not None:
        hook.add(at, "status", named[0], named[1])
        return
    raw = detail.get("status")
    if raw in (None, ""):
        return
    found = run.status(_key(run.mapping.statuses, raw), hook.file, "detail.status")
    if found is not None:
        hook.add(at, "status", found, raw)


def _key(table: Mapping[str, str], raw: object) -> object:
    """The mapping's key for `raw`, compared without case (`OPEN` → `open`); `raw` itself
    when there is none, so that the Problem shows the value as Zendesk sent it."""
    if isinstance(raw, str):
        wanted = raw.strip().lower()
        for key in table:
            if key.lower() == wanted:
                return key
    return raw


HANDLERS: dict[str, Handler] = {
    "ticket.created": _created,
    "ticket.status_changed": _status_changed,
    "ticket.custom_status_changed": _custom_status_changed,
    "ticket.priority_changed": _priority_changed,
    "ticket.group_assignment_changed": _assignment("group_id"),
    "ticket.agent_assignment_changed": _assignment("assignee_id"),
    "ticket.type_changed": _type_changed,
    "ticket.custom_field_changed": _custom_field_changed,
    "ticket.comment_added": _comment_added,
    "ticket.soft_deleted": _deleted,
    "ticket.marked_as_spam": _deleted,
    "ticket.undeleted": _undeleted,
}
