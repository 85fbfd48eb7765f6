"""Experience metrics (XLA): per group, integer counts that add up exactly, then figures.

Two kinds of rows feed them: survey answers (`Answers`: happiness, CSAT, NPS and the
relationship statements, the team pulse, lost time, factors, comment sentiment) and
tickets (`experience_tickets.TicketExperience`, from the event log: response rate,
reopens, first-contact resolution, repeat contacts, ping-pong).
Each part function groups its rows by integer key codes, as `compliance.rollup` does
(customer, service, month ...), and returns `Parts`: the distinct key tuples and, per
group, named int64 counts and sums. Parts of partitions merge by adding per key tuple
(`merge_parts`): integers only, so the merge is exact and order-free. `finish` turns the
merged counts into figures; docs/experience.md states each one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from mittari.engine.errors import EngineError
from mittari.engine.partials import _groups
from mittari.engine.types import F64, I8, I64, BoolArr


class Survey(IntEnum):
    TICKET = 0  # asked after a resolved ticket
    PULSE = 1  # the periodic survey of the customer's contacts on the partnership
    TEAM = 2  # the periodic survey of the provider's own team


class Question(IntEnum):
    """What a pulse answer answers; a ticket answer's one rating is RECOMMEND."""

    RECOMMEND = 0  # pulse: how likely to recommend us (0-10, the NPS question)
    UNDERSTAND = 1  # pulse: "we understand your business" (1-5)
    PREVENT = 2  # pulse: "problems are prevented, not only fixed" (1-5)
    MEASURED_WELL = 3  # team: "the way we are measured helps us serve well" (1-5)


class Scale(IntEnum):
    ZERO_TO_TEN = 0  # score 0..10
    ONE_TO_FIVE = 1  # score 1..5
    GOOD_BAD = 2  # score 1 good, 0 bad


class LostTime(IntEnum):
    NONE = 0
    UNDER_30M = 1
    FROM_30M_TO_2H = 2
    FROM_2H_TO_4H = 3
    DAY_OR_MORE = 4


class Sentiment(IntEnum):
    NEGATIVE = 0
    NEUTRAL = 1
    POSITIVE = 2


SURVEY_NAMES = ("ticket", "pulse", "team")
QUESTION_NAMES = ("recommend", "understand", "prevent", "measured_well")
SCALE_NAMES = ("0-10", "1-5", "good/bad")
SCALE_RANGES = ((0, 10), (1, 5), (0, 1))
LOST_TIME_NAMES = ("none", "<30m", "30m-2h", "2-4h", "day+")
# Minutes a band stands for: the middle of a closed band; `day+` counts one working day
# (8 h), the least it says, so totals are not inflated by a guess at the open end.
LOST_TIME_MINUTES = np.array([0, 15, 75, 180, 480], dtype=np.int64)
SENTIMENT_NAMES = ("negative", "neutral", "positive")
FACTORS = (
    "speed",
    "friendly",
    "skills",
    "easy",
    "kept_informed",
    "explain_again",
    "not_fixed",
    "learned",
    "other",
)
# What gets in the way of the provider's team (team pulse answers name these).
TEAM_FACTORS = (
    "clock_rules",
    "closing_over_fixing",
    "too_many_tickets",
    "missing_knowledge",
    "other",
)
# Team factors that are no ticket factor: a ticket answer naming one counts it nowhere,
# and a team answer counts only team factors.
_TEAM_ONLY = frozenset(TEAM_FACTORS) - frozenset(FACTORS)
NO_SCORE = -1  # an answer without a score (a survey sent and not answered)

ANSWER_COLUMNS = (
    "answers",
    "happy_n",
    "happy_top",
    "happy_bottom",
    "happy_sum",
    "csat5_n",
    "csat5_top",
    "csat5_sum",
    "good_bad_n",
    "good_n",
    "pulse_n",
    "pulse_promoters",
    "pulse_detractors",
    "pulse_understand_n",
    "pulse_understand_agree",
    "pulse_understand_sum",
    "pulse_prevent_n",
    "pulse_prevent_agree",
    "pulse_prevent_sum",
    "team_n",
    "team_agree",
    "team_sum",
    "team_factored",
    "lost_n",
    "lost_min",
    "factored",
    "commented",
    "comment_positive",
    "comment_negative",
)
TICKET_COLUMNS = (
    "created",
    "repeat_contacts",
    "resolved",
    "answered",
    "reopened",
    "first_contact",
    "ping_pong",
    "reassignments",
)
FACTOR_PREFIX = "factor_"
TEAM_FACTOR_PREFIX = "team_factor_"


