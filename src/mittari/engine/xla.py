"""XLA objectives and the watermelon matrix: pure judgement, no I/O.

An XLA objective bounds one experience figure (docs/experience.md) from below or above.
A month's figure is judged only when the count it rests on reaches `min_answers`; with
fewer (or no figure at all) it is "not enough answers": neither met nor missed, so that a
month with two answers is not called red on the word of two people.

The watermelon matrix puts a cell's SLA status beside its experience status. A status is
True (all objectives met), False (at least one missed) or None (nothing to judge).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Direction(StrEnum):
    MIN = "min"  # the figure must be at least the bound (happiness, CSAT, FCR …)
    MAX = "max"  # the figure must be at most the bound (lost time, reopens …)


class Verdict(StrEnum):
    MET = "met"
    MISSED = "missed"
    NOT_ENOUGH = "not enough answers"


class Cell(StrEnum):
    GREEN = "green"  # SLA and experience both met
    WATERMELON = "watermelon"  # SLA green outside, experience red inside
    REVERSE = "reverse"  # SLA red, people content: the SLA may measure the wrong thing
    RED = "red"  # both missed
    UNKNOWN = "unknown"  # one side has nothing to judge


# The count each figure rests on: survey figures on answers, pulse figures on the answers
# to their own question, event-log figures on the tickets they divide by.
FIGURE_BASIS = {
    "happiness": "answers",
    "happiness_mean": "answers",
    "csat_pct": "answers",
    "csat_mean": "answers",
    "lost_time_mean_min": "answers",
    "lost_time_total_h": "answers",
    "sentiment_net": "answers",
    "nps": "pulse_n",
    "pulse_understand": "pulse_understand_n",
    "pulse_understand_mean": "pulse_understand_n",
    "pulse_prevent": "pulse_prevent_n",
    "pulse_prevent_mean": "pulse_prevent_n",
    "team_measured_well": "team_n",
    "team_measured_well_mean": "team_n",
    "response_rate_pct": "resolved",
    "reopen_rate_pct": "resolved",
    "fcr_pct": "resolved",
    "ping_pong_pct": "resolved",
    "reassignments_mean": "resolved",
    "repeat_contact_pct": "created",
}
FIGURES = tuple(FIGURE_BASIS)


@dataclass(frozen=True)
class XlaObjective:
    figure: str  # a name of FIGURES
    direction: Direction
    bound: float


@dataclass(frozen=True)
class ExperiencePolicy:
    """The resolved `spec.experience` section of one contract version."""

    objectives: tuple[XlaObjective, ...]
    min_answers: int
    baseline: tuple[date, date] | None  # local dates: from inclusive, to exclusive


def judge(objective: XlaObjective, value: float | None, basis: int, min_answers: int) -> Verdict:
    """One objective on one month's figure resting on `basis` answers or tickets."""
    if value is None or math.isnan(value) or basis < min_answers:
        return Verdict.NOT_ENOUGH
    if objective.direction is Direction.MIN:
        return Verdict.MET if value >= objective.bound else Verdict.MISSED
    return Verdict.MET if value <= objective.bound else Verdict.MISSED


def overall(verdicts: list[Verdict]) -> bool | None:
    """True when every judged objective is met, False when one is missed, None when none
    could be judged. One miss is red even beside unjudged objectives."""
    if Verdict.MISSED in verdicts:
        return False
    return True if Verdict.MET in verdicts else None


def classify(sla_ok: bool | None, experience_ok: bool | None) -> Cell:
    """The class of one customer × service × month cell."""
    if sla_ok is None or experience_ok is None:
        return Cell.UNKNOWN
    if sla_ok:
        return Cell.GREEN if experience_ok else Cell.WATERMELON
    return Cell.REVERSE if experience_ok else Cell.RED


def in_baseline(month: str, baseline: tuple[date, date] | None) -> bool:
    """Whether the local month `YYYY-MM` starts within the baseline period."""
    if baseline is None:
        return False
    year, number = (int(part) for part in month.split("-"))
    return baseline[0] <= date(year, number, 1) < baseline[1]
