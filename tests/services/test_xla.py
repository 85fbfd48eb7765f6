"""XLA compliance on hand-made counts: verdicts, minAnswers, baseline, pooling."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from mittari.engine.xla import Direction, ExperiencePolicy, XlaObjective
from mittari.services.xla import pooled, xla_of_parts

POLICY = ExperiencePolicy(
    (
        XlaObjective("happiness", Direction.MIN, 40.0),
        XlaObjective("reopen_rate_pct", Direction.MAX, 5.0),
    ),
    min_answers=5,
    baseline=(date(2026, 1, 1), date(2026, 2, 1)),
)


def parts() -> pa.Table:
    # month:        baseline 01   02: 40 → met   03: 4 answers   02 on desk
    return pa.table(
        {
            "customer": ["acme"] * 4,
            "service": ["mail", "mail", "mail", "desk"],
            "month": ["2026-01", "2026-02", "2026-03", "2026-02"],
            "answers": [10, 5, 4, 5],
            "happy_n": [10, 5, 4, 5],
            "happy_top": [2, 3, 4, 1],  # 01: 20 − 10 = 10; 02: 60 − 20 = 40
            "happy_bottom": [1, 1, 0, 3],  # desk 02: 20 − 60 = −40
            "resolved": [20, 10, 10, 10],
            "reopened": [2, 1, 0, 0],  # 01: 10 %; 02: 10 % → missed; 03: 0 % → met
        }
    )


def _rows(table: pa.Table) -> dict[tuple[str, str, str], tuple[object, ...]]:
    return {
        (r["service"], r["month"], r["figure"]): (r["value"], r["status"], r["baseline"])
        for r in table.to_pylist()
    }


def test_each_objective_per_service_and_month() -> None:
    rows = _rows(xla_of_parts(parts(), POLICY, None))
    assert rows[("mail", "2026-02", "happiness")] == (40.0, "met", 10.0)
    assert rows[("mail", "2026-02", "reopen_rate_pct")] == (10.0, "missed", 10.0)
    assert rows[("mail", "2026-03", "happiness")] == (100.0, "not enough answers", 10.0)
    assert rows[("mail", "2026-03", "reopen_rate_pct")] == (0.0, "met", 10.0)
    assert rows[("desk", "2026-02", "happiness")] == (-40.0, "missed", None)  # no baseline
    assert len(rows) == 8


def test_one_month_keeps_its_baseline() -> None:
    rows = _rows(xla_of_parts(parts(), POLICY, "2026-02"))
    assert {k[1] for k in rows} == {"2026-02"}
    assert rows[("mail", "2026-02", "happiness")][2] == pytest.approx(10.0)


def test_pooled_over_services_adds_the_counts() -> None:
    rows = xla_of_parts(pooled(parts(), by_service=False), POLICY, "2026-02").to_pylist()
    happy = next(r for r in rows if r["figure"] == "happiness")
    assert happy["service"] is None
    assert happy["value"] == pytest.approx(0.0)  # (3 + 1 − 1 − 3) / 10
    assert happy["basis"] == 10 and happy["status"] == "missed"
