"""The results of a customer's pulse rounds: per round, its invitations, responses and
the pulse figures of its answers, computed by the experience engine as every other figure
(`engine/experience.py`: NPS of the recommend answers, the statements and the team pulse
on 1-5, the obstacles named)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from sqlalchemy import Engine

from mittari.db import pulse as store
from mittari.engine.experience import answer_parts, finish
from mittari.services.experience_inputs import answer_columns
from mittari.services.pulse import OBSTACLES
from mittari.services.stored import _customer

RESULT_FIGURES = (
    "nps",
    "pulse_understand",
    "pulse_understand_mean",
    "pulse_prevent",
    "pulse_prevent_mean",
    "team_measured_well",
    "team_measured_well_mean",
)
# A round in one line (`mittari pulse results`): who was asked, who answered, its figures.
SUMMARY_COLUMNS = (
    "round",
    "kind",
    "period",
    "invited",
    "responses",
    "response_rate_pct",
    *RESULT_FIGURES,
)


def results(engine: Engine, customer: str, period: str | None = None) -> pa.Table:
    """Per round of the customer (of one period, when given): invitations, responses, the
    response rate and the pulse figures of its answers (engine/experience.py), with the
    share of team responses naming each obstacle."""
    with engine.connect() as conn:
        found = store.rounds(conn, _customer(conn, customer), period)
        ids = [r.id for r in found]
        counts = store.invitation_counts(conn, ids)
        answers = store.round_answers(conn, ids)
    figures = _round_figures(answers, ids)
    rows = []
    for i, r in enumerate(found):
        invited, answered = counts.get(r.id, (0, 0))
        rate = 100.0 * answered / invited if invited else None
        row: dict[str, Any] = {"round": r.id, "kind": r.kind, "period": r.period}
        row |= {"opens_at": r.opens_at, "closes_at": r.closes_at}
        row |= {"invited": invited, "responses": answered, "response_rate_pct": rate}
        row |= {name: _value(values[i]) for name, values in figures.items()}
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=_results_schema(figures))


def _round_figures(answers: pa.Table, ids: list[int]) -> dict[str, Any]:
    index = {r: i for i, r in enumerate(ids)}
    codes = np.array([index[r] for r in answers.column("pulse_round_id").to_pylist()], np.int64)
    no_ticket = np.full(answers.num_rows, -1, dtype=np.int64)
    columns = answer_columns(answers, no_ticket)
    if len(columns.answers) != answers.num_rows:  # every row of a round is written here
        raise ValueError("a stored pulse answer cannot be read")
    parts = answer_parts([codes], columns.answers)
    merged = finish(parts)
    wanted = [*RESULT_FIGURES, *(f"team_factor_{o}_pct" for o in OBSTACLES)]
    out: dict[str, Any] = {}
    for name in wanted:
        values = np.full(len(ids), np.nan)
        values[parts.keys[0]] = merged.get(name, np.nan)
        out[name] = values
    return out


def _value(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _results_schema(figures: dict[str, Any]) -> pa.Schema:
    stamp = pa.timestamp("us", tz="UTC")
    fields = [("round", pa.int64()), ("kind", pa.string()), ("period", pa.string())]
    fields += [("opens_at", stamp), ("closes_at", stamp)]
    fields += [("invited", pa.int64()), ("responses", pa.int64())]
    fields += [("response_rate_pct", pa.float64())]
    fields += [(name, pa.float64()) for name in figures]
    return pa.schema(fields)
