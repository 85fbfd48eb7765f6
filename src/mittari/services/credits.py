"""Service-credit statements per customer and month, from the same measurements as the
compliance and availability reports.

Metric misses come from `compliance_table(..., by=[customer, month, metric])` (met /
(met + breached) against each metric's objective); availability from
`measure_availability`. A month is judged under the credit table of the contract version
in force at its start. The statement lines are a table the report and the API can show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pyarrow as pa

from mittari.engine.credits import CreditLine, MetricMonth, MonthResults, ServiceMonth, statement
from mittari.engine.types import ContractPolicy
from mittari.services.availability import ServiceMonths, month_range
from mittari.services.measure import compliance_table
from mittari.spec.resolve import ContractTerms
from mittari.spec.terms import version_at

BY = ["customer", "month", "metric"]


def credit_statements(
    terms: Sequence[ContractTerms],
    measured: pa.Table,
    availability: Sequence[ServiceMonths],
    month: str,
    as_of: int,
) -> pa.Table:
    """The statement lines of `month` for every customer whose contract has a credit table.

    `measured` are the measurement rows of `measure_versions`; `availability` must cover
    `month` and the months after it up to as-of (for earn-back).
    """
    contracts: list[ContractPolicy] = [t.contract for t in terms]
    compliance = compliance_table(measured, contracts, BY) if measured.num_rows else None
    lines: list[tuple[CreditLine, str]] = []
    for customer in sorted({t.contract.customer for t in terms}):
        judge = _version(terms, customer, month)
        if judge is None or judge.credits is None:
            continue
        policy = judge.credits
        months = _months(month, policy.earn_back_months)
        results = [_results(customer, m, judge, compliance, availability, as_of) for m in months]
        lines += [(line, customer) for line in statement(policy, results, month)]
    return _table(lines, terms)


def _version(terms: Sequence[ContractTerms], customer: str, month: str) -> ContractTerms | None:
    zone = next((t.contract.timezone for t in terms if t.contract.customer == customer), "UTC")
    lo, hi = month_range(month, zone)
    return version_at(terms, customer, lo, hi)


def _months(first: str, following: int) -> list[str]:
    year, number = (int(p) for p in first.split("-"))
    out = []
    for k in range(following + 1):
        index = year * 12 + number - 1 + k
        out.append(date(index // 12, index % 12 + 1, 1).strftime("%Y-%m"))
    return out


def _results(
    customer: str,
    month: str,
    judge: ContractTerms,
    compliance: pa.Table | None,
    availability: Sequence[ServiceMonths],
    as_of: int,
) -> MonthResults:
    """What `month` measured for `customer`: its services' availability, its metrics."""
    _, end = month_range(month, judge.contract.timezone)
    services: dict[str, ServiceMonth] = {}
    for r in availability:
        if r.terms.contract.customer != customer:
            continue
        for i in r.rows:
            if r.months.labels[i] == month:
                services[r.service.service] = ServiceMonth(
                    int(r.months.downtime[i]),
                    int(r.months.agreed_us[i]),
                    bool(r.months.objective_met[i]),
                )
    return MonthResults(month, end <= as_of, services, _metrics(compliance, customer, month))


def _metrics(compliance: pa.Table | None, customer: str, month: str) -> dict[str, MetricMonth]:
    """Compliance per metric; rows of one metric under two objectives are judged together."""
    found: dict[str, MetricMonth] = {}
    rows = [] if compliance is None else compliance.to_pylist()
    for row in rows:
        if row["customer"] != customer or row["month"] != month:
            continue
        name, seen = row["metric"], found.get(row["metric"])
        count, met = row["count"], row["met"]
        ok = bool(row["objective_met"])
        if seen is not None:
            count, met, ok = count + seen.count, met + seen.met, ok and seen.objective_met
        found[name] = MetricMonth(count, met, float(row["objective_pct"]), ok)
    return found


def _table(lines: list[tuple[CreditLine, str]], terms: Sequence[ContractTerms]) -> pa.Table:
    currency = {t.contract.customer: t.credits.currency for t in terms if t.credits}
    return pa.table(
        {
            "customer": pa.array([c for _, c in lines], pa.string()),
            "month": pa.array([x.month for x, _ in lines], pa.string()),
            "step": pa.array([x.step for x, _ in lines], pa.string()),
            "item": pa.array([x.item for x, _ in lines], pa.string()),
            "points": pa.array([x.points for x, _ in lines], pa.int64()),
            "pct": pa.array([x.pct for x, _ in lines], pa.decimal128(12, 4)),
            "amount": pa.array([x.amount for x, _ in lines], pa.decimal128(18, 2)),
            "currency": pa.array([currency.get(c) for _, c in lines], pa.string()),
            "detail": pa.array([x.detail for x, _ in lines], pa.string()),
        }
    )
