"""The figures of a customer's overview page, each from the service that defines it.

SLA compliance per metric and month comes from the latest stored run
(`services.stored.compliance`, as `mittari compliance` and the API's `/compliance`);
experience from the customer's answers and tickets (`services.experience`, judged by its
XLA, `services.xla`); availability and service credits from `services.stored_reports`;
the watermelon matrix from `services.watermelon_stored`. Nothing is counted here: figures
are only picked, merged per metric where a metric has rows under two objectives, and
placed in months.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine

from mittari.db.models import MeasurementRun
from mittari.db.scope import Scoped
from mittari.services.experience import customer_parts, figures_table
from mittari.services.stored import (
    StoredRun,
    StoredTables,
    compliance,
    run_compliance,
    stored_run,
    stored_tables,
)
from mittari.services.stored_reports import availability_report, credit_report
from mittari.services.watermelon import MatrixCell
from mittari.services.watermelon_stored import customer_watermelon
from mittari.services.xla import experience_policy, pooled, xla_of_parts

TREND_MONTHS = 12
MATRIX_MONTHS = 12
EXPERIENCE = (  # tile, the figure it shows, the count it needs (figures_table names)
    ("happiness", "happiness", "answers"),
    ("lost_time", "lost_time_mean_min", "answers"),
    ("response_rate", "response_rate_pct", "resolved"),
)


@dataclass(frozen=True)
class SlaTile:
    metric: str
    count: int  # met + breached
    met: int
    breached: int
    compliance_pct: float | None
    objective_pct: float | None
    objective_met: bool | None
    trend: list[float | None]  # compliance per month of `Overview.window`


@dataclass(frozen=True)
class ExperienceTile:
    name: str  # happiness, lost_time, response_rate
    value: float | None
    basis: int  # answers (or resolved tickets) behind it
    status: str | None  # met, missed, unknown (no XLA objective: None)
    objective: float | None
    direction: str | None  # min, max


@dataclass
class Overview:
    month: str | None  # the month shown
    months: list[str]  # every month with compliance, oldest first
    window: list[str]  # the TREND_MONTHS calendar months up to `month`
    run: MeasurementRun | None
    sla: list[SlaTile] = field(default_factory=list)
    experience: list[ExperienceTile] = field(default_factory=list)
    answers: int = 0  # the month's scored answers
    any_answers: bool = False  # the customer has answers at all
    comments: int = 0  # the month's comments
    availability: list[dict[str, Any]] = field(default_factory=list)
    credits: list[dict[str, Any]] = field(default_factory=list)
    matrix_services: list[str | None] = field(default_factory=list)
    matrix_months: list[str] = field(default_factory=list)
    cells: dict[tuple[str | None, str], MatrixCell] = field(default_factory=dict)

    @property
    def credit_total(self) -> dict[str, Any] | None:
        return next((line for line in self.credits if line["step"] == "total"), None)


def months_back(last: str, n: int) -> list[str]:
    """The `n` calendar months ending with `last` ("2025-03"), oldest first."""
    year, month = (int(p) for p in last.split("-"))
    index = year * 12 + month - 1
    return [
        date((i) // 12, i % 12 + 1, 1).strftime("%Y-%m") for i in range(index - n + 1, index + 1)
    ]


def overview(
    scope: Scoped, engine: Engine, owner: int, key: str, month: str | None, now_us: int
) -> Overview:
    runs = scope.runs(owner)
    run = stored_run(scope.conn, owner, key, runs[-1].id) if runs else None
    table = None if run is None else run_compliance(run, by=["month", "metric"])
    months = [] if table is None else sorted({m for m in table.column("month").to_pylist() if m})
    chosen = month or (months[-1] if months else None)
    window = months_back(chosen, TREND_MONTHS) if chosen else []
    found = Overview(chosen, months, window, runs[-1] if runs else None)
    if chosen is None:
        return found
    if table is not None:
        found.sla = sla_tiles(table, chosen, window)
    loaded = stored_tables(scope, owner)  # read once, for every service below
    parts = customer_parts(engine, key, as_of_us=now_us, loaded=loaded)
    _experience(found, loaded, parts, chosen)
    found.availability = availability_report(scope, owner, now_us, chosen).to_pylist()
    found.credits = credit_report(scope, owner, chosen, now_us, loaded=loaded).to_pylist()
    _matrix(found, engine, key, chosen, now_us, loaded, run, parts)
    return found


def _compliance(engine: Engine, key: str) -> pa.Table:
    table, _ = compliance(engine, key, by=["month", "metric"])
    return table


def latest_month(scope: Scoped, engine: Engine, owner: int, key: str) -> str | None:
    """The latest month with compliance in the latest run (the overview's default)."""
    if not scope.runs(owner):
        return None
    months = [m for m in _compliance(engine, key).column("month").to_pylist() if m]
    return max(months) if months else None


def sla_tiles(table: pa.Table, month: str, window: list[str]) -> list[SlaTile]:
    """One tile per metric of `month`; a metric with rows under two objectives (two
    contract versions) counts them together and is met only if each is."""
    rows = table.filter(pc.equal(table.column("month"), month)).to_pylist()
    trend: dict[str, dict[str, list[int]]] = {}
    for row in table.to_pylist():
        counts = trend.setdefault(row["metric"], {}).setdefault(row["month"], [0, 0])  # count, met
        counts[0] += row["count"]
        counts[1] += row["met"]
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen = merged.get(row["metric"])
        if seen is None:
            merged[row["metric"]] = dict(row)
            continue
        for name in ("count", "met", "breached"):
            seen[name] += row[name]
        seen["objective_met"] = bool(seen["objective_met"]) and bool(row["objective_met"])
    tiles = []
    for metric, row in sorted(merged.items()):
        months = trend.get(metric, {})
        tiles.append(
            SlaTile(
                metric=metric,
                count=row["count"],
                met=row["met"],
                breached=row["breached"],
                compliance_pct=_pct(row["met"], row["count"]),
                objective_pct=row["objective_pct"],
                objective_met=row["objective_met"],
                trend=[_pct(months[m][1], months[m][0]) if m in months else None for m in window],
            )
        )
    return tiles


def _pct(met: int, count: int) -> float | None:
    return 100.0 * met / count if count else None


def _experience(found: Overview, loaded: StoredTables, customer: pa.Table, month: str) -> None:
    parts = pooled(customer, by_service=False)
    found.any_answers = _sum(parts, "answers") > 0
    shown = parts.filter(pc.equal(parts.column("month"), month))
    found.comments = _sum(shown, "commented")
    found.answers = _sum(shown, "answers")
    figures = figures_table(shown).to_pylist()
    row = figures[0] if figures else {}
    policy = experience_policy(loaded.versions)
    judged = {}
    if policy is not None:
        judged = {r["figure"]: r for r in xla_of_parts(parts, policy, month).to_pylist()}
    for name, figure, basis in EXPERIENCE:
        verdict = judged.get(figure)
        found.experience.append(
            ExperienceTile(
                name=name,
                value=row.get(figure),
                basis=int(row.get(basis) or 0),
                status=None if verdict is None else verdict["status"],
                objective=None if verdict is None else verdict["objective"],
                direction=None if verdict is None else verdict["direction"],
            )
        )


def _sum(table: pa.Table, column: str) -> int:
    if column not in table.column_names or table.num_rows == 0:
        return 0
    return int(pc.sum(table.column(column)).as_py() or 0)


def _matrix(
    found: Overview,
    engine: Engine,
    key: str,
    month: str,
    now_us: int,
    loaded: StoredTables,
    run: StoredRun | None,
    parts: pa.Table,
) -> None:
    cells = customer_watermelon(engine, key, as_of_us=now_us, loaded=loaded, run=run, parts=parts)
    shown = set(months_back(month, MATRIX_MONTHS))
    kept = [c for c in cells if c.month in shown]
    found.matrix_months = sorted({c.month for c in kept})
    named = sorted({c.service for c in kept if c.service is not None})
    found.matrix_services = [*named, *([None] if any(c.service is None for c in kept) else [])]
    found.cells = {(c.service, c.month): c for c in kept}
