"""The pulse figures worked by hand on a few answers, in the engine and its slow twin:
NPS reads only the recommend question on 0-10, each relationship statement and the team
pulse count on their own question and scale, obstacles only on team answers. And an XLA
objective on a pulse figure is judged on the answers to that question."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from mittari.engine.errors import EngineError
from mittari.engine.experience import (
    NO_SCORE,
    Answers,
    Question,
    Scale,
    Survey,
    answer_parts,
    finish,
    main_questions,
)
from mittari.engine.reference_experience import ref_answer_groups
from mittari.engine.xla import FIGURE_BASIS, FIGURES, Direction, Verdict, XlaObjective, judge
from mittari.spec.check import versions_from_text
from mittari.spec.experience import resolve_experience

T, P, M = Survey.TICKET, Survey.PULSE, Survey.TEAM
R, U, V, W = Question.RECOMMEND, Question.UNDERSTAND, Question.PREVENT, Question.MEASURED_WELL
TEN, FIVE = Scale.ZERO_TO_TEN, Scale.ONE_TO_FIVE
NAMES = ("speed", "other", "clock_rules", "too_many_tickets")
# survey, question, scale, score, factors named
ROWS = [
    (T, R, TEN, 9, ("speed", "clock_rules")),  # a ticket answer: no pulse figure
    (P, R, TEN, 10, ()),
    (P, R, TEN, 6, ()),
    (P, R, TEN, 7, ()),
    (P, U, TEN, 10, ()),  # a statement on 0-10: no NPS answer, and no statement either
    (P, R, FIVE, 5, ()),  # the recommend question on 1-5: nowhere
    (P, U, FIVE, 4, ()),
    (P, U, FIVE, 3, ()),
    (P, V, FIVE, 5, ()),
    (P, V, FIVE, NO_SCORE, ()),  # sent, not answered
    (M, W, FIVE, 2, ("clock_rules", "too_many_tickets")),
    (M, W, FIVE, 4, ("other", "speed")),  # speed is no obstacle: only `other` counts
    (M, W, FIVE, 5, ()),
    (M, R, TEN, 10, ()),  # a team answer to the pulse's question: nowhere
]


def answers(rows: list[tuple[int, int, int, int, tuple[str, ...]]]) -> Answers:
    n = len(rows)
    factors = np.array([[name in r[4] for name in NAMES] for r in rows], dtype=bool)
    return Answers(
        survey=np.array([r[0] for r in rows], np.int8),
        scale=np.array([r[2] for r in rows], np.int8),
        score=np.array([r[3] for r in rows], np.int64),
        lost_time=np.full(n, -1, np.int8),
        factors=factors.reshape(n, len(NAMES)),
        factor_names=NAMES,
        sentiment=np.full(n, -1, np.int8),
        question=np.array([r[1] for r in rows], np.int8),
    )


def test_the_pulse_figures_worked_by_hand_and_by_the_twin() -> None:
    a = answers(ROWS)
    keys = [np.zeros(len(ROWS), np.int64)]
    parts = answer_parts(keys, a)
    counts = {n: int(parts.counts[0, j]) for j, n in enumerate(parts.names)}
    twin = ref_answer_groups(keys, a)[(0,)]
    assert counts == {n: twin.get(n, 0) for n in counts}
    figures = {name: float(values[0]) for name, values in finish(parts).items()}
    # NPS: 10 promoter, 6 detractor, 7 passive → (1 - 1) / 3
    assert (counts["pulse_n"], figures["nps"]) == (3, 0.0)
    # understand 4 and 3: one agrees of two, mean 3.5; prevent 5 alone
    assert (figures["pulse_understand"], figures["pulse_understand_mean"]) == (50.0, 3.5)
    assert (counts["pulse_prevent_n"], figures["pulse_prevent"]) == (1, 100.0)
    # team 2, 4, 5: two of three agree, mean 11 / 3; obstacles over the two that named one
    assert counts["team_n"] == 3 and math.isclose(figures["team_measured_well"], 200 / 3)
    assert math.isclose(figures["team_measured_well_mean"], 11 / 3)
    assert counts["team_factored"] == 2
    assert figures["team_factor_clock_rules_pct"] == 50.0
    assert figures["team_factor_other_pct"] == 50.0
    assert "team_factor_speed_pct" not in figures  # a ticket factor is no obstacle
    # the ticket answer: happiness, and its ticket factor; a team-only factor is not its own
    assert (counts["answers"], figures["happiness"]) == (1, 100.0)
    assert figures["factor_speed_pct"] == 100.0 and "factor_clock_rules_pct" not in figures


def test_an_answer_without_a_question_answers_its_surveys_main_one() -> None:
    survey = np.array([T, P, M], np.int8)
    assert main_questions(survey).tolist() == [R, R, W]


def test_a_question_code_out_of_range_is_refused() -> None:
    rows = [(P, R, TEN, 9, ())]
    good = answers(rows)
    with pytest.raises(EngineError, match="question"):
        Answers(**{**good.__dict__, "question": np.array([4], np.int8)})
    with pytest.raises(EngineError, match="survey"):
        Answers(**{**good.__dict__, "survey": np.array([3], np.int8)})


def test_pulse_figures_are_xla_figures_resting_on_their_own_answers() -> None:
    for figure, basis in (
        ("pulse_understand", "pulse_understand_n"),
        ("pulse_prevent_mean", "pulse_prevent_n"),
        ("team_measured_well", "team_n"),
    ):
        assert figure in FIGURES and FIGURE_BASIS[figure] == basis
    objective = XlaObjective("team_measured_well", Direction.MIN, 60.0)
    assert judge(objective, 200 / 3, 3, 3) is Verdict.MET
    assert judge(objective, 50.0, 4, 3) is Verdict.MISSED
    assert judge(objective, 100.0, 2, 3) is Verdict.NOT_ENOUGH


def test_a_contract_may_bound_the_team_pulse() -> None:
    example = Path(__file__).parents[2] / "examples" / "contracts" / "acme.yaml"
    text = example.read_text(encoding="utf-8")
    written = "      happiness: {min: 40}\n"
    assert written in text
    bounded = written + "      team_measured_well: {min: 60}\n      pulse_prevent: {min: 50}\n"
    versions, problems = versions_from_text(text.replace(written, bounded), "acme.yaml")
    assert problems == []
    policy = resolve_experience(versions[-1].model.spec)
    assert policy is not None
    assert XlaObjective("team_measured_well", Direction.MIN, 60.0) in policy.objectives
    assert XlaObjective("pulse_prevent", Direction.MIN, 50.0) in policy.objectives
