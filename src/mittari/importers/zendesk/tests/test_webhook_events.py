"""Event-webhook bodies for tickets (`zen:event-type:ticket.*`), one rule at a time."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mittari.errors import Problem
from mittari.importers.canonical import events_from_table
from mittari.importers.zendesk import DEFAULT_MAPPING, ZendeskExtract, events_from_event_webhook
from mittari.importers.zendesk.tests.webhook_bodies import (
    AT,
    CREATED_AT,
    MAPPING,
    body,
    change,
    comment,
    rows,
    run,
)


def test_created_gives_the_initial_state_at_created_at() -> None:
    extract = run(body("created", time="2025-04-17T17:18:10.672717030Z", updated_at=CREATED_AT))
    assert rows(extract) == [
        (CREATED_AT, "created", None, None, None),
        (CREATED_AT, "status", "open", None, "OPEN"),
        (CREATED_AT, "priority", "P2", None, "HIGH"),
        (CREATED_AT, "assign", "3003", None, "3003"),
        (CREATED_AT, "assign", "2002", None, "2002"),
        (CREATED_AT, "category", "incident", None, "INCIDENT"),
    ]
    events = extract.events
    assert set(events.column("ticket_id").to_pylist()) == {"35436"}
    assert set(events.column("file").to_pylist()) == {"<webhook>"}
    assert set(events.column("line").to_pylist()) == {None}
    assert set(events.column("ref").to_pylist()) == {"event evt-1 zen:event-type:ticket.created"}
    assert (extract.source, extract.n_read, extract.ignored) == ("zendesk", 1, {})


def test_created_without_created_at_and_without_initial_values() -> None:
    payload = body("created", created_at=None, assignee_id="", group_id="0", priority=None)
    assert rows(run(payload, mapping=MAPPING.model_copy(update={"category_fields": []}))) == [
        (AT, "created", None, None, None),
        (AT, "status", "open", None, "OPEN"),
    ]


def test_created_assigns_only_the_fields_of_assign_fields() -> None:
    mapping = MAPPING.model_copy(update={"assign_fields": ["assignee_id"]})
    assert [r[1:3] for r in rows(run(body("created"), mapping=mapping))] == [
        ("created", None),
        ("status", "open"),
        ("priority", "P2"),
        ("assign", "2002"),
        ("category", "incident"),
    ]


@pytest.mark.parametrize("zendesk", ["PENDING", "pending", "Pending"])
def test_a_status_change_in_any_case(zendesk: str) -> None:
    extract = run(body("status_changed", change(zendesk, "OPEN")))
    assert rows(extract) == [(AT, "status", "pending_customer", None, zendesk)]


@pytest.mark.parametrize(
    ("kind", "event", "expected"),
    [
        ("priority_changed", change("URGENT", "HIGH"), ("priority", "P1", "URGENT")),
        ("priority_changed", change("low", "HIGH"), ("priority", "P4", "low")),
        ("group_assignment_changed", change("3004", "3003"), ("assign", "3004", "3004")),
        ("agent_assignment_changed", change(2005, 2002), ("assign", "2005", "2005")),
        ("type_changed", change("PROBLEM", "INCIDENT"), ("category", "problem", "PROBLEM")),
        ("soft_deleted", {}, ("status", "cancelled", "deleted")),
        ("marked_as_spam", {}, ("status", "cancelled", "deleted")),
        ("undeleted", {}, ("status", "open", "OPEN")),
    ],
)
def test_a_change_is_one_event_at_the_bodys_time(
    kind: str, event: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    extract = run(body(kind, event))
    kind_, value, raw = expected
    assert rows(extract) == [(AT, kind_, value, None, raw)]
    assert extract.events.column("ref").to_pylist() == [f"event evt-1 zen:event-type:ticket.{kind}"]


CLEARABLE = ["priority_changed", "group_assignment_changed", "agent_assignment_changed"]


@pytest.mark.parametrize("kind", [*CLEARABLE, "type_changed"])
@pytest.mark.parametrize("cleared", [None, ""])
def test_a_cleared_value_gives_no_event(kind: str, cleared: str | None) -> None:
    extract = run(body(kind, change(cleared, "1")))
    assert (rows(extract), extract.ignored) == ([], {f"ticket.{kind} to none": 1})


def test_fields_the_mapping_does_not_list_give_no_event() -> None:
    mapping = MAPPING.model_copy(update={"assign_fields": ["group_id"], "category_fields": []})
    for kind in ("agent_assignment_changed", "type_changed"):
        extract = run(body(kind, change("TASK", None)), mapping=mapping)
        assert (rows(extract), extract.ignored) == ([], {f"ticket.{kind}": 1})


def test_a_custom_field_of_category_fields_is_a_category() -> None:
    mapping = MAPPING.model_copy(update={"category_fields": ["type", "360000111"]})

    def change(field_id: str, value: object) -> Any:
        field = {"id": field_id, "title": "Product", "type": "tagger"}
        event = {"custom_field": field, "current": {"value": value}, "previous": {"value": None}}
        return body("custom_field_changed", event)

    assert rows(run(change("360000111", "printer"), mapping=mapping)) == [
        (AT, "category", "printer", None, "printer")
    ]
    assert rows(run(change("360000111", ["a", "b"]), mapping=mapping))[0][2] == "a,b"
    other = run(change("360000999", "x"), mapping=mapping)
    assert (rows(other), other.ignored) == ([], {"ticket.custom_field_changed": 1})


def test_custom_statuses_the_mapping_names() -> None:
    mapping = MAPPING.model_copy(update={"custom_statuses": {"6003": "pending_vendor"}})

    def custom(current: str, previous: str) -> ZendeskExtract:
        return run(body("custom_status_changed", change(current, previous)), mapping=mapping)

    assert rows(custom("6003", "6001")) == [(AT, "status", "pending_vendor", None, "6003")]
    assert rows(custom("6001", "6003")) == [(AT, "status", "open", None, "OPEN")]  # left it
    unnamed = custom("6002", "6001")
    assert (rows(unnamed), unnamed.ignored) == (
        [],
        {"ticket.custom_status_changed (its category is the status)": 1},
    )
    both = body("status_changed", change("HOLD", "OPEN"), custom_status="6003")
    told = run(both, mapping=mapping)  # the custom_status_changed body tells it
    assert (rows(told), told.ignored) == (
        [],
        {"ticket.status_changed (a named custom status stands for it)": 1},
    )
    created = run(body("created", custom_status="6003", status="HOLD"), mapping=mapping)
    assert rows(created)[1] == (CREATED_AT, "status", "pending_vendor", None, "6003")


@pytest.mark.parametrize("kind", ["tags_changed", "merged", "permanently_deleted", "new_kind"])
def test_other_ticket_events_are_counted_and_give_the_tickets_row(kind: str) -> None:
    extract = run(body(kind, {"current": "x"}))
    assert (rows(extract), extract.ignored) == ([], {f"ticket.{kind}": 1})
    assert extract.tickets.column("ticket_id").to_pylist() == ["35436"]


def test_events_of_other_domains_are_counted_without_a_ticket() -> None:
    payload = {"type": "zen:event-type:user.created", "id": "e", "time": AT, "detail": {"id": "1"}}
    extract = run(payload)
    assert (extract.ignored, extract.events.num_rows, extract.tickets.num_rows) == (
        {"user.created": 1},
        0,
        0,
    )


def test_unmapped_values_are_problems() -> None:
    status = body("status_changed", change("ESCALATED", "OPEN"))
    priority = body("priority_changed", change("CRITICAL", "HIGH"))
    created = body("created", status="ARCHIVED")
    extracts = [events_from_event_webhook(b, file="hook-1") for b in (status, priority, created)]

    def unmapped(field: str, what: str, value: str) -> Problem:
        section = "statuses" if what == "status" else "priorities"
        message = f"{what} {value!r} is not mapped; add it under `{section}:` in {DEFAULT_MAPPING}"
        return Problem("hook-1", None, field, value, message)

    assert [p for e in extracts for p in e.problems] == [
        unmapped("event.current", "status", "ESCALATED"),
        unmapped("event.current", "priority", "CRITICAL"),
        unmapped("detail.status", "status", "ARCHIVED"),
    ]
    assert [e.events.num_rows for e in extracts] == [0, 0, 5]  # created keeps the rest
    given = events_from_event_webhook(status, mapping=MAPPING)
    assert given.problems[0].message.endswith("in the mapping given")


def test_a_body_that_cannot_be_placed_is_a_problem() -> None:
    late = events_from_event_webhook(body("status_changed", time="2025-04-17 17:20:00"))
    nameless = events_from_event_webhook(body("status_changed", id=None) | {"subject": None})
    not_event = events_from_event_webhook({"ticket": {"id": 1}})
    assert [(p.field, p.message) for p in late.problems] == [
        ("time", "a timestamp without a UTC offset; name the export's time zone (timezone=...)"
         "; its event is skipped")
    ]  # fmt: skip
    statusless = events_from_event_webhook(body("status_changed", change(None, "OPEN")))
    assert [(p.field, p.message) for p in statusless.problems] == [
        ("event.current", "no status; its event is skipped")
    ]
    assert [p.field for p in nameless.problems + not_event.problems] == ["detail.id", "type"]
    assert late.tickets.num_rows == 1 and nameless.tickets.num_rows == 0


def test_the_ticket_id_comes_from_the_subject_when_detail_has_none() -> None:
    extract = run(body("status_changed", change("SOLVED", "OPEN"), id=None))
    assert extract.events.column("ticket_id").to_pylist() == ["35436"]


def test_the_tickets_row() -> None:
    assert run(body("created")).tickets.to_pylist() == [
        {
            "ticket_id": "35436",
            "customer": "4004",  # no organizations in a webhook: the id
            "service": "3003",
            "type": "incident",
            "requester": "1001",
            "subject": "Cannot log in",
            "organization_id": "4004",
            "tags": "login",
        }
    ]


def test_the_same_body_gives_the_same_events() -> None:
    payload = body("comment_added", comment({"id": "2002", "is_staff": True}))
    before = copy.deepcopy(payload)
    first, second = run(payload), run(payload, mapping=DEFAULT_MAPPING)
    assert first.events.equals(second.events) and first.tickets.equals(second.tickets)
    assert payload == before  # the body is not changed


def test_created_round_trips_through_the_canonical_reader() -> None:
    extract = run(body("created"))
    columns = ["ticket_id", "ts", "kind", "value", "actor"]
    result = events_from_table(extract.events.select(columns))
    assert result.problems == []
    assert result.n_read == extract.events.num_rows == 6
