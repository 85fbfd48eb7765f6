"""XLA compliance: each `spec.experience` objective judged per service and month.

The section of the customer's latest contract version applies to every month (the XLA
is a present promise, read back over the history). The baseline's figures come from the
counts of its months added up per service, so a baseline is an exact pooled figure, not
a mean of monthly figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine

from mittari.db import repository as repo
from mittari.db.models import ContractVersion
from mittari.engine.xla import FIGURE_BASIS, ExperiencePolicy, in_baseline, judge
from mittari.services.experience import customer_parts, figures_table, merge_part_tables
from mittari.services.stored import _customer
from mittari.spec.check import versions_from_text
from mittari.spec.experience import resolve_experience

XLA_SCHEMA = pa.schema(
    [
        ("customer", pa.string()),
        ("service", pa.string()),
        ("month", pa.string()),
        ("figure", pa.string()),
        ("direction", pa.string()),
        ("objective", pa.float64()),
        ("value", pa.float64()),
        ("basis", pa.int64()),
        ("status", pa.string()),
        ("baseline", pa.float64()),
    ]
)


def experience_policy(versions: Sequence[ContractVersion]) -> ExperiencePolicy | None:
    """The `spec.experience` of the latest of the stored versions (None: none has one)."""
    if not versions:
        return None
    latest = max(versions, key=lambda v: v.effective_from_us)
    found, _ = versions_from_text(latest.yaml, latest.file_name)
    for version in found:
        if version.model.metadata.version == latest.label:
            return resolve_experience(version.model.spec)
    return None


def pooled(parts: pa.Table, by_service: bool) -> pa.Table:
    """Parts with the service dropped (null) unless `by_service`: customer-wide months."""
    if by_service:
        return parts
    index = parts.schema.get_field_index("service")
    return merge_part_tables(
        [parts.set_column(index, "service", pa.nulls(parts.num_rows, pa.string()))]
    )


def baseline_figures(parts: pa.Table, policy: ExperiencePolicy) -> pa.Table:
    """The figures of the baseline months, counts added up per (customer, service)."""
    months = parts.column("month").to_pylist()
    inside = pa.array([m is not None and in_baseline(m, policy.baseline) for m in months])
    kept = parts.filter(inside)
    index = kept.schema.get_field_index("month")
    kept = kept.set_column(index, "month", pa.array(["baseline"] * kept.num_rows, pa.string()))
    return figures_table(kept)


def xla_table(figures: pa.Table, baseline: pa.Table, policy: ExperiencePolicy) -> pa.Table:
    """One row per (customer, service, month) of `figures` and objective of `policy`."""
    reference = {(r["customer"], r["service"]): r for r in baseline.to_pylist()}
    rows = []
    for cell in figures.to_pylist():
        base = reference.get((cell["customer"], cell["service"]), {})
        for objective in policy.objectives:
            value = cell.get(objective.figure)
            basis = int(cell.get(FIGURE_BASIS[objective.figure]) or 0)
            verdict = judge(objective, value, basis, policy.min_answers)
            rows.append(
                {
                    "customer": cell["customer"],
                    "service": cell["service"],
                    "month": cell["month"],
                    "figure": objective.figure,
                    "direction": objective.direction.value,
                    "objective": objective.bound,
                    "value": None if value is None or math.isnan(value) else value,
                    "basis": basis,
                    "status": verdict.value,
                    "baseline": base.get(objective.figure),
                }
            )
    return pa.Table.from_pylist(rows, schema=XLA_SCHEMA)


def customer_xla(
    engine: Engine,
    customer: str,
    *,
    as_of_us: int,
    month: str | None = None,
    by_service: bool = True,
) -> pa.Table:
    """XLA compliance of a stored customer; empty when its contract has no XLA."""
    with engine.connect() as conn:
        policy = experience_policy(repo.active_contracts(conn, _customer(conn, customer)))
    if policy is None:
        return XLA_SCHEMA.empty_table()
    parts = pooled(customer_parts(engine, customer, as_of_us=as_of_us), by_service)
    return xla_of_parts(parts, policy, month)


def xla_of_parts(parts: pa.Table, policy: ExperiencePolicy, month: str | None) -> pa.Table:
    """`xla_table` of a parts table, of one month or all."""
    shown = parts if month is None else parts.filter(pc.equal(parts.column("month"), month))
    return xla_table(figures_table(shown), baseline_figures(parts, policy), policy)
