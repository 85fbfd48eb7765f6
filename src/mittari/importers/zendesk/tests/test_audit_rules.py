"""Each mapping rule of an audit, on the smallest payload that shows it."""

from __future__ import annotations

from typing import Any

import pytest

from mittari.importers.zendesk import events_from_audit, load_zendesk_mapping
from mittari.importers.zendesk.tests.conftest import (
    audit,
    change,
    comment,
    create,
    events_of,
    ticket,
)

AT = "2025-03-03T08:00:00Z"
USERS = [
    {"id": 9001, "name": "Requester", "role": "end-user"},
    {"id": 9002, "name": "Colleague", "role": "end-user"},
    {"id": 8001, "name": "Agent A", "role": "agent"},
    {"id": 8002, "name": "Admin B", "role": "admin"},
]
GROUPS = [{"id": 501, "name": "Service Desk"}]


def one(*events: dict[str, Any], author: int = 8001, channel: str = "web") -> list[tuple[Any, ...]]:
    """(kind, value, actor) of the events of one update audit of ticket 7."""
    payload = audit(1, 7, AT, author, *events, channel=channel)
    extract = events_from_audit(payload, ticket(7, requester_id=9001), USERS, groups=GROUPS)
    assert extract.problems == []
    return [row[2:] for row in events_of(extract)]


@pytest.mark.parametrize(
    ("zendesk", "canonical"),
    [
        ("new", "new"),
        ("open", "open"),
        ("pending", "pending_customer"),
        ("hold", "on_hold"),
        ("solved", "resolved"),
        ("closed", "closed"),
    ],
)
def test_statuses(zendesk: str, canonical: str) -> None:
    assert one(change(1, "status", zendesk, "open")) == [("status", canonical, None)]


@pytest.mark.parametrize(
    ("zendesk", "canonical"), [("urgent", "P1"), ("high", "P2"), ("normal", "P3"), ("low", "P4")]
)
def test_priorities(zendesk: str, canonical: str) -> None:
    assert one(change(1, "priority", zendesk, "normal")) == [("priority", canonical, None)]


def test_a_priority_removed_gives_no_event() -> None:
    assert one(change(1, "priority", None, "normal")) == []


def test_group_and_agent_by_name_when_side_loaded_else_by_id() -> None:
    assert one(
        change(1, "group_id", "501", None),
        change(2, "assignee_id", "8001", None),
        change(3, "group_id", "502", "501"),
        change(4, "assignee_id", 8003, "8001"),
        change(5, "assignee_id", None, "8003"),
    ) == [
        ("assign", "Service Desk", None),
        ("assign", "Agent A", None),
        ("assign", "502", None),
        ("assign", "8003", None),
    ]


def test_type_is_a_category_and_other_fields_are_not_events() -> None:
    assert one(
        change(1, "type", "problem", "incident"),
        change(2, "subject", "New subject", "Old subject"),
        change(3, "tags", ["a", "b"], ["a"]),
        change(4, "360000111", "hardware", "printing"),
    ) == [("category", "problem", None)]


@pytest.mark.parametrize(
    ("comment_event", "author", "channel", "actor"),
    [
        (comment(1, 9001), 9001, "email", "customer"),  # the requester
        (comment(1, 9002), 9002, "web", "customer"),  # another end-user (a CC)
        (comment(1, 8001), 8001, "web", "agent"),
        (comment(1, 8002), 8002, "web", "agent"),  # an admin is an agent
        (comment(1, 8009), 8009, "web", "agent"),  # not side-loaded, not the requester
        (comment(1, -1), -1, "web", "system"),  # Zendesk itself
        (comment(1, 8001), 8001, "rule", "system"),  # the audit came from a trigger
        (comment(1, 8001, via={"channel": "rule"}), 8001, "web", "system"),  # the event did
        (comment(1, 9001, via={"channel": "system"}), 9001, "web", "system"),
    ],
)
def test_comment_actors(
    comment_event: dict[str, Any], author: int, channel: str, actor: str
) -> None:
    assert one(comment_event, author=author, channel=channel) == [("reply", None, actor)]


