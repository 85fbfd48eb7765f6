"""Tickets without audits: what the ticket record alone tells, and which copy is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mittari.importers.zendesk import load_zendesk_mapping, read
from mittari.importers.zendesk.mapping import ServiceSource
from mittari.importers.zendesk.tests.conftest import (
    audit,
    change,
    comment,
    create,
    events_of,
    ticket,
)

Export = Callable[..., Path]
CREATED, UPDATED = "2025-03-03T08:00:00Z", "2025-03-03T09:00:00Z"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            "new",
            [("created", CREATED, None), ("status", CREATED, "new"), ("priority", CREATED, "P3")],
        ),
        (
            "open",
            [("created", CREATED, None), ("status", CREATED, "open"), ("priority", CREATED, "P3")],
        ),
        (
            "pending",
            [
                ("created", CREATED, None),
                ("priority", CREATED, "P3"),
                ("status", UPDATED, "pending_customer"),
            ],
        ),
        (
            "hold",
            [
                ("created", CREATED, None),
                ("priority", CREATED, "P3"),
                ("status", UPDATED, "on_hold"),
            ],
        ),
        (
            "solved",
            [
                ("created", CREATED, None),
                ("priority", CREATED, "P3"),
                ("status", UPDATED, "resolved"),
            ],
        ),
        (
            "closed",
            [
                ("created", CREATED, None),
                ("priority", CREATED, "P3"),
                ("status", UPDATED, "closed"),
            ],
        ),
        (
            "deleted",
            [
                ("created", CREATED, None),
                ("priority", CREATED, "P3"),
                ("status", UPDATED, "cancelled"),
            ],
        ),
    ],
)
def test_a_ticket_without_audits(
    export: Export, status: str, expected: list[tuple[str, str, str | None]]
) -> None:
    extract = read(export(page={"tickets": [ticket(7, status=status)], "end_of_stream": True}))
    assert extract.problems == []
    assert [(kind, ts, value) for _, ts, kind, value, _ in events_of(extract)] == expected


def test_a_ticket_without_priority_gets_no_priority_event(export: Export) -> None:
    extract = read(export(page={"tickets": [ticket(7, priority=None, status="open")]}))
    assert [row[2] for row in events_of(extract)] == ["created", "status"]


def test_the_latest_copy_of_a_ticket_is_kept_whatever_the_file_order(export: Export) -> None:
    old = ticket(7, status="open", updated_at="2025-03-03T09:00:00Z", subject="Old")
    new = ticket(7, status="solved", updated_at="2025-03-04T09:00:00Z", subject="New")
    extract = read(export(a={"tickets": [new]}, b={"tickets": [old]}))
    assert events_of(extract)[-1] == ("7", "2025-03-04T09:00:00Z", "status", "resolved", None)
    assert extract.tickets.column("subject").to_pylist() == ["New"]
    assert extract.n_read == 2


def test_audits_are_the_history_when_there_are_any(export: Export) -> None:
    record = ticket(7, status="solved", updated_at="2025-03-04T09:00:00Z")
    history = [audit(1, 7, CREATED, 9001, comment(11, 9001), create(12, "status", "new"))]
    extract = read(export(t={"tickets": [record]}, a={"audits": history}))
    assert [row[2:4] for row in events_of(extract)] == [("created", None), ("status", "new")]


def test_created_comes_from_the_record_when_no_exported_audit_created_the_ticket(
    export: Export,
) -> None:
    record = ticket(7, status="solved")
    later = [
        audit(
            2,
            7,
            "2025-03-03T08:30:00Z",
            8001,
            comment(21, 8001),
            change(22, "status", "solved", "open"),
        )
    ]
    extract = read(export(t={"tickets": [record]}, a={"audits": later}))
    assert events_of(extract) == [
        ("7", CREATED, "created", None, None),
        ("7", "2025-03-03T08:30:00Z", "reply", None, "agent"),
        ("7", "2025-03-03T08:30:00Z", "status", "resolved", None),
    ]
    assert extract.events.column("ref").to_pylist()[0] == "tickets[0]"


def test_a_deleted_ticket_is_cancelled_after_its_audits(export: Export) -> None:
    record = ticket(7, status="deleted", updated_at="2025-03-05T09:00:00Z")
    history = [audit(1, 7, CREATED, 9001, comment(11, 9001), create(12, "status", "new"))]
    extract = read(export(t={"tickets": [record]}, a={"audits": history}))
    assert events_of(extract)[-1] == ("7", "2025-03-05T09:00:00Z", "status", "cancelled", None)


def test_service_from_a_custom_field_or_brand(export: Export) -> None:
    record = ticket(7, brand_id=11, custom_fields=[{"id": 360000222, "value": "email"}])
    folder = export(t={"tickets": [record], "brands": [{"id": 11, "name": "Helpdesk Brand"}]})
    default = load_zendesk_mapping()
    by_field = default.model_copy(
        update={"service": ServiceSource(source="custom_field", field_id=360000222)}
    )
    by_brand = default.model_copy(update={"service": ServiceSource(source="brand")})
    assert read(folder, mapping=by_field).tickets.column("service").to_pylist() == ["email"]
    assert read(folder, mapping=by_brand).tickets.column("service").to_pylist() == [
        "Helpdesk Brand"
    ]