@dataclass(frozen=True)
class Answers:
    """Survey answers as columns. `factors[i, j]`: answer i names `factor_names[j]`.
    `question` is a Question code: RECOMMEND for a ticket answer's one rating."""

    survey: I8
    scale: I8
    score: I64  # in the answer's scale; NO_SCORE where there is none
    lost_time: I8  # LostTime code, NO_VALUE where not given
    factors: BoolArr  # 2-D: (answers, factor names)
    factor_names: tuple[str, ...]
    sentiment: I8  # Sentiment of the comment, NO_VALUE where there is no comment
    question: I8  # Question code

    def __post_init__(self) -> None:
        n = len(self.score)
        for name in ("survey", "scale", "lost_time", "sentiment", "question"):
            if len(getattr(self, name)) != n:
                raise EngineError(f"Answers.{name} differs in length from Answers.score")
        if self.factors.shape != (n, len(self.factor_names)):
            raise EngineError("Answers.factors must be (answers, factor names)")
        if ((self.scale < 0) | (self.scale > Scale.GOOD_BAD)).any():
            raise EngineError("Answers.scale holds a code that is no Scale")
        if ((self.survey < 0) | (self.survey > Survey.TEAM)).any():
            raise EngineError("Answers.survey holds a code that is no Survey")
        if ((self.question < 0) | (self.question > Question.MEASURED_WELL)).any():
            raise EngineError("Answers.question holds a code that is no Question")
        ranges = np.array(SCALE_RANGES, dtype=np.int64)[self.scale.astype(np.int64)]
        score = self.score
        bad = (score != NO_SCORE) & ((score < ranges[:, 0]) | (score > ranges[:, 1]))
        if bad.any():
            raise EngineError(f"answer {int(np.argmax(bad))} has a score outside its scale")

    def __len__(self) -> int:
        return len(self.score)


@dataclass(frozen=True)
class Parts:
    """Per group (a distinct key tuple, lexicographic order): named int64 counts."""

    keys: tuple[I64, ...]  # per key, the code of each group
    names: tuple[str, ...]
    counts: I64  # 2-D: (groups, names)

    def __len__(self) -> int:
        return len(self.counts)

    def column(self, name: str) -> I64:
        """The counts named `name`; zeros when these parts have none of that name."""
        if name not in self.names:
            return np.zeros(len(self), dtype=np.int64)
        out: I64 = self.counts[:, self.names.index(name)]
        return out


def main_questions(survey: I8) -> I8:
    """The question of answers that name none: a team answer's is MEASURED_WELL, any
    other's RECOMMEND (a pulse answer without a question is its NPS answer)."""
    main = np.where(survey == Survey.TEAM, Question.MEASURED_WELL, Question.RECOMMEND)
    out: I8 = main.astype(np.int8)
    return out


