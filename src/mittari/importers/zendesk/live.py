"""One audit at a time, as a webhook or an API poll hands it over (live ingestion)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mittari.importers.extract import tickets_table
from mittari.importers.zendesk.audits import emit_audit, parse_audit
from mittari.importers.zendesk.lookups import Lookups, id_text
from mittari.importers.zendesk.mapping import ZendeskMapping
from mittari.importers.zendesk.pages import Record
from mittari.importers.zendesk.reader import check_zone, new_run
from mittari.importers.zendesk.run import ZendeskExtract
from mittari.importers.zendesk.tickets import ticket_row

People = Iterable[Mapping[str, Any]] | Mapping[Any, Mapping[str, Any]]


def events_from_audit(
    audit: dict[str, Any],
    ticket: dict[str, Any] | None = None,
    users: People | None = None,
    *,
    groups: People | None = None,
    mapping: str | Path | ZendeskMapping | None = None,
    timezone: str | None = None,
    file: str = "<webhook>",
) -> ZendeskExtract:
    """The events of one audit, with the same rules as `read`.

    `ticket` (the ticket object, when known) names the requester and gives the tickets row;
    `users` and `groups` (lists of objects, or dicts by id) give roles and names. Pass a
    loaded `ZendeskMapping` to avoid reading the mapping file on every call. Only an audit
    that creates the ticket gives a `created` event: the log holds the rest.
    """
    check_zone(file, timezone)
    run = new_run(mapping, timezone, Lookups.of(users, groups))
    parsed = parse_audit(run, Record(file, "audit", audit))
    if parsed is None:
        return run.extract(tickets_table([]), 1)
    requester = id_text((ticket or {}).get("requester_id"))
    emit_audit(run, parsed, requester or id_text(parsed.created_field("requester_id")))
    record = None if ticket is None else Record(file, "ticket", ticket)
    return run.extract(tickets_table([ticket_row(run, parsed.ticket_id, record)]), 1)
