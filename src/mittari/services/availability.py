"""Availability per customer, service and month, from outage tables and contract terms.

Outages (`importers/outages` OUTAGE_SCHEMA, several files concatenated) are matched to the
services of each contract version's `availability` section by name (and by customer when
the table has a `customer` column). A month is judged under the version in force at its
start (`spec.terms.version_at`). An outage without an end, or ending after as-of, ends at
as-of; one starting after as-of is ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.availability import (
    PPM,
    Monthly,
    Outages,
    ServiceObjective,
    band_labels,
    monthly,
    service_steps,
)
from mittari.engine.burn import SLOTH_30D, burn_rates
from mittari.engine.calendar import BusinessCalendar, local_to_utc
from mittari.engine.outage_steps import WEIGHT_SCALE
from mittari.engine.types import I64, US
from mittari.spec.resolve import ContractTerms
from mittari.spec.terms import version_at

MINUTE = 60 * US


@dataclass(frozen=True)
class ServiceMonths:
    """The months of one service that one contract version judges."""

    terms: ContractTerms
    service: ServiceObjective
    months: Monthly
    rows: I64  # indexes into `months` of the months this version judges
    bands_us: tuple[int, ...]  # the version's outage duration bands


def outages_of(table: pa.Table, service: str, customer: str, as_of: int) -> Outages:
    """The rows of `service` (and `customer`, if named) as engine arrays, cut at as-of."""
    mask = pc.equal(table.column("service"), service)
    if "customer" in table.column_names:
        named = pc.fill_null(pc.equal(table.column("customer"), customer), True)
        mask = pc.and_(mask, named)
    rows = table.filter(mask)
    start = _us(rows.column("start"), as_of)
    end = np.minimum(_us(rows.column("end"), as_of), as_of)
    weight = np.rint(rows.column("weight").to_numpy() * WEIGHT_SCALE).astype(np.int64)
    planned = np.asarray(rows.column("planned").fill_null(False).to_numpy(zero_copy_only=False))
    keep = start < end
    return Outages(start[keep], end[keep], weight[keep], planned[keep].astype(bool))


def _us(column: pa.ChunkedArray, missing: int) -> I64:
    ints = pc.cast(column, pa.int64()).fill_null(missing)
    return np.asarray(ints.to_numpy(), dtype=np.int64)


def measure_availability(
    outages: pa.Table,
    terms: Sequence[ContractTerms],
    as_of: int,
    month: str | None = None,
    since: int | None = None,
) -> list[ServiceMonths]:
    """Monthly availability of every service of every version with an availability section.

    The months: `month` alone if given; else from the first outage (or `since`, if that
    is earlier; else the as-of month) to as-of.
    """
    out: list[ServiceMonths] = []
    for version in terms:
        policy = version.availability
        if policy is None:
            continue
        for service in policy.services:
            found = outages_of(outages, service.service, version.contract.customer, as_of)
            lo, hi = _span(version, found, as_of, month, since)
            if lo >= hi:
                continue
            months = monthly(found, service, policy, lo, hi, as_of)
            rows = _judged(version, terms, months, month)
            if len(rows):
                out.append(ServiceMonths(version, service, months, rows, policy.bands_us))
    return out


def _span(
    version: ContractTerms, found: Outages, as_of: int, month: str | None, since: int | None
) -> tuple[int, int]:
    """The instants whose months to measure, within the version's effective range."""
    c = version.contract
    assert version.availability is not None
    if month is not None:
        lo, hi = month_range(month, version.availability.timezone)
        return lo, min(hi, as_of + 1)
    first = min(int(found.start.min()) if len(found) else as_of, since or as_of)
    lo = max(first, c.effective_from_us)
    hi = as_of + 1 if c.effective_to_us is None else min(as_of + 1, c.effective_to_us)
    return lo, hi


def month_range(month: str, timezone: str) -> tuple[int, int]:
    """Local month "2026-03" of `timezone` as UTC µs [start, end)."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    zone = ZoneInfo(timezone)
    return local_to_utc(first, 0, zone), local_to_utc(following, 0, zone)


def _judged(
    version: ContractTerms, terms: Sequence[ContractTerms], months: Monthly, month: str | None
) -> I64:
    customer = version.contract.customer
    keep = [
        i
        for i, label in enumerate(months.labels)
        if (month is None or label == month)
        and version_at(terms, customer, int(months.start[i]), int(months.end[i])) is version
    ]
    return np.array(keep, dtype=np.int64)


def availability_table(results: Sequence[ServiceMonths]) -> pa.Table:
    """One row per customer, service and month; band counts as columns `outages <band>`."""
    records: list[dict[str, object]] = []
    for r in results:
        m, bands = r.months, band_labels(r.bands_us)
        for i in r.rows:
            row: dict[str, object] = {
                "customer": r.terms.contract.customer,
                "contract_version": r.terms.contract.version,
                "service": r.service.service,
                "month": m.labels[i],
                "complete": bool(m.complete[i]),
                "objective_pct": r.service.objective_ppm * 100 / PPM,
                "agreed_min": float(m.agreed_us[i] / MINUTE),
                "excluded_min": float(m.excluded_us[i] / MINUTE),
                "downtime_min": float(m.downtime[i] / WEIGHT_SCALE / MINUTE),
                "uptime_pct": _finite(m.uptime_pct[i]),
                "objective_met": bool(m.objective_met[i]),
                "budget_left_pct": _finite(m.budget_left_pct[i]),
                "burn_rate": _finite(m.burn_rate[i]),
                "outages": int(m.outages[i]),
            }
            row.update({f"outages {b}": int(n) for b, n in zip(bands, m.bands[i], strict=True)})
            records.append(row)
    table = pa.Table.from_pylist(records) if records else _empty()
    return table.sort_by(
        [("customer", "ascending"), ("service", "ascending"), ("month", "ascending")]
    )


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _empty() -> pa.Table:
    names = ["customer", "contract_version", "service", "month"]
    return pa.table({n: pa.array([], pa.string()) for n in names})


def burn_table(outages: pa.Table, terms: Sequence[ContractTerms], at: int) -> pa.Table:
    """Multi-window burn rates (Sloth's 30-day windows) of every service at instant `at`."""
    records: list[dict[str, object]] = []
    for version in terms:
        c = version.contract
        if version.availability is None or version_at(terms, c.customer, at, at + 1) is not version:
            continue
        for service in version.availability.services:
            found = outages_of(outages, service.service, c.customer, at)
            calendar = BusinessCalendar(service.calendar)
            steps = service_steps(found, service, calendar, at - 4 * 86400 * US, at)
            check = burn_rates(steps, service, at, SLOTH_30D)
            for k, w in enumerate(SLOTH_30D):
                records.append(
                    {
                        "customer": c.customer,
                        "service": service.service,
                        "severity": w.severity,
                        "long_window": _window(w.long_us),
                        "short_window": _window(w.short_us),
                        "factor": round(w.factor, 4),
                        "burn_long": round(float(check.long_rate[k]), 4),
                        "burn_short": round(float(check.short_rate[k]), 4),
                        "alerting": bool(check.alerting[k]),
                    }
                )
    return pa.Table.from_pylist(records) if records else _empty().select(["customer"])


def _window(us: int) -> str:
    minutes = us // MINUTE
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"