def answer_parts(keys: Sequence[I64], answers: Answers) -> Parts:
    """The answer counts per distinct key tuple; answers without a score count nowhere.
    A ticket answer's question is not read; a pulse or team answer counts only under its
    question on that question's scale (NPS on 0-10, the statements on 1-5)."""
    scored = answers.score != NO_SCORE
    ticket = scored & (answers.survey == Survey.TICKET)
    score = answers.score
    pulse = _asked(answers, Survey.PULSE, Question.RECOMMEND, Scale.ZERO_TO_TEN)
    understand = _asked(answers, Survey.PULSE, Question.UNDERSTAND, Scale.ONE_TO_FIVE)
    prevent = _asked(answers, Survey.PULSE, Question.PREVENT, Scale.ONE_TO_FIVE)
    team = _asked(answers, Survey.TEAM, Question.MEASURED_WELL, Scale.ONE_TO_FIVE)
    ticket_factor = np.array([n not in _TEAM_ONLY for n in answers.factor_names], dtype=bool)
    team_factor = np.array([n in TEAM_FACTORS for n in answers.factor_names], dtype=bool)
    on = {s: ticket & (answers.scale == s) for s in Scale}
    lost = ticket & (answers.lost_time >= 0)
    said = ticket & (answers.sentiment >= 0)
    minutes = LOST_TIME_MINUTES[np.clip(answers.lost_time, 0, len(LOST_TIME_MINUTES) - 1)]
    columns: dict[str, I64 | BoolArr] = {
        "answers": ticket,
        "happy_n": on[Scale.ZERO_TO_TEN],
        "happy_top": on[Scale.ZERO_TO_TEN] & (score >= 9),
        "happy_bottom": on[Scale.ZERO_TO_TEN] & (score <= 6),
        "happy_sum": np.where(on[Scale.ZERO_TO_TEN], score, 0),
        "csat5_n": on[Scale.ONE_TO_FIVE],
        "csat5_top": on[Scale.ONE_TO_FIVE] & (score >= 4),
        "csat5_sum": np.where(on[Scale.ONE_TO_FIVE], score, 0),
        "good_bad_n": on[Scale.GOOD_BAD],
        "good_n": on[Scale.GOOD_BAD] & (score == 1),
        "pulse_n": pulse,
        "pulse_promoters": pulse & (score >= 9),
        "pulse_detractors": pulse & (score <= 6),
        "pulse_understand_n": understand,
        "pulse_understand_agree": understand & (score >= 4),
        "pulse_understand_sum": np.where(understand, score, 0),
        "pulse_prevent_n": prevent,
        "pulse_prevent_agree": prevent & (score >= 4),
        "pulse_prevent_sum": np.where(prevent, score, 0),
        "team_n": team,
        "team_agree": team & (score >= 4),
        "team_sum": np.where(team, score, 0),
        "team_factored": team & (answers.factors & team_factor).any(axis=1),
        "lost_n": lost,
        "lost_min": np.where(lost, minutes, 0),
        "factored": ticket & (answers.factors & ticket_factor).any(axis=1),
        "commented": said,
        "comment_positive": said & (answers.sentiment == Sentiment.POSITIVE),
        "comment_negative": said & (answers.sentiment == Sentiment.NEGATIVE),
    }
    for j, name in enumerate(answers.factor_names):
        if ticket_factor[j]:
            columns[FACTOR_PREFIX + name] = ticket & answers.factors[:, j]
    for j, name in enumerate(answers.factor_names):
        if team_factor[j]:
            columns[TEAM_FACTOR_PREFIX + name] = team & answers.factors[:, j]
    return group_sums(keys, columns, len(answers))


def _asked(answers: Answers, survey: Survey, question: Question, scale: Scale) -> BoolArr:
    """Scored answers of `survey` to `question` on `scale`."""
    out: BoolArr = (
        (answers.score != NO_SCORE)
        & (answers.survey == survey)
        & (answers.question == question)
        & (answers.scale == scale)
    )
    return out


def group_sums(keys: Sequence[I64], columns: dict[str, I64 | BoolArr], n: int) -> Parts:
    """Sum each column per distinct key tuple (exact: integers, sorted, reduced)."""
    for k in keys:
        if len(k) != n:
            raise EngineError("part keys and rows differ in length")
    key_cols = [np.asarray(k, dtype=np.int64) for k in keys]
    distinct, group = _groups(key_cols or [np.zeros(n, dtype=np.int64)])
    n_groups = int(group.max()) + 1 if n else 0
    matrix = np.zeros((n, len(columns)), dtype=np.int64)
    for j, values in enumerate(columns.values()):
        matrix[:, j] = values
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(n_groups))
    counts = np.zeros((n_groups, len(columns)), dtype=np.int64)
    if n:
        counts = np.add.reduceat(matrix[order], starts, axis=0).astype(np.int64)
    return Parts(tuple(distinct[: len(keys)]), tuple(columns), counts)


