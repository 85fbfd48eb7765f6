"""Satisfaction ratings → the feedback table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mittari.importers.zendesk import FEEDBACK_SCHEMA, read
from mittari.importers.zendesk.tests import EXPORT

Export = Callable[..., Path]


def rating(rid: int, ticket: int | None, score: str, updated: str, **extra: Any) -> dict[str, Any]:
    found = {
        "id": rid,
        "ticket_id": ticket,
        "score": score,
        "created_at": "2025-03-04T10:00:00Z",
        "updated_at": updated,
        "comment": None,
        "reason": None,
        "reason_code": None,
    }
    return {**found, **extra}


def test_the_sample_ratings() -> None:
    feedback = read(EXPORT).feedback
    assert feedback is not None and feedback.schema == FEEDBACK_SCHEMA
    assert feedback.to_pylist() == [
        {
            "ticket_id": "101",
            "ts": datetime(2025, 3, 4, 12, 2, tzinfo=UTC),
            "score": "good",
            "scale": "good/bad",
            "comment": "Quick fix, thanks!",
            "reason": None,  # reason code 0: "No reason provided"
            "rating_id": "601",
            "source": "zendesk",
        },
        {
            "ticket_id": "102",
            "ts": datetime(2025, 3, 6, 13, 31, tzinfo=UTC),
            "score": "bad",
            "scale": "good/bad",
            "comment": "It took two visits.",
            "reason": "The issue was not resolved",
            "rating_id": "602",
            "source": "zendesk",
        },
        {
            "ticket_id": "103",
            "ts": datetime(2025, 3, 11, 9, 0, 30, tzinfo=UTC),
            "score": "offered",
            "scale": "good/bad",
            "comment": None,
            "reason": None,
            "rating_id": "603",
            "source": "zendesk",
        },
    ]


def test_a_rating_exported_twice_is_kept_as_its_latest_form(export: Export) -> None:
    offered = rating(9, 7, "offered", "2025-03-04T10:00:00Z")
    answered = rating(9, 7, "bad", "2025-03-05T08:00:00Z", comment="Slow", reason="Too slow")
    for pages in ({"a": [offered], "b": [answered]}, {"a": [answered], "b": [offered]}):
        folder = export(**{name: {"satisfaction_ratings": items} for name, items in pages.items()})
        feedback = read(folder).feedback
        assert feedback is not None
        assert feedback.select(["rating_id", "score", "comment", "reason"]).to_pylist() == [
            {"rating_id": "9", "score": "bad", "comment": "Slow", "reason": "Too slow"}
        ]


def test_ratings_in_ticket_order_then_time(export: Export) -> None:
    items = [
        rating(3, 12, "good", "2025-03-06T08:00:00Z"),
        rating(1, 7, "unoffered", "2025-03-05T08:00:00Z"),
        rating(2, 7, "good", "2025-03-04T08:00:00Z"),
    ]
    feedback = read(export(r={"satisfaction_ratings": items})).feedback
    assert feedback is not None
    assert feedback.column("rating_id").to_pylist() == ["2", "1", "3"]


def test_bad_ratings_are_problems(export: Export) -> None:
    items = [
        rating(1, None, "good", "2025-03-05T08:00:00Z"),
        rating(2, 7, "great", "2025-03-05T08:00:00Z"),
        rating(3, 7, "good", "yesterday"),
    ]
    extract = read(export(r={"satisfaction_ratings": items}))
    assert [(p.field, p.value) for p in extract.problems] == [
        ("satisfaction_ratings[0].ticket_id", None),
        ("satisfaction_ratings[1].score", "great"),
        ("satisfaction_ratings[2].updated_at", "yesterday"),
    ]
    assert extract.feedback is not None and extract.feedback.num_rows == 0
