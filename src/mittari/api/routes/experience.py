"""Experience of one customer: its figures with their counts, its XLA objectives judged per
month, and the watermelon matrix (SLA status beside experience status, with drivers).

Each is computed on request at now or `as_of`, by the same services as `mittari
experience`, `mittari xla` and `mittari watermelon`. Those read a customer by its key, so
the key is first resolved through the caller's scope (`customer_of`: an unseen customer is
a 404 like a missing one), and only a customer the caller may see is read.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
from fastapi import APIRouter, Query

from mittari.api.deps import AsOf, DbEngine, OptionalMonth, Scope, customer_of
from mittari.api.schemas_experience import (
    CommentOut,
    DriversOut,
    ExperienceOut,
    WatermelonOut,
    XlaOut,
)
from mittari.engine.experience import FACTOR_PREFIX, TEAM_FACTOR_PREFIX
from mittari.services.experience import KEYS, SHOWN_COUNTS, customer_parts, figures_table
from mittari.services.watermelon import MatrixCell
from mittari.services.watermelon_stored import customer_watermelon
from mittari.services.xla import customer_xla, pooled

router = APIRouter(prefix="/api/v1/customers", tags=["experience"])
By = Annotated[
    Literal["customer", "service"],
    Query(description="customer: every service together (default); service: one row each."),
]


@router.get(
    "/{customer}/experience",
    response_model=list[ExperienceOut],
    summary="Experience figures per month (and service): happiness, CSAT, lost time, reopens …",
)
def get_experience(
    customer: str,
    scope: Scope,
    engine: DbEngine,
    as_of: AsOf,
    month: OptionalMonth = None,
    by: By = "customer",
) -> list[ExperienceOut]:
    customer_of(scope, customer)
    parts = pooled(customer_parts(engine, customer, as_of_us=as_of), by == "service")
    if month is not None:
        parts = parts.filter(pc.equal(parts.column("month"), month))
    return experience_out(figures_table(parts))


@router.get(
    "/{customer}/xla",
    response_model=list[XlaOut],
    summary="XLA objectives per month (and service): objective, value, met, baseline",
)
def get_xla(
    customer: str,
    scope: Scope,
    engine: DbEngine,
    as_of: AsOf,
    month: OptionalMonth = None,
    by: By = "customer",
) -> list[XlaOut]:
    customer_of(scope, customer)
    table = customer_xla(engine, customer, as_of_us=as_of, month=month, by_service=by == "service")
    return [XlaOut(**row, met=_met(row["status"])) for row in table.drop(["customer"]).to_pylist()]


@router.get(
    "/{customer}/watermelon",
    response_model=list[WatermelonOut],
    summary="The watermelon matrix per service and month: SLA beside experience, with drivers",
)
def get_watermelon(
    customer: str, scope: Scope, engine: DbEngine, as_of: AsOf, month: OptionalMonth = None
) -> list[WatermelonOut]:
    customer_of(scope, customer)
    return [cell_out(c) for c in customer_watermelon(engine, customer, as_of_us=as_of, month=month)]


def experience_out(table: pa.Table) -> list[ExperienceOut]:
    """Rows of `figures_table`: counts, figures and factor shares apart."""
    out = []
    for row in table.to_pylist():
        counts = {k: int(row[k] or 0) for k in SHOWN_COUNTS if k in row}
        figures: dict[str, float | None] = {}
        factors: dict[str, float] = {}
        for name, value in row.items():
            if name in KEYS or name in counts:
                continue
            if name.startswith((FACTOR_PREFIX, TEAM_FACTOR_PREFIX)):
                if _number(value) is not None:
                    factors[_factor(name)] = float(value)
            else:
                figures[name] = _number(value)
        out.append(
            ExperienceOut(
                service=row["service"],
                month=row["month"],
                counts=counts,
                figures=figures,
                factors=factors,
            )
        )
    return out


def _factor(column: str) -> str:
    """`factor_speed_pct` → `speed`; `team_factor_clock_rules_pct` → `team:clock_rules`."""
    if column.startswith(TEAM_FACTOR_PREFIX):
        return "team:" + column.removeprefix(TEAM_FACTOR_PREFIX).removesuffix("_pct")
    return column.removeprefix(FACTOR_PREFIX).removesuffix("_pct")


def _number(value: Any) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _met(status: str) -> bool | None:
    return {"met": True, "missed": False}.get(status)


def cell_out(cell: MatrixCell) -> WatermelonOut:
    drivers = None
    if cell.drivers is not None:
        found = cell.drivers
        drivers = DriversOut(
            missed=list(found.missed),
            factors=list(found.factors),
            lost_time_mean_min=found.lost_time_mean_min,
            lost_time_total_h=found.lost_time_total_h,
            comments=[CommentOut(text=c.text, sentiment=c.sentiment) for c in found.comments],
        )
    return WatermelonOut(
        service=cell.service,
        month=cell.month,
        sla=_status(cell.sla_ok),
        experience=_status(cell.experience_ok),
        cell=cell.cell.value,
        drivers=drivers,
    )


def _status(ok: bool | None) -> Literal["met", "missed", "unknown"]:
    return "unknown" if ok is None else ("met" if ok else "missed")
