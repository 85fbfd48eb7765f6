"""The sample export read whole: every event, ticket row and rating, worked out by hand."""

from __future__ import annotations

from mittari.importers.canonical import events_from_table
from mittari.importers.zendesk import SOURCE, read
from mittari.importers.zendesk.tests import EXPORT
from mittari.importers.zendesk.tests.conftest import events_of

SD, NET, FIELD = "Service Desk", "Network", "Field Service"
KAISA, MIKKO = "Kaisa Tuki", "Mikko Päivystäjä"

EXPECTED = [
    # 101: paused for the customer, resumed by the customer's reply, a private note, solved,
    # closed by the automation four days later.
    ("101", "2025-03-03T07:05:00Z", "created", None, None),
    ("101", "2025-03-03T07:05:00Z", "status", "new", None),
    ("101", "2025-03-03T07:05:00Z", "priority", "P3", None),
    ("101", "2025-03-03T07:05:00Z", "category", "incident", None),
    ("101", "2025-03-03T07:05:00Z", "assign", SD, None),
    ("101", "2025-03-03T07:40:00Z", "assign", KAISA, None),
    ("101", "2025-03-03T07:40:00Z", "reply", None, "agent"),
    ("101", "2025-03-03T07:40:00Z", "status", "pending_customer", None),
    ("101", "2025-03-03T12:15:00Z", "reply", None, "customer"),
    ("101", "2025-03-03T12:15:00Z", "status", "open", None),
    ("101", "2025-03-04T09:30:00Z", "note", None, "agent"),
    ("101", "2025-03-04T10:00:00Z", "reply", None, "agent"),
    ("101", "2025-03-04T10:00:00Z", "status", "resolved", None),
    ("101", "2025-03-08T10:00:05Z", "status", "closed", None),
    # 102: P1 at night, on hold with the vendor, lowered to P2 and moved to Field Service,
    # solved, reopened by the customer, solved again, closed.
    ("102", "2025-03-05T22:10:00Z", "created", None, None),
    ("102", "2025-03-05T22:10:00Z", "status", "new", None),
    ("102", "2025-03-05T22:10:00Z", "priority", "P1", None),
    ("102", "2025-03-05T22:10:00Z", "category", "incident", None),
    ("102", "2025-03-05T22:10:00Z", "assign", NET, None),
    ("102", "2025-03-05T22:25:00Z", "assign", MIKKO, None),
    ("102", "2025-03-05T22:25:00Z", "note", None, "agent"),
    ("102", "2025-03-05T22:25:00Z", "status", "on_hold", None),
    ("102", "2025-03-06T06:00:00Z", "priority", "P2", None),
    ("102", "2025-03-06T06:00:00Z", "assign", FIELD, None),
    ("102", "2025-03-06T06:00:00Z", "status", "open", None),
    ("102", "2025-03-06T11:00:00Z", "assign", KAISA, None),
    ("102", "2025-03-06T11:00:00Z", "reply", None, "agent"),
    ("102", "2025-03-06T11:00:00Z", "status", "resolved", None),
    ("102", "2025-03-06T13:30:00Z", "reply", None, "customer"),
    ("102", "2025-03-06T13:30:00Z", "status", "open", None),
    ("102", "2025-03-06T15:00:00Z", "reply", None, "agent"),
    ("102", "2025-03-06T15:00:00Z", "status", "resolved", None),
    ("102", "2025-03-10T15:00:10Z", "status", "closed", None),
    # 103: a trigger's auto-reply (system), then the agent's real first response.
    ("103", "2025-03-10T08:00:00Z", "created", None, None),
    ("103", "2025-03-10T08:00:00Z", "status", "new", None),
    ("103", "2025-03-10T08:00:00Z", "priority", "P2", None),
    ("103", "2025-03-10T08:00:00Z", "category", "question", None),
    ("103", "2025-03-10T08:00:00Z", "assign", SD, None),
    ("103", "2025-03-10T08:00:02Z", "reply", None, "system"),
    ("103", "2025-03-10T09:15:00Z", "assign", KAISA, None),
    ("103", "2025-03-10T09:15:00Z", "reply", None, "agent"),
    ("103", "2025-03-10T09:15:00Z", "status", "pending_customer", None),
    ("103", "2025-03-11T07:50:00Z", "reply", None, "customer"),
    ("103", "2025-03-11T07:50:00Z", "status", "open", None),
    ("103", "2025-03-11T09:00:00Z", "reply", None, "agent"),
    ("103", "2025-03-11T09:00:00Z", "status", "resolved", None),
    # 104: on hold in the custom status "Waiting on vendor" (hold by default), priority
    # lowered; its custom category field is not mapped by default.
    ("104", "2025-03-12T09:00:00Z", "created", None, None),
    ("104", "2025-03-12T09:00:00Z", "status", "new", None),
    ("104", "2025-03-12T09:00:00Z", "priority", "P3", None),
    ("104", "2025-03-12T09:00:00Z", "category", "incident", None),
    ("104", "2025-03-12T09:00:00Z", "assign", FIELD, None),
    ("104", "2025-03-12T10:00:00Z", "assign", KAISA, None),
    ("104", "2025-03-12T10:00:00Z", "reply", None, "agent"),
    ("104", "2025-03-12T10:00:00Z", "status", "on_hold", None),
    ("104", "2025-03-14T12:00:00Z", "status", "open", None),
    ("104", "2025-03-14T12:30:00Z", "priority", "P4", None),
    # 105: a phone ticket without priority or type, created by the agent.
    ("105", "2025-03-15T10:00:00Z", "created", None, None),
    ("105", "2025-03-15T10:00:00Z", "status", "new", None),
    ("105", "2025-03-15T10:20:00Z", "reply", None, "agent"),
    ("105", "2025-03-15T10:20:00Z", "status", "resolved", None),
    # 106, 107: no audits, the ticket record alone.
    ("106", "2025-02-20T08:00:00Z", "created", None, None),
    ("106", "2025-02-20T08:00:00Z", "priority", "P4", None),
    ("106", "2025-02-27T09:00:00Z", "status", "closed", None),
    ("107", "2025-03-16T11:00:00Z", "created", None, None),
    ("107", "2025-03-16T11:00:00Z", "status", "open", None),
    ("107", "2025-03-16T11:00:00Z", "priority", "P3", None),
]


