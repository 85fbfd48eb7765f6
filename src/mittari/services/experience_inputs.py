"""Stored answers and tickets as the experience engine's columns.

Answers come as `db.feedback.ANSWER_LOAD_SCHEMA` rows (or the same columns from files),
tickets as the store's ticket rows aligned to the log. Here text becomes codes: scales and
scores, lost-time bands, factor lists, the comment's sentiment (its language detected
where the survey did not say), and each answer's ticket index in the log.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.experience import (
    FACTORS,
    LOST_TIME_NAMES,
    NO_SCORE,
    QUESTION_NAMES,
    SCALE_NAMES,
    SURVEY_NAMES,
    TEAM_FACTORS,
    Answers,
    main_questions,
)
from mittari.engine.types import I8, I64, NO_VALUE, NULL_TS, BoolArr
from mittari.services.sentiment import classify_many

_WORD_SCORES = {"good": 1, "bad": 0}
_UNREADABLE = NO_SCORE - 1  # text that is no score of its scale: the row is left out


@dataclass(frozen=True)
class AnswerColumns:
    """The usable answers: engine columns, and beside them their ticket and instant."""

    answers: Answers
    ticket: I64  # index into the log's tickets, -1 where none
    ts: I64  # answered at (µs UTC), NULL_TS where the source gave no time
    service: list[str | None]  # the service the answer itself names
    languages: list[str | None]  # given or detected


def answer_columns(table: pa.Table, ticket: I64) -> AnswerColumns:
    """The rows whose scale and score the engine can read (invitations and rows of an
    unknown scale are left out); `ticket` is each row's ticket index."""
    scale = _codes(table.column("scale"), SCALE_NAMES)
    score = _scores(table.column("score").to_pylist(), scale)
    keep = (scale >= 0) & (score != _UNREADABLE)
    rows = pa.array(np.flatnonzero(keep), pa.int64())
    kept = table.take(rows)
    survey = np.maximum(_codes(kept.column("survey").fill_null("ticket"), SURVEY_NAMES), 0)
    factors, names = _factors(kept.column("factors").to_pylist())
    comments = kept.column("comment").to_pylist()
    languages, sentiment = classify_many(comments, kept.column("language").to_pylist())
    answers = Answers(
        survey=survey.astype(np.int8),
        scale=scale[keep].astype(np.int8),
        score=score[keep],
        lost_time=_codes(kept.column("lost_time"), LOST_TIME_NAMES).astype(np.int8),
        factors=factors,
        factor_names=names,
        sentiment=sentiment,
        question=_questions(kept, survey.astype(np.int8)),
    )
    ts = np.asarray(kept.column("ts_us").fill_null(NULL_TS).to_numpy(), dtype=np.int64)
    return AnswerColumns(answers, ticket[keep], ts, kept.column("service").to_pylist(), languages)


def _questions(kept: pa.Table, survey: I8) -> I8:
    """Each answer's question code; one that names none (older rows, other tools) answers
    its survey's main question (`engine.experience.main_questions`)."""
    main = main_questions(survey)
    if "question" not in kept.column_names:
        return main
    given = _codes(kept.column("question"), QUESTION_NAMES)
    out: I8 = np.where(given >= 0, given, main).astype(np.int8)
    return out


def _codes(column: pa.ChunkedArray | pa.Array, names: tuple[str, ...]) -> I64:
    """The index of each value in `names`; -1 for null or another value."""
    found = pc.index_in(column, value_set=pa.array(names, pa.string()))
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _scores(values: list[str | None], scale: I64) -> I64:
    """Scores as integers in their scale; NO_SCORE for an invitation (offered)."""
    out = np.full(len(values), _UNREADABLE, dtype=np.int64)
    for i, value in enumerate(values):  # text per answer: answers are few beside events
        word = (value or "").strip().lower()
        if word in ("offered", "unoffered"):
            out[i] = NO_SCORE
        elif word in _WORD_SCORES and scale[i] == SCALE_NAMES.index("good/bad"):
            out[i] = _WORD_SCORES[word]
        elif word.isdigit() and scale[i] in (0, 1):
            low, high = (0, 10) if scale[i] == 0 else (1, 5)
            out[i] = int(word) if low <= int(word) <= high else _UNREADABLE
    return out


def _factors(values: list[str | None]) -> tuple[BoolArr, tuple[str, ...]]:
    """Comma-separated codes as a (answers, factors) matrix: the known factors (ticket,
    then team), then any other code found, by name."""
    lists = [[c for c in (v or "").split(",") if c] for v in values]
    known = (*FACTORS, *(f for f in TEAM_FACTORS if f not in FACTORS))
    extra = sorted({c for codes in lists for c in codes} - set(known))
    names = (*known, *extra)
    matrix = np.zeros((len(values), len(names)), dtype=bool)
    column = {name: j for j, name in enumerate(names)}
    for i, codes in enumerate(lists):
        matrix[i, [column[c] for c in codes]] = True
    return matrix, names


def log_indexes(ticket_ids: tuple[str, ...], store_ids: pa.Array) -> I64:
    """The log index of each store ticket id (-1: not in the log, or null)."""
    in_log = pa.array([int(t) for t in ticket_ids], pa.int64())
    found = pc.index_in(store_ids.cast(pa.int64()), value_set=in_log)
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def text_codes(values: list[str | None]) -> tuple[I64, list[str]]:
    """Codes of text values in order of first appearance; -1 for None (unknown)."""
    labels: dict[str, int] = {}
    codes = [NO_VALUE if v is None else labels.setdefault(v, len(labels)) for v in values]
    return np.array(codes, dtype=np.int64), list(labels)
