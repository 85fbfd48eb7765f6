"""Zendesk good/bad ratings and JSM 1-5 CSAT mapped onto the experience model."""

from __future__ import annotations

from mittari.importers.feedback import ANSWER_SCHEMA, from_importer
from mittari.importers.jira.feedback import FeedbackRows
from mittari.importers.zendesk import read as read_zendesk
from mittari.importers.zendesk.tests import EXPORT


def test_zendesk_ratings_become_answers_with_their_reason_as_a_factor() -> None:
    feedback = read_zendesk(EXPORT).feedback
    assert feedback is not None
    answers = from_importer("zendesk", feedback, "export")
    assert answers.schema == ANSWER_SCHEMA
    rows = answers.select(["external_id", "ticket_id", "scale", "score", "factors"]).to_pylist()
    assert rows == [
        {
            "external_id": "601",
            "ticket_id": "101",
            "scale": "good/bad",
            "score": "good",
            "factors": None,
        },
        {
            "external_id": "602",
            "ticket_id": "102",
            "scale": "good/bad",
            "score": "bad",
            "factors": ["not_fixed"],
        },
        {
            "external_id": "603",
            "ticket_id": "103",
            "scale": "good/bad",
            "score": "offered",
            "factors": None,
        },
    ]
    assert set(answers.column("survey").to_pylist()) == {"ticket"}


def test_jsm_csat_becomes_an_answer_on_the_one_to_five_scale() -> None:
    rows = FeedbackRows()
    rows.add("SD-12", None, 4, "Great work!")
    answers = from_importer("jira", rows.table(), "SD-12.feedback.json")
    assert answers.select(
        ["external_id", "ticket_id", "scale", "score", "comment"]
    ).to_pylist() == [
        {
            "external_id": "SD-12",
            "ticket_id": "SD-12",
            "scale": "1-5",
            "score": "4",
            "comment": "Great work!",
        }
    ]
    assert answers.column("answered_at").null_count == 1
