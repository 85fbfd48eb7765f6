"""One body of a Zendesk event webhook for tickets → canonical events (live ingestion).

A webhook subscribed to ticket events receives one JSON body per event: `type`
(`zen:event-type:ticket.status_changed`, ...), `id`, `time`, `subject` (`zen:ticket:<id>`),
`detail` (the ticket after the change; ids as text, enums upper-case: `OPEN`, `HIGH`,
`INCIDENT`) and `event` (what changed: `current` and `previous`, or the `comment`). The
mapping and the wording of problems are those of the export reader; the rules are in
`webhook_rules.py` and README.md here ("Event webhooks").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mittari.importers.extract import tickets_table
from mittari.importers.zendesk.lookups import Lookups, id_text
from mittari.importers.zendesk.mapping import ZendeskMapping
from mittari.importers.zendesk.pages import Record
from mittari.importers.zendesk.reader import new_run
from mittari.importers.zendesk.run import Run, ZendeskExtract
from mittari.importers.zendesk.tickets import ticket_row
from mittari.importers.zendesk.webhook_rules import HANDLERS, Hook, ticket_type

PREFIX = "zen:event-type:"


def events_from_event_webhook(
    body: dict[str, Any],
    *,
    mapping: str | Path | ZendeskMapping | None = None,
    file: str = "<webhook>",
) -> ZendeskExtract:
    """The events of one event-webhook body, with the mapping of `read`.

    Events happen at the body's `time`; `ticket.created` at the ticket's `created_at`.
    An event type without a rule here, and any event of another domain (`user.created`),
    is counted in `ignored`. Pass a loaded `ZendeskMapping` to avoid reading the mapping
    file on every call. The same body gives the same events every time.
    """
    run = new_run(mapping, None, Lookups())
    hook = _hook(run, body, file)
    if hook is None:
        return run.extract(tickets_table([]), 1)
    handler = HANDLERS.get(hook.name)
    if handler is None:
        hook.skip()
    else:
        at = run.instant(file, "time", body.get("time"), note="its event is skipped")
        if at is not None:
            handler(hook, at)
    data = {**hook.detail, "type": ticket_type(hook.detail.get("type"))}
    row = ticket_row(run, hook.ticket_id, Record(file, "detail", data))
    return run.extract(tickets_table([row]), 1)


def _hook(run: Run, body: dict[str, Any], file: str) -> Hook | None:
    """The ticket event in `body`; None (counted, or with a Problem) for anything else."""
    kind = body.get("type")
    if not isinstance(kind, str) or not kind.startswith(PREFIX):
        run.problem(file, "type", kind, f"not a Zendesk event webhook body: expected {PREFIX}…")
        return None
    name = kind.removeprefix(PREFIX)
    if not name.startswith("ticket."):
        run.ignored[name] += 1  # a user, organization, ... event: no ticket
        return None
    raw_detail, raw_event = body.get("detail"), body.get("event")
    detail = _normalised(raw_detail if isinstance(raw_detail, dict) else {})
    ticket_id = detail.get("id") or _subject_ticket(body.get("subject"))
    if ticket_id is None:
        if name in HANDLERS:
            run.problem(file, "detail.id", None, "no ticket id (detail.id, subject); skipped")
        else:
            run.ignored[name] += 1
        return None
    ref = f"event {id_text(body.get('id'))} {kind}"
    event = raw_event if isinstance(raw_event, dict) else {}
    return Hook(run, file, ref, name, str(ticket_id), detail, event)


def _subject_ticket(subject: object) -> str | None:
    """The ticket id of a subject `zen:ticket:35436`."""
    if isinstance(subject, str) and subject.startswith("zen:ticket:"):
        return id_text(subject.removeprefix("zen:ticket:"))
    return None


def _normalised(detail: dict[str, Any]) -> dict[str, Any]:
    """`detail` with ids as text (`""` and `"0"` are none) and tags as a list."""
    data = dict(detail)
    for key, value in detail.items():
        if key == "id" or (key.endswith("_id") and key != "external_id"):
            ident = id_text(value)
            data[key] = None if ident in (None, "0") else ident
    if isinstance(data.get("tags"), str):
        data["tags"] = data["tags"].split()
    return data
