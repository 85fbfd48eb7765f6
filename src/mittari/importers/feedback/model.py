"""The experience model: one survey answer, whichever tool asked the question.

`ANSWER_SCHEMA`, one row per answer (README.md here says more):

- `external_id`  the answer's id in its source: with the customer and `source` its identity
- `ticket_id`    the ticket's id in its source; null for a pulse answer
- `answered_at`  when it was answered, timestamp[us, UTC]
- `survey`       `ticket` (asked after a resolved ticket), `pulse` (the customer's contacts
                 on the partnership) or `team` (the provider's own team)
- `question`     what a pulse or team answer answers (`SURVEY_QUESTIONS`): `recommend`
                 (0-10, the NPS question), `understand` and `prevent` (1-5 statements of
                 the relationship pulse), `measured_well` (1-5, the team pulse); null for a
                 ticket answer, and for a pulse or team answer its survey's main question
- `scale`        `0-10`, `1-5` or `good/bad`
- `score`        text in the scale: `0`..`10`, `1`..`5`, `good`/`bad`; Zendesk's `offered`
                 (sent, not answered) and `unoffered` (not sent) are kept and count nowhere
- `factors`      list of factor codes (`engine.experience.FACTORS`: speed, not_fixed ...;
                 a team answer's `TEAM_FACTORS`: clock_rules, too_many_tickets ...)
- `lost_time`    `none`, `<30m`, `30m-2h`, `2-4h`, `day+`; null when not asked
- `comment`      free text
- `language`     ISO 639-1 code of the comment (fi, en); null: detected when measured
- `service`      the service the answer itself names (a pulse's); a ticket's own wins
- `source`       the importer that read it: `survey` (CSV), `zendesk`, `jira`
- `file`, `line` where the answer came from

Zendesk good/bad ratings and JSM 1–5 CSAT map onto it here (`from_zendesk`, `from_jsm`).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.experience import (
    FACTORS,
    LOST_TIME_NAMES,
    QUESTION_NAMES,
    SCALE_NAMES,
    SURVEY_NAMES,
    TEAM_FACTORS,
)

ANSWER_SCHEMA = pa.schema(
    [
        ("external_id", pa.string()),
        ("ticket_id", pa.string()),
        ("answered_at", pa.timestamp("us", tz="UTC")),
        ("survey", pa.string()),
        ("scale", pa.string()),
        ("score", pa.string()),
        ("factors", pa.list_(pa.string())),
        ("lost_time", pa.string()),
        ("comment", pa.string()),
        ("language", pa.string()),
        ("service", pa.string()),
        ("source", pa.string()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("question", pa.string()),
    ]
)
SCALES = SCALE_NAMES
SURVEYS = SURVEY_NAMES
LOST_TIMES = LOST_TIME_NAMES
QUESTIONS = QUESTION_NAMES
# The questions each survey asks, its main one first (the one an answer naming none
# answers), and the scale each question is asked on.
SURVEY_QUESTIONS = {
    "ticket": (),
    "pulse": ("recommend", "understand", "prevent"),
    "team": ("measured_well",),
}
QUESTION_SCALES = {
    "recommend": "0-10",
    "understand": "1-5",
    "prevent": "1-5",
    "measured_well": "1-5",
}
# The factors each survey's answers may name.
SURVEY_FACTORS = {"ticket": FACTORS, "pulse": FACTORS, "team": TEAM_FACTORS}
UNANSWERED = ("offered", "unoffered")  # Zendesk: a survey sent (or not) and not answered
# Zendesk's standard reasons for a bad rating, as the factor each one names.
ZENDESK_REASON_FACTORS = {
    "The issue took too long to resolve": "speed",
    "The issue was not resolved": "not_fixed",
    "The agent's knowledge is unsatisfactory": "skills",
    "The agent's attitude was unsatisfactory": "friendly",
}


def score_values(scale: str) -> tuple[str, ...]:
    """The scores a scale allows, as text."""
    if scale == "0-10":
        return tuple(str(i) for i in range(11))
    if scale == "1-5":
        return tuple(str(i) for i in range(1, 6))
    return ("good", "bad")


def from_zendesk(feedback: pa.Table, file: str) -> pa.Table:
    """Zendesk satisfaction ratings (`zendesk.FEEDBACK_SCHEMA`) as answers: the rating id is
    the answer's id, a standard reason for a bad rating its factor (others: `other`)."""
    n = feedback.num_rows
    reasons = feedback.column("reason").to_pylist()
    factors = [None if r is None else [ZENDESK_REASON_FACTORS.get(r, "other")] for r in reasons]
    return _answers(
        feedback,
        external_id=feedback.column("rating_id"),
        score=feedback.column("score"),
        factors=pa.array(factors, pa.list_(pa.string())),
        source=pa.array(["zendesk"] * n, pa.string()),
        file=file,
    )


def from_jsm(feedback: pa.Table, file: str) -> pa.Table:
    """JSM CSAT ratings (`jira.feedback.FEEDBACK_SCHEMA`) as answers: a request has one
    rating, so the request's key is the answer's id."""
    n = feedback.num_rows
    return _answers(
        feedback,
        external_id=feedback.column("ticket_id"),
        score=pc.cast(feedback.column("rating"), pa.string()),
        factors=pa.nulls(n, pa.list_(pa.string())),
        source=pa.array(["jira"] * n, pa.string()),
        file=file,
    )


def _answers(
    feedback: pa.Table,
    *,
    external_id: pa.ChunkedArray | pa.Array,
    score: pa.ChunkedArray | pa.Array,
    factors: pa.Array,
    source: pa.Array,
    file: str,
) -> pa.Table:
    n = feedback.num_rows
    nulls = pa.nulls(n, pa.string())
    return pa.table(
        {
            "external_id": external_id,
            "ticket_id": feedback.column("ticket_id"),
            "answered_at": feedback.column("ts"),
            "survey": pa.array(["ticket"] * n, pa.string()),
            "scale": feedback.column("scale"),
            "score": score,
            "factors": factors,
            "lost_time": nulls,
            "comment": feedback.column("comment"),
            "language": nulls,
            "service": nulls,
            "source": source,
            "file": pa.array([file] * n, pa.string()),
            "line": pa.nulls(n, pa.int64()),
            "question": nulls,
        },
        schema=ANSWER_SCHEMA,
    )


def from_importer(source: str, feedback: pa.Table, file: str) -> pa.Table:
    """The `Extract.feedback` of a ticket importer as answers."""
    if source == "zendesk":
        return from_zendesk(feedback, file)
    if source == "jira":
        return from_jsm(feedback, file)
    raise ValueError(f"no answer mapping for feedback of importer {source!r}")
