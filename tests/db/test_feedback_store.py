"""Survey answers in the store, on SQLite and PostgreSQL: idempotent imports, problems kept
with their place, invitations that get their answer, and the experience figures of a
stored customer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mittari.db.models import Feedback, ImportBatch, RejectedRow
from mittari.importers.zendesk.tests import EXPORT
from mittari.services.experience import customer_experience
from mittari.services.feedback import import_feedback
from mittari.services.ingest import import_source

SAMPLES = Path(__file__).parents[2] / "src/mittari/importers/feedback/samples"
AS_OF = 1_777_500_000_000_000  # 2026-04-29T22:00:00Z
EVENTS = """ticket_id,ts,kind,value,actor
SD-1,2026-03-02T06:00:00Z,created,,
SD-1,2026-03-02T07:00:00Z,reply,,agent
SD-1,2026-03-02T08:00:00Z,status,resolved,
SD-2,2026-03-03T06:00:00Z,created,,
SD-2,2026-03-03T07:00:00Z,reply,,agent
SD-2,2026-03-03T07:30:00Z,reply,,customer
SD-2,2026-03-03T08:00:00Z,status,resolved,
SD-3,2026-03-05T06:00:00Z,created,,
SD-3,2026-03-05T07:00:00Z,status,resolved,
"""
TICKETS = """ticket_id,customer,service,requester
SD-1,acme,email,alice
SD-2,acme,email,alice
SD-3,acme,laptops,bob
"""


def count(db: Engine, model: type) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def _tickets(db: Engine, tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    import_source(db, "canonical", tmp_path / "events.csv", tickets=tmp_path / "tickets.csv")


def test_a_survey_import_is_idempotent_and_links_stored_tickets(db: Engine, tmp_path: Path) -> None:
    _tickets(db, tmp_path)
    first = import_feedback(db, SAMPLES / "answers.csv", customer="acme")
    again = import_feedback(db, SAMPLES / "answers.csv", customer="acme")
    assert (first.status, first.n_read, first.n_added, first.n_duplicates) == ("committed", 8, 8, 0)
    assert first.n_unlinked == 3  # SD-4, SD-5 and SD-6 are not stored; the pulse names none
    assert (again.n_added, again.n_duplicates) == (0, 8)
    assert count(db, Feedback) == 8
    with db.connect() as conn:
        row = conn.execute(
            select(Feedback.ticket_id, Feedback.factors, Feedback.lost_time, Feedback.survey).where(
                Feedback.external_id == "a-2"
            )
        ).one()
    assert row.ticket_id is not None and row.factors == "explain_again,not_fixed"
    assert (row.lost_time, row.survey) == ("2-4h", "ticket")


def test_problems_are_kept_with_file_line_field_and_value(db: Engine) -> None:
    stored = import_feedback(db, SAMPLES / "answers_errors.csv", customer="acme")
    assert (stored.n_added, stored.n_rejected) == (1, 9)
    with db.connect() as conn:
        rows = conn.execute(select(RejectedRow.line, RejectedRow.field, RejectedRow.value)).all()
    assert (2, "score", "11") in rows and (5, "factors", "coffee") in rows
    strict = import_feedback(db, SAMPLES / "answers_errors.csv", customer="acme", strict=True)
    assert strict.status == "rejected" and strict.n_added == 0
    assert count(db, Feedback) == 1
    with db.connect() as conn:
        statuses = conn.scalars(select(ImportBatch.status).order_by(ImportBatch.id)).all()
    assert statuses == ["committed", "rejected"]


def test_a_zendesk_invitation_takes_its_answer_from_a_later_export(
    db: Engine, tmp_path: Path
) -> None:
    # Tickets 101 and 103 are Kalliokone's; 102 is another customer's, and so is its rating
    first = import_source(db, "zendesk", EXPORT, customer="Kalliokone Oy")
    assert first.n_feedback == 2
    later = tmp_path / "export"
    shutil.copytree(EXPORT, later)
    ratings = json.loads((later / "satisfaction_ratings.json").read_text(encoding="utf-8"))
    third = ratings["satisfaction_ratings"][2]
    third |= {
        "score": "good",
        "comment": "Toimii taas, kiitos!",
        "updated_at": "2025-03-12T08:00:00Z",
    }
    (later / "satisfaction_ratings.json").write_text(json.dumps(ratings), encoding="utf-8")
    again = import_source(db, "zendesk", later, customer="Kalliokone Oy")
    assert again.n_feedback == 1  # the invitation answered; the answer stays as it was
    with db.connect() as conn:
        rows = conn.execute(
            select(
                Feedback.external_id, Feedback.score, Feedback.factors, Feedback.ticket_id
            ).order_by(Feedback.external_id)
        ).all()
    assert [(r.external_id, r.score, r.factors) for r in rows] == [
        ("601", "good", None),
        ("603", "good", None),
    ]
    assert all(r.ticket_id is not None for r in rows)


def test_the_experience_of_a_stored_customer(db: Engine, tmp_path: Path) -> None:
    import_feedback(db, SAMPLES / "answers.csv", customer="acme")  # before its tickets
    _tickets(db, tmp_path)
    table = customer_experience(db, "acme", as_of_us=AS_OF, month="2026-03")
    rows = {r["service"]: r for r in table.to_pylist()}
    email = rows["email"]
    # SD-1 (10) and SD-2 (3) answered on 0-10: happiness (1 - 1) / 2
    assert (email["answers"], email["happiness"], email["resolved"]) == (2, 0.0, 2)
    assert email["response_rate_pct"] == 100.0 and email["fcr_pct"] == 50.0
    assert email["repeat_contact_pct"] == 50.0  # SD-2: alice again on email within 7 days
    laptops = rows["laptops"]  # SD-3 (8 on 0-10) and SD-4 (4 on 1-5, its ticket unknown)
    assert (laptops["answers"], laptops["csat_pct"], laptops["csat_mean"]) == (2, 100.0, 4.0)
    assert rows[None]["nps"] == 0.0  # the pulse: one 9, one 6
    assert table.column("month").to_pylist() == ["2026-03"] * table.num_rows


def test_an_unknown_customer_is_an_input_error(db: Engine) -> None:
    from mittari.errors import InputError

    with pytest.raises(InputError):
        customer_experience(db, "nobody", as_of_us=AS_OF)
