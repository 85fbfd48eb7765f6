"""`spec.experience`: objectives with one bound on a known figure, minAnswers, baseline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mittari.engine.xla import Direction, XlaObjective
from mittari.spec.check import versions_from_text
from mittari.spec.experience import resolve_experience

EXAMPLE = Path(__file__).parents[2] / "examples" / "contracts" / "acme.yaml"
WRITTEN = """    objectives:
      happiness: {min: 40}
      lost_time_mean_min: {max: 30}
      reopen_rate_pct: {max: 5}
      csat_pct: {min: 85}
"""


def _with(objectives: str) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert WRITTEN in text
    return text.replace(WRITTEN, objectives)


def test_example_resolves_to_its_objectives() -> None:
    versions, problems = versions_from_text(EXAMPLE.read_text(encoding="utf-8"), "acme.yaml")
    assert problems == []
    old, new = (resolve_experience(v.model.spec) for v in versions)
    assert old is None
    assert new is not None
    assert new.min_answers == 5
    assert new.baseline == (date(2025, 9, 1), date(2026, 1, 1))
    assert new.objectives[:2] == (
        XlaObjective("happiness", Direction.MIN, 40.0),
        XlaObjective("lost_time_mean_min", Direction.MAX, 30.0),
    )


@pytest.mark.parametrize(
    ("objectives", "expected"),
    [
        ("    objectives:\n      hapiness: {min: 40}\n", "did you mean 'happiness'"),
        ("    objectives:\n      happiness: {min: 40, max: 60}\n", "exactly one bound"),
        ("    objectives:\n      happiness: {}\n", "exactly one bound"),
        ("    objectives: {}\n", "at least one objective"),
        ("    objectives:\n      happiness: {atLeast: 40}\n", "atLeast"),
    ],
)
def test_bad_objectives_name_file_and_line(objectives: str, expected: str) -> None:
    _, problems = versions_from_text(_with(objectives), "acme.yaml")
    assert problems, objectives
    assert any(expected in p.message or expected in str(p) for p in problems), problems
    assert all(p.file == "acme.yaml" and p.line for p in problems)


def test_baseline_must_end_after_it_starts() -> None:
    text = _with(WRITTEN).replace(
        "{from: 2025-09-01, to: 2026-01-01}", "{from: 2026-01-01, to: 2025-09-01}"
    )
    _, problems = versions_from_text(text, "acme.yaml")
    assert any("must come after" in p.message for p in problems)
