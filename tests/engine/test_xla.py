"""XLA judgement and the watermelon classes, worked by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from mittari.engine.xla import (
    Cell,
    Direction,
    Verdict,
    XlaObjective,
    classify,
    in_baseline,
    judge,
    overall,
)

HAPPY = XlaObjective("happiness", Direction.MIN, 40.0)
LOST = XlaObjective("lost_time_mean_min", Direction.MAX, 30.0)


@pytest.mark.parametrize(
    ("objective", "value", "basis", "expected"),
    [
        (HAPPY, 40.0, 5, Verdict.MET),  # the bound itself meets a min
        (HAPPY, 39.9, 5, Verdict.MISSED),
        (HAPPY, 90.0, 4, Verdict.NOT_ENOUGH),  # four answers < minAnswers 5
        (HAPPY, math.nan, 9, Verdict.NOT_ENOUGH),
        (HAPPY, None, 9, Verdict.NOT_ENOUGH),
        (LOST, 30.0, 5, Verdict.MET),  # and a max
        (LOST, 31.0, 5, Verdict.MISSED),
    ],
)
def test_judge(objective: XlaObjective, value: float | None, basis: int, expected: Verdict) -> None:
    assert judge(objective, value, basis, 5) is expected


def test_overall_one_miss_is_red_and_nothing_judged_is_unknown() -> None:
    assert overall([Verdict.MET, Verdict.NOT_ENOUGH]) is True
    assert overall([Verdict.MET, Verdict.MISSED, Verdict.NOT_ENOUGH]) is False
    assert overall([Verdict.NOT_ENOUGH]) is None
    assert overall([]) is None


@pytest.mark.parametrize(
    ("sla", "xla", "cell"),
    [
        (True, True, Cell.GREEN),
        (True, False, Cell.WATERMELON),
        (False, True, Cell.REVERSE),
        (False, False, Cell.RED),
        (None, True, Cell.UNKNOWN),
        (True, None, Cell.UNKNOWN),
    ],
)
def test_classify(sla: bool | None, xla: bool | None, cell: Cell) -> None:
    assert classify(sla, xla) is cell


def test_baseline_months_start_inside_the_period() -> None:
    period = (date(2025, 9, 1), date(2026, 1, 1))
    assert in_baseline("2025-09", period) and in_baseline("2025-12", period)
    assert not in_baseline("2026-01", period) and not in_baseline("2025-08", period)
    assert not in_baseline("2025-10", None)
