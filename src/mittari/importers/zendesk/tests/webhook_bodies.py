"""Made-up event-webhook bodies for the tests, and what to compare of an extract."""

from __future__ import annotations

from typing import Any

from mittari.importers.extract import Extract
from mittari.importers.zendesk import (
    ZendeskExtract,
    events_from_event_webhook,
    load_zendesk_mapping,
)
from mittari.importers.zendesk.tests.conftest import z

CREATED_AT = "2025-04-17T17:18:10Z"
AT = "2025-04-17T17:20:00Z"
DESCRIPTION = "ticket.comment_added (description, part of created)"
MAPPING = load_zendesk_mapping()
Row = tuple[str, str, str | None, str | None, str | None]


def body(
    kind: str, event: dict[str, Any] | None = None, *, time: str = AT, **detail: Any
) -> dict[str, Any]:
    """A made-up body of event type `ticket.<kind>`; `detail` replaces ticket fields."""
    ticket = {
        "id": "35436",
        "status": "OPEN",
        "priority": "HIGH",
        "requester_id": "1001",
        "assignee_id": "2002",
        "group_id": "3003",
        "organization_id": "4004",
        "custom_status": "6001",
        "created_at": CREATED_AT,
        "updated_at": AT,
        "subject": "Cannot log in",
        "type": "INCIDENT",
        "tags": ["login"],
        "via": {"channel": "web"},
    }
    return {
        "type": f"zen:event-type:ticket.{kind}",
        "account_id": 10000001,
        "id": "evt-1",
        "time": time,
        "zendesk_event_version": "2022-11-06",
        "subject": "zen:ticket:35436",
        "detail": {**ticket, **detail},
        "event": {} if event is None else event,
    }


def comment(author: dict[str, Any] | None, public: object = True, **extra: Any) -> Any:
    return {"comment": {"id": "9", "body": "text", "is_public": public, "author": author, **extra}}


def change(current: object, previous: object) -> dict[str, Any]:
    return {"current": current, "previous": previous}


def rows(extract: Extract) -> list[Row]:
    """(ts, kind, value, actor, raw_value) of each event."""
    return [
        (z(r["ts"]), r["kind"], r["value"], r["actor"], r["raw_value"])
        for r in extract.events.to_pylist()
    ]


def run(payload: Any, **options: Any) -> ZendeskExtract:
    extract = events_from_event_webhook(payload, **options)
    assert extract.problems == []
    return extract