def test_the_sample_export_gives_these_events() -> None:
    extract = read(EXPORT)
    assert extract.source == SOURCE == "zendesk"
    assert extract.problems == []
    assert events_of(extract) == EXPECTED
    assert extract.n_read == 8 + 24 + 3  # ticket records (104 twice), audits, ratings


def test_raw_values_and_places_stay_beside_the_events() -> None:
    events = read(EXPORT).events.slice(0, 6).to_pylist()
    assert [(e["raw_value"], e["ref"]) for e in events] == [
        (None, "audits[0]"),
        ("new", "audits[0].events[3]"),
        ("normal", "audits[0].events[4]"),
        ("incident", "audits[0].events[5]"),
        ("501", "audits[0].events[7]"),
        ("8001", "audits[1].events[0]"),
    ]
    assert {e["file"] for e in events} == {str(EXPORT / "audits-101.json")}
    assert {e["line"] for e in events} == {None}


def test_what_is_not_mapped_is_counted() -> None:
    assert read(EXPORT).ignored == {
        "Change 360000111": 1,
        "Change assignee_id to none": 1,
        "Change custom_status_id": 5,
        "Comment (description, part of created)": 5,
        "Create 360000111": 1,
        "Create custom_status_id": 2,
        "Create priority to none": 1,
        "Create requester_id": 1,
        "Create subject": 1,
        "Create tags": 1,
        "Create type to none": 1,
        "Notification": 3,
        "SatisfactionRating": 1,
        "VoiceComment": 1,
    }


def test_the_tickets_table() -> None:
    tickets = read(EXPORT).tickets
    assert tickets.column_names == [
        "ticket_id",
        "customer",
        "service",
        "type",
        "requester",
        "subject",
        "organization_id",
        "tags",
    ]
    rows = {row["ticket_id"]: row for row in tickets.to_pylist()}
    assert list(rows) == ["101", "102", "103", "104", "105", "106", "107"]
    assert rows["102"] == {
        "ticket_id": "102",
        "customer": "Revontuli Logistics",
        "service": "Field Service",  # the group now, after the reassignment
        "type": "incident",
        "requester": "9002",
        "subject": "Core switch down in the warehouse",
        "organization_id": "702",
        "tags": "network warehouse",
    }
    assert rows["105"]["type"] == "incident"  # Zendesk's type is null
    assert (rows["105"]["customer"], rows["105"]["service"]) == (None, None)


def test_the_events_read_clean_as_a_canonical_log() -> None:
    extract = read(EXPORT)
    table = extract.events.select(["ticket_id", "ts", "kind", "value", "actor"])
    result = events_from_table(table, file="zendesk", strict=True)
    assert result.problems == []
    assert result.n_kept == len(EXPECTED)
    assert result.log.ticket_ids == ("101", "102", "103", "104", "105", "106", "107")


def test_reading_is_deterministic() -> None:
    first, second = read(EXPORT), read(EXPORT)
    assert first.events.equals(second.events)
    assert first.tickets.equals(second.tickets)
    assert first.feedback is not None and first.feedback.equals(second.feedback)
