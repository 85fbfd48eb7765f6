"""Compliance tables: each group judged against its own contract's objective."""

from __future__ import annotations

import pyarrow as pa

from mittari.engine.types import (
    ContractPolicy,
    MetricPolicy,
    PriorityRule,
    ReopenPolicy,
    Target,
)
from mittari.services.measure import compliance_table


def contract(customer: str, objective: float) -> ContractPolicy:
    metric = MetricPolicy(
        "resolution",
        (),
        (),
        frozenset(),
        ReopenPolicy.RESUME,
        PriorityRule.CURRENT,
        {3: Target(3600, "always")},
        objective,
        3,
    )
    return ContractPolicy(customer, "1", "Europe/Helsinki", 0, None, {}, (metric,))


def measured(rows: list[tuple[str, str]]) -> pa.Table:
    """(customer, state) rows of the resolution metric, all stopped on 2026-10-10."""
    n = len(rows)
    stop = pa.array([1_791_000_000_000_000] * n, pa.timestamp("us", tz="UTC"))
    return pa.table(
        {
            "ticket_id": [f"T{i}" for i in range(n)],
            "metric": ["resolution"] * n,
            "priority": ["P3"] * n,
            "state": [s for _, s in rows],
            "elapsed_s": [60.0] * n,
            "stop_at": stop,
            "customer": [c for c, _ in rows],
            "contract_version": ["1"] * n,
        }
    )


ROWS = [("a", "met")] * 9 + [("a", "breached")] + [("b", "met")] * 9 + [("b", "breached")]
CONTRACTS = [contract("a", 90.0), contract("b", 95.0)]


def test_each_customer_row_has_its_own_objective() -> None:
    out = compliance_table(measured(ROWS), CONTRACTS, ["customer", "metric"]).to_pylist()
    # Both at 9 of 10 = 90 %: customer a meets its 90 %, customer b misses its 95 %.
    assert [
        (r["customer"], r["compliance_pct"], r["objective_pct"], r["objective_met"]) for r in out
    ] == [("a", 90.0, 90.0, True), ("b", 90.0, 95.0, False)]


def test_a_metric_with_two_objectives_is_split_by_objective() -> None:
    out = compliance_table(measured(ROWS), CONTRACTS, ["metric"]).to_pylist()
    assert sorted((r["count"], r["objective_pct"], r["objective_met"]) for r in out) == [
        (10, 90.0, True),
        (10, 95.0, False),
    ]


def test_without_metric_there_is_no_objective() -> None:
    out = compliance_table(measured(ROWS), CONTRACTS, ["customer"]).to_pylist()
    assert [(r["count"], r["objective_pct"], r["objective_met"]) for r in out] == [
        (10, None, None),
        (10, None, None),
    ]


def test_a_null_group_key_stays_null() -> None:
    table = measured(ROWS)
    teams = pa.array(["red"] * 10 + [None] * 10, pa.string())
    table = table.append_column("team", teams)
    out = compliance_table(table, CONTRACTS, ["team"]).to_pylist()
    assert sorted((r["team"] or "", r["count"]) for r in out) == [("", 10), ("red", 10)]
