"""Ticket records of incremental export pages: attributes, and events from the snapshot alone.

Incremental pages repeat a ticket each time it changes; the copy with the latest
`updated_at` is the one kept (a tie: the later in file order).

A ticket without audits has only its current state. Its events: `created` at `created_at`;
its status at `created_at` when it is `new` or `open` (no status change is known), else at
`updated_at` (the last change: when it was put on pending or hold, solved, closed or
deleted, as far as the snapshot can tell); its priority at `created_at`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from mittari.importers.extract import TICKET_FIELDS
from mittari.importers.zendesk.instants import parse_instant
from mittari.importers.zendesk.lookups import id_text
from mittari.importers.zendesk.pages import Record
from mittari.importers.zendesk.run import Run

ACTIVE = ("new", "open")
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def latest_tickets(records: Iterable[Record], run: Run) -> dict[str, Record]:
    """The latest copy of each ticket by id; a record without an id is a Problem."""
    latest: dict[str, tuple[datetime, Record]] = {}
    for record in records:
        ticket_id = id_text(record.data.get("id"))
        if ticket_id is None:
            run.problem(record.file, f"{record.ref}.id", None, "a ticket without id; skipped")
            continue
        updated = parse_instant(record.data.get("updated_at"), run.timezone)
        stamp = _EARLIEST if isinstance(updated, str) else updated
        if ticket_id not in latest or stamp >= latest[ticket_id][0]:
            latest[ticket_id] = (stamp, record)
    return {ticket_id: record for ticket_id, (_, record) in latest.items()}


def emit_snapshot(run: Run, ticket_id: str, record: Record) -> None:
    """The events a ticket record alone can tell (see the module's docstring)."""
    data, file, ref = record.data, record.file, record.ref
    created = run.instant(file, f"{ref}.created_at", data.get("created_at"))
    if created is None:
        return
    run.add(ticket_id, created, "created", file=file, ref=ref)
    raw, value = current_status(run, record)
    if raw in ACTIVE and value is not None:
        run.add(ticket_id, created, "status", value, raw=raw, file=file, ref=f"{ref}.status")
    priority = data.get("priority")
    if priority is not None:
        found = run.priority(priority, file, f"{ref}.priority")
        if found is not None:
            run.add(
                ticket_id,
                created,
                "priority",
                found,
                raw=str(priority),
                file=file,
                ref=f"{ref}.priority",
            )
    if raw not in ACTIVE and value is not None:
        emit_current_status(run, ticket_id, record, value, str(raw))


def emit_deletion(run: Run, ticket_id: str, record: Record) -> None:
    """A deleted ticket whose audits do not end cancelled is cancelled at `updated_at`:
    audits do not record the deletion."""
    if record.data.get("status") != "deleted":
        return
    _, value = current_status(run, record)
    if value is not None and run.last_status.get(ticket_id) != value:
        emit_current_status(run, ticket_id, record, value, "deleted")


def current_status(run: Run, record: Record) -> tuple[object, str | None]:
    """The ticket's raw `status` and its canonical status (a named custom status first)."""
    raw = record.data.get("status")
    named = run.named_custom_status(record.data.get("custom_status_id"))
    if named is not None and raw not in ("closed", "deleted"):
        return raw, named[0]
    return raw, run.status(raw, record.file, f"{record.ref}.status")


def emit_current_status(run: Run, ticket_id: str, record: Record, value: str, raw: str) -> None:
    file, ref = record.file, record.ref
    updated = run.instant(file, f"{ref}.updated_at", record.data.get("updated_at"))
    if updated is not None:
        run.add(ticket_id, updated, "status", value, raw=raw, file=file, ref=f"{ref}.status")


TICKET_COLUMNS = (*TICKET_FIELDS, "organization_id", "tags")


def ticket_row(run: Run, ticket_id: str, record: Record | None) -> dict[str, str | None]:
    """The tickets-table row of a ticket: TICKET_FIELDS, then Zendesk's own attributes.
    Every column is there (null where unknown), whatever the export holds."""
    row: dict[str, str | None] = dict.fromkeys(TICKET_COLUMNS)
    row["ticket_id"] = ticket_id
    if record is None:
        return row
    data = record.data
    organization = id_text(data.get("organization_id"))
    subject = data.get("subject") or data.get("raw_subject")
    row.update(
        customer=_customer(run, organization),
        service=_service(run, data),
        type=data.get("type") or "incident",
        requester=id_text(data.get("requester_id")),
        subject=subject if isinstance(subject, str) else None,
        organization_id=organization,
        tags=_tags(data.get("tags")),
    )
    return row


def _customer(run: Run, organization: str | None) -> str | None:
    if run.mapping.customer_from == "none":
        return None
    return run.lookups.name("organizations", organization)


def _tags(tags: object) -> str | None:
    """Tags separated by spaces, as Zendesk shows them (a tag holds no space)."""
    if not isinstance(tags, list) or not tags:
        return None
    return " ".join(str(tag) for tag in tags)


def _service(run: Run, data: dict[str, Any]) -> str | None:
    source = run.mapping.service
    if source.source == "group":
        return run.lookups.name("groups", data.get("group_id"))
    if source.source == "brand":
        return run.lookups.name("brands", data.get("brand_id"))
    if source.source == "custom_field":
        return custom_field(data, str(source.field_id))
    return None


def custom_field(data: dict[str, Any], field_id: str) -> str | None:
    for item in data.get("custom_fields") or data.get("fields") or []:
        if isinstance(item, dict) and id_text(item.get("id")) == field_id:
            value = item.get("value")
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            return None if value in (None, "") else str(value)
    return None