def test_the_author_of_a_comment_is_the_audits_when_the_event_has_none() -> None:
    event = {"id": 1, "type": "Comment", "body": "text", "public": True}
    assert one(event, author=9001) == [("reply", None, "customer")]


def test_a_private_comment_is_a_note() -> None:
    assert one(comment(1, 8001, public=False), comment(2, 9001, public=False)) == [
        ("note", None, "agent"),
        ("note", None, "customer"),
    ]


def test_other_event_types_are_counted_not_mapped() -> None:
    payload = audit(
        1,
        7,
        AT,
        8001,
        {"id": 1, "type": "Notification", "body": "x", "recipients": [9001]},
        {"id": 2, "type": "VoiceComment", "public": False, "data": {}},
        {"id": 3, "type": "SatisfactionRating", "score": "offered"},
        {"id": 4, "type": "SomethingNew"},
        {"id": 5, "type": "Notification", "body": "y", "recipients": [9001]},
    )
    extract = events_from_audit(payload)
    assert extract.events.num_rows == 0
    assert extract.ignored == {
        "Notification": 2,
        "SatisfactionRating": 1,
        "SomethingNew": 1,
        "VoiceComment": 1,
    }


def test_the_create_audit_gives_created_and_its_first_comment_is_the_request() -> None:
    payload = audit(
        1,
        7,
        AT,
        9001,
        comment(11, 9001),
        create(12, "status", "new"),
        create(13, "priority", "high"),
        create(14, "group_id", "501"),
        comment(15, 8001, public=False),  # a second comment in the same audit is one
    )
    extract = events_from_audit(payload, None, USERS, groups=GROUPS)
    assert [row[2:] for row in events_of(extract)] == [
        ("created", None, None),
        ("status", "new", None),
        ("priority", "P2", None),
        ("assign", "Service Desk", None),
        ("note", None, "agent"),
    ]
    assert extract.ignored == {"Comment (description, part of created)": 1}


def test_an_update_audit_gives_no_created() -> None:
    assert one(comment(1, 8001)) == [("reply", None, "agent")]


def test_the_requester_is_known_from_the_create_audit_without_a_ticket() -> None:
    payload = audit(
        1, 7, AT, 9009, comment(11, 9009), create(12, "requester_id", "9009"), comment(13, 9009)
    )
    extract = events_from_audit(payload)  # 9009 is in no user list
    assert [row[2:] for row in events_of(extract)] == [
        ("created", None, None),
        ("reply", None, "customer"),
    ]


def test_a_named_custom_status_stands_for_the_status_change_of_its_audit() -> None:
    mapping = load_zendesk_mapping().model_copy(
        update={"custom_statuses": {"9100004": "pending_vendor"}}
    )
    events = [change(1, "status", "hold", "open"), change(2, "custom_status_id", 9100004, 9100002)]
    extract = events_from_audit(audit(1, 7, AT, 8001, *events), mapping=mapping)
    assert [row[2:] for row in events_of(extract)] == [("status", "pending_vendor", None)]
    assert extract.events.column("raw_value").to_pylist() == ["9100004"]
    alone = events_from_audit(audit(2, 7, AT, 8001, events[1]), mapping=mapping)
    assert [row[2:] for row in events_of(alone)] == [("status", "pending_vendor", None)]


def test_a_custom_status_not_named_is_its_category_told_by_the_status_field() -> None:
    assert one(
        change(1, "status", "hold", "open"), change(2, "custom_status_id", 9100004, 9100002)
    ) == [("status", "on_hold", None)]
    assert one(change(1, "custom_status_id", 9100006, 9100004)) == []


def test_events_of_one_audit_happen_at_its_time_in_its_order() -> None:
    payload = audit(
        1,
        7,
        "2025-03-03T10:00:00+02:00",
        8001,
        change(1, "status", "solved", "open"),
        comment(2, 8001),
    )
    extract = events_from_audit(payload)
    assert events_of(extract) == [
        ("7", "2025-03-03T08:00:00Z", "status", "resolved", None),
        ("7", "2025-03-03T08:00:00Z", "reply", None, "agent"),
    ]