def merge_parts(parts: Sequence[Parts]) -> Parts:
    """Add parts up per key tuple. Their key codes must share one code space (the same
    customer, service and month numbering); names missing from a part count zero there."""
    if not parts:
        raise EngineError("nothing to merge")
    width = {len(p.keys) for p in parts}
    if len(width) != 1:
        raise EngineError("parts to merge must have the same number of keys")
    names = _merged_names(parts)
    keys = [np.concatenate([p.keys[i] for p in parts]) for i in range(width.pop())]
    rows = sum(len(p) for p in parts)
    columns = {name: np.concatenate([p.column(name) for p in parts]) for name in names}
    return group_sums(keys, columns, rows)


def _merged_names(parts: Sequence[Parts]) -> tuple[str, ...]:
    """The known columns in their fixed order, then factors by name: any merge order
    gives the same columns in the same order."""
    seen = {name for p in parts for name in p.names}
    fixed = [n for n in (*ANSWER_COLUMNS, *TICKET_COLUMNS) if n in seen]
    return (*fixed, *sorted(seen - set(fixed)))


def finish(parts: Parts) -> dict[str, F64]:
    """The figures of each group; NaN where a figure's denominator is zero."""
    c = parts.column
    out = {
        "happiness": _pct(c("happy_top") - c("happy_bottom"), c("happy_n")),
        "happiness_mean": _ratio(c("happy_sum"), c("happy_n")),
        "csat_pct": _pct(c("csat5_top") + c("good_n"), c("csat5_n") + c("good_bad_n")),
        "csat_mean": _ratio(c("csat5_sum"), c("csat5_n")),
        "nps": _pct(c("pulse_promoters") - c("pulse_detractors"), c("pulse_n")),
        "pulse_understand": _pct(c("pulse_understand_agree"), c("pulse_understand_n")),
        "pulse_understand_mean": _ratio(c("pulse_understand_sum"), c("pulse_understand_n")),
        "pulse_prevent": _pct(c("pulse_prevent_agree"), c("pulse_prevent_n")),
        "pulse_prevent_mean": _ratio(c("pulse_prevent_sum"), c("pulse_prevent_n")),
        "team_measured_well": _pct(c("team_agree"), c("team_n")),
        "team_measured_well_mean": _ratio(c("team_sum"), c("team_n")),
        "response_rate_pct": _pct(c("answered"), c("resolved")),
        "lost_time_mean_min": _ratio(c("lost_min"), c("lost_n")),
        "lost_time_total_h": c("lost_min") / 60.0,
        "reopen_rate_pct": _pct(c("reopened"), c("resolved")),
        "fcr_pct": _pct(c("first_contact"), c("resolved")),
        "repeat_contact_pct": _pct(c("repeat_contacts"), c("created")),
        "ping_pong_pct": _pct(c("ping_pong"), c("resolved")),
        "reassignments_mean": _ratio(c("reassignments"), c("resolved")),
        "sentiment_net": _pct(c("comment_positive") - c("comment_negative"), c("commented")),
    }
    for name in parts.names:
        if name.startswith(FACTOR_PREFIX):
            out[name + "_pct"] = _pct(c(name), c("factored"))
        elif name.startswith(TEAM_FACTOR_PREFIX):
            out[name + "_pct"] = _pct(c(name), c("team_factored"))
    return out


def _ratio(num: I64, den: I64) -> F64:
    with np.errstate(invalid="ignore", divide="ignore"):
        out: F64 = np.where(den > 0, num / np.maximum(den, 1), np.nan)
    return out


def _pct(num: I64, den: I64) -> F64:
    return 100.0 * _ratio(num, den)


def answered_tickets(ticket: I64, answers: Answers, n_tickets: int) -> BoolArr:
    """Per ticket index: it has a scored ticket-survey answer (`ticket`: the answer's ticket
    index, -1 where it names none or one outside the log)."""
    out = np.zeros(n_tickets, dtype=bool)
    counted = (ticket >= 0) & (answers.score != NO_SCORE) & (answers.survey == Survey.TICKET)
    out[ticket[counted]] = True
    return out
