"""One audit handed over live (a webhook), with the same rules as an export."""

from __future__ import annotations

from mittari.importers.zendesk import ZendeskExtract, events_from_audit, load_zendesk_mapping
from mittari.importers.zendesk.tests.conftest import audit, change, comment, events_of, ticket


def test_one_audit_with_its_ticket_and_users_by_id() -> None:
    payload = audit(
        5,
        7,
        "2025-03-03T09:00:00Z",
        9001,
        comment(51, 9001),
        change(52, "status", "open", "pending"),
    )
    record = ticket(7, group_id=501, organization_id=701)
    extract = events_from_audit(
        payload,
        record,
        {9001: {"name": "Requester", "role": "end-user"}},
        groups={501: {"name": "Service Desk"}},
        mapping=load_zendesk_mapping(),
    )
    assert isinstance(extract, ZendeskExtract) and extract.source == "zendesk"
    assert events_of(extract) == [
        ("7", "2025-03-03T09:00:00Z", "reply", None, "customer"),
        ("7", "2025-03-03T09:00:00Z", "status", "open", None),
    ]
    assert extract.events.column("file").to_pylist() == ["<webhook>", "<webhook>"]
    assert extract.events.column("ref").to_pylist() == ["audit.events[0]", "audit.events[1]"]
    assert extract.tickets.to_pylist() == [
        {
            "ticket_id": "7",
            "customer": "701",  # organizations not handed over: the id
            "service": "Service Desk",
            "type": "incident",
            "requester": "9001",
            "subject": "Something broke",
            "organization_id": "701",
            "tags": None,
        }
    ]
    assert (extract.n_read, extract.problems) == (1, [])


def test_an_unmapped_value_in_a_live_audit() -> None:
    payload = audit(5, 7, "2025-03-03T09:00:00Z", 8001, change(52, "status", "escalated", "open"))
    extract = events_from_audit(payload, file="hook-42")
    [problem] = extract.problems
    assert (problem.file, problem.field, problem.value) == (
        "hook-42",
        "audit.events[0].value",
        "escalated",
    )
    assert extract.events.num_rows == 0


def test_a_live_audit_without_a_ticket_id() -> None:
    extract = events_from_audit(audit(5, None, "2025-03-03T09:00:00Z", 8001, comment(1, 8001)))
    assert [(p.field, p.message) for p in extract.problems] == [
        ("audit.ticket_id", "no ticket_id; its event is skipped")
    ]
    assert extract.tickets.num_rows == 0
