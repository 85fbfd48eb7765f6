"""The watermelon matrix: SLA status beside experience status per service and month.

SLA status of a (service, month): every metric objective of that month met, from the
latest stored run's compliance grouped by month, ticket service and metric. Experience
status: every XLA objective judged met (`services.xla`). A cell that is green outside
and red inside is a watermelon; the reverse (SLA red, people content) suggests the SLA
measures the wrong thing. Both come with their drivers, so that a reader sees why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from mittari.engine.types import ContractPolicy
from mittari.engine.xla import Cell, Verdict, classify, overall
from mittari.services.measure import compliance_table

Key = tuple[str | None, str]  # (service, month)
EXPLAINED = (Cell.WATERMELON, Cell.REVERSE)
TOP_FACTORS = 3
TOP_COMMENTS = 3


@dataclass(frozen=True)
class Comment:
    text: str
    sentiment: str | None  # positive, negative, neutral; None: a language not analysed


@dataclass(frozen=True)
class Missed:
    """An experience objective the cell missed, for pages that write it in words."""

    figure: str
    value: float
    direction: str  # min, max
    objective: float


@dataclass(frozen=True)
class Drivers:
    missed: tuple[str, ...]  # "happiness 20 (min 40)"
    factors: tuple[str, ...]  # the most named factors, "not_fixed 60%"
    lost_time_mean_min: float | None
    lost_time_total_h: float | None
    comments: tuple[Comment, ...]
    missed_figures: tuple[Missed, ...] = ()  # `missed` as numbers
    factor_shares: tuple[tuple[str, float], ...] = ()  # `factors` as (factor, % of answers)


@dataclass(frozen=True)
class MatrixCell:
    service: str | None
    month: str
    sla_ok: bool | None
    experience_ok: bool | None
    cell: Cell
    drivers: Drivers | None  # for watermelon and reverse cells


def sla_status(
    measured: pa.Table, contracts: Sequence[ContractPolicy], tickets: pa.Table
) -> dict[Key, bool | None]:
    """Per (service, month): all metric objectives met (None: no objective judged).
    `tickets` has the measured `ticket_id` and its `service`."""
    if measured.num_rows == 0:
        return {}
    table = compliance_table(measured, contracts, ["month", "service", "metric"], tickets)
    status: dict[Key, list[bool]] = {}
    for row in table.to_pylist():
        if row["month"] is None:  # still running: no month to judge yet
            continue
        judged = status.setdefault((row["service"], row["month"]), [])
        if row["objective_met"] is not None:
            judged.append(bool(row["objective_met"]))
    return {key: (all(met) if met else None) for key, met in status.items()}


def matrix(
    sla: Mapping[Key, bool | None],
    xla: pa.Table,
    figures: pa.Table,
    comments: Mapping[Key, Sequence[Comment]],
) -> list[MatrixCell]:
    """One cell per (service, month) found on either side, in that order."""
    verdicts: dict[Key, list[Verdict]] = {}
    missed: dict[Key, list[Missed]] = {}
    for row in xla.to_pylist():
        key = (row["service"], row["month"])
        verdicts.setdefault(key, []).append(Verdict(row["status"]))
        if row["status"] == Verdict.MISSED.value:
            missed.setdefault(key, []).append(
                Missed(row["figure"], row["value"], row["direction"], row["objective"])
            )
    shown = {(r["service"], r["month"]): r for r in figures.to_pylist()}
    cells = []
    for key in sorted({*sla, *verdicts}, key=lambda k: (k[1], k[0] or "")):
        sla_ok, experience_ok = sla.get(key), overall(verdicts.get(key, []))
        cell = classify(sla_ok, experience_ok)
        drivers = None
        if cell in EXPLAINED:
            chosen = _comments(comments.get(key, ()), cell)
            drivers = _drivers(missed.get(key, []), shown.get(key, {}), chosen)
        cells.append(MatrixCell(key[0], key[1], sla_ok, experience_ok, cell, drivers))
    return cells


def _drivers(
    missed: list[Missed], figures: Mapping[str, object], comments: list[Comment]
) -> Drivers:
    named = [
        (float(v), name.removeprefix("factor_").removesuffix("_pct"))
        for name, v in figures.items()
        if name.startswith("factor_") and isinstance(v, float) and v > 0
    ]
    top = sorted(named, key=lambda f: (-f[0], f[1]))[:TOP_FACTORS]
    return Drivers(
        tuple(f"{m.figure} {m.value:.4g} ({m.direction} {m.objective:g})" for m in missed),
        tuple(f"{name} {share:.0f}%" for share, name in top),
        _number(figures.get("lost_time_mean_min")),
        _number(figures.get("lost_time_total_h")),
        tuple(comments),
        tuple(missed),
        tuple((name, share) for share, name in top),
    )


def _comments(found: Sequence[Comment], cell: Cell) -> list[Comment]:
    """Up to three, those that speak for the cell's side first: a watermelon's
    complaints, a reverse cell's praise."""
    first = "negative" if cell is Cell.WATERMELON else "positive"
    return sorted(found, key=lambda c: c.sentiment != first)[:TOP_COMMENTS]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
