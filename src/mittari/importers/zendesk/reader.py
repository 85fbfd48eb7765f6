"""`read`: a Zendesk export directory (or one file) → canonical events, tickets, feedback."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from mittari.errors import InputError, Problem
from mittari.importers.canonical.timestamps import check_timezone
from mittari.importers.extract import tickets_table
from mittari.importers.zendesk.audits import Audit, parse_audit
from mittari.importers.zendesk.feedback import feedback_table
from mittari.importers.zendesk.history import emit_ticket
from mittari.importers.zendesk.lookups import Lookups, id_order
from mittari.importers.zendesk.mapping import DEFAULT_MAPPING, ZendeskMapping, load_zendesk_mapping
from mittari.importers.zendesk.pages import load_pages
from mittari.importers.zendesk.run import Run, ZendeskExtract
from mittari.importers.zendesk.tickets import latest_tickets, ticket_row


def read(
    path: str | Path,
    *,
    mapping: str | Path | ZendeskMapping | None = None,
    timezone: str | None = None,
) -> ZendeskExtract:
    """Every ticket of the export at `path`: events in ticket-id order, then time order.

    `mapping` replaces the default `mapping.yaml`; `timezone` (an IANA name) is the zone of
    timestamps written without an offset. A missing path, an empty directory, a bad mapping
    or an unknown zone raise `InputError`; anything wrong inside the export is a Problem.
    """
    check_zone(str(path), timezone)
    pages = load_pages(path)
    run = new_run(mapping, timezone, Lookups.from_side(pages.side))
    run.problems.extend(pages.problems)
    records = latest_tickets(pages.tickets, run)
    histories: dict[str, list[Audit]] = defaultdict(list)
    for audit_record in pages.audits:
        audit = parse_audit(run, audit_record)
        if audit is not None:
            histories[audit.ticket_id].append(audit)
    tickets = []
    for ticket_id in sorted(records.keys() | histories.keys(), key=id_order):
        record = records.get(ticket_id)
        emit_ticket(run, ticket_id, record, histories.get(ticket_id, []))
        tickets.append(ticket_row(run, ticket_id, record))
    feedback = feedback_table(run, pages.ratings)
    n_read = len(pages.tickets) + len(pages.audits) + len(pages.ratings)
    return run.extract(tickets_table(tickets), n_read, feedback)


def new_run(
    mapping: str | Path | ZendeskMapping | None, timezone: str | None, lookups: Lookups
) -> Run:
    if isinstance(mapping, ZendeskMapping):
        return Run(mapping, "the mapping given", timezone, lookups)
    file = str(DEFAULT_MAPPING if mapping is None else mapping)
    return Run(load_zendesk_mapping(file), file, timezone, lookups)


def check_zone(file: str, timezone: str | None) -> None:
    if timezone is None:
        return
    try:
        check_timezone(timezone)
    except ValueError as exc:
        raise InputError([Problem(file, None, "timezone", timezone, str(exc))]) from exc
