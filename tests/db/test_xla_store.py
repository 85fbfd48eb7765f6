"""XLA compliance and the watermelon matrix of a stored customer, on both databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from tests.db.test_feedback_store import AS_OF, SAMPLES, _tickets

from mittari.engine.xla import Cell
from mittari.services.feedback import import_feedback
from mittari.services.stored import add_contract, measure_customer
from mittari.services.watermelon_stored import customer_watermelon
from mittari.services.xla import customer_xla

CONTRACT = """apiVersion: mittari/v1
kind: Contract
metadata: {customer: acme, name: Acme, version: "2026.1"}
spec:
  timezone: UTC
  effective: {from: 2026-01-01}
  calendars:
    always: {alwaysOpen: true}
  metrics:
    first_response:
      type: first_response
      objective: 50%
      targets:
        P3: {within: 2h, calendar: always}
  experience:
    minAnswers: 2
    baseline: {from: 2026-03-01, to: 2026-04-01}
    objectives:
      lost_time_mean_min: {max: 60}
      happiness: {min: -10}
"""


def _stored(db: Engine, tmp_path: Path) -> None:
    _tickets(db, tmp_path)
    import_feedback(db, SAMPLES / "answers.csv", customer="acme")
    (tmp_path / "acme.yaml").write_text(CONTRACT, encoding="utf-8")
    add_contract(db, tmp_path / "acme.yaml")
    measure_customer(db, "acme", AS_OF)


def test_xla_compliance_per_service_and_month(db: Engine, tmp_path: Path) -> None:
    _stored(db, tmp_path)
    table = customer_xla(db, "acme", as_of_us=AS_OF, month="2026-03")
    rows = {(r["service"], r["figure"]): r for r in table.to_pylist()}
    email = rows[("email", "lost_time_mean_min")]  # none (0) and 2-4h (180)
    assert (email["value"], email["status"], email["baseline"]) == (90.0, "missed", 90.0)
    laptops = rows[("laptops", "lost_time_mean_min")]  # <30m (15) and 30m-2h (75)
    assert (laptops["value"], laptops["status"]) == (45.0, "met")
    assert rows[("email", "happiness")]["status"] == "met"  # (1 − 1) / 2 = 0 ≥ −10
    pooled = customer_xla(db, "acme", as_of_us=AS_OF, month="2026-03", by_service=False)
    assert set(pooled.column("service").to_pylist()) == {None}


def test_the_watermelon_matrix(db: Engine, tmp_path: Path) -> None:
    _stored(db, tmp_path)
    cells = {c.service: c for c in customer_watermelon(db, "acme", as_of_us=AS_OF, month="2026-03")}
    email = cells["email"]
    assert (email.sla_ok, email.experience_ok, email.cell) == (True, False, Cell.WATERMELON)
    assert email.drivers is not None
    assert email.drivers.missed == ("lost_time_mean_min 90 (max 60)",)
    assert email.drivers.lost_time_mean_min == 90.0
    first = email.drivers.comments[0]
    assert first.text.startswith("I had to explain") and first.sentiment == "negative"
    assert "not_fixed 50%" in email.drivers.factors
    assert cells["laptops"].cell is Cell.GREEN
