"""One ticket's events: from its audits when there are any, else from its record alone."""

from __future__ import annotations

from mittari.importers.zendesk.audits import Audit, emit_audit
from mittari.importers.zendesk.lookups import id_order, id_text
from mittari.importers.zendesk.pages import Record
from mittari.importers.zendesk.run import Run
from mittari.importers.zendesk.tickets import emit_deletion, emit_snapshot


def emit_ticket(run: Run, ticket_id: str, record: Record | None, audits: list[Audit]) -> None:
    if audits:
        emit_history(run, ticket_id, record, audits)
    elif record is not None:
        emit_snapshot(run, ticket_id, record)


def emit_history(run: Run, ticket_id: str, record: Record | None, audits: list[Audit]) -> None:
    """Audits in time order (same instant: by id); `created` from the ticket record when
    no audit of the export created the ticket."""
    audits = sorted(audits, key=lambda audit: (audit.ts, id_order(audit.key)))
    if not any(audit.creates for audit in audits):
        _created_from_record(run, ticket_id, record, audits[0])
    requester = _requester(record, audits)
    for audit in audits:
        emit_audit(run, audit, requester)
    if record is not None:
        emit_deletion(run, ticket_id, record)


def _created_from_record(run: Run, ticket_id: str, record: Record | None, first: Audit) -> None:
    if record is None:
        message = (
            "no audit created this ticket and the export has no record of it: its creation"
            " is unknown (export its first audits or its ticket record)"
        )
        run.problem(first.record.file, f"{first.record.ref}.ticket_id", ticket_id, message)
        return
    created = run.instant(record.file, f"{record.ref}.created_at", record.data.get("created_at"))
    if created is not None:
        run.add(ticket_id, created, "created", file=record.file, ref=record.ref)


def _requester(record: Record | None, audits: list[Audit]) -> str | None:
    if record is not None and id_text(record.data.get("requester_id")) is not None:
        return id_text(record.data.get("requester_id"))
    for audit in audits:
        requester = id_text(audit.created_field("requester_id"))
        if requester is not None:
            return requester
    return None
