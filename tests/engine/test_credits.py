"""Service credits worked by hand, and the statement against the Fraction-based twin."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mittari.engine.credits import (
    CreditPolicy,
    MetricMonth,
    MonthResults,
    ServiceMonth,
    Tier,
    statement,
)
from mittari.engine.reference_availability import reference_credit_pct

MIN = 60_000_000
APRIL = 43_200 * MIN  # agreed µs of a 24x7 April
POLICY = CreditPolicy(
    table="2026.1",
    monthly_fee=Decimal("12000"),
    currency="EUR",
    availability={
        "email": (
            Tier(999_000, Decimal(5)),
            Tier(995_000, Decimal(10)),
            Tier(990_000, Decimal(20)),
        ),
        "erp": (Tier(995_000, Decimal(5)), Tier(980_000, Decimal(15))),
    },
    metric_points={"first_response": 2, "resolution": 3},
    point_value_pct=Decimal(1),
    cap_pct=Decimal(25),
    earn_back_months=3,
)


def down(minutes: float) -> ServiceMonth:
    """A 24x7 April with `minutes` of full downtime, judged against 99.9 %."""
    downtime = round(minutes * MIN * 10_000)
    return ServiceMonth(downtime, APRIL, downtime * 100 <= 1_000 * APRIL)


def month(
    label: str,
    complete: bool = True,
    email: float = 0,
    erp: float = 0,
    resolution: tuple[int, int] = (10, 10),
) -> MonthResults:
    met, count = resolution
    metrics = {"resolution": MetricMonth(count, met, 90.0, met * 100 >= 90 * count)}
    return MonthResults(label, complete, {"email": down(email), "erp": down(erp)}, metrics)


def lines(results: list[MonthResults], label: str = "2026-04") -> dict[tuple[str, str], str]:
    return {(x.step, x.item): f"{x.pct} {x.amount}" for x in statement(POLICY, results, label)}


def test_the_largest_tier_below_which_uptime_fell_and_the_points_of_a_missed_metric() -> None:
    # email: 86.4 min of 43 200 = 99.8 % (< 99.9, not < 99.5): 5 %; erp: 99.0 % (< 99.5): 5 %;
    # resolution 8 of 10 < 90 %: 3 points × 1 %; first_response had no tickets.
    got = lines([month("2026-04", email=86.4, erp=432, resolution=(8, 10))])
    assert got[("availability", "email")] == "5 600.00"
    assert got[("availability", "erp")] == "5 600.00"
    assert got[("metric", "resolution")] == "3 360.00"
    assert got[("metric", "first_response")] == "0 0.00"
    assert got[("subtotal", "")] == "13 1560.00"
    assert got[("total", "")] == "13 1560.00"
    assert ("cap", "") not in got


def test_uptime_exactly_at_a_threshold_earns_no_credit() -> None:
    got = lines([month("2026-04", email=43.2)])  # exactly 99.9 %
    assert got[("availability", "email")] == "0 0.00"


def test_the_cap_cuts_the_sum_to_exactly_the_capped_amount() -> None:
    got = lines([month("2026-04", email=500, erp=1000, resolution=(1, 10))])  # 20 + 15 + 3
    assert got[("subtotal", "")] == "38 4560.00"
    assert got[("cap", "")] == "-13 -1560.00"
    assert got[("total", "")] == "25 3000.00"


def test_a_credit_is_earned_back_after_three_good_months_and_pending_before() -> None:
    bad = month("2026-04", email=86.4)
    good = [month(m) for m in ("2026-05", "2026-06", "2026-07")]
    earned = lines([bad, *good])
    assert earned[("earn-back", "email")] == "-5 -600.00"
    assert earned[("total", "")] == "0 0.00"
    pending = lines([bad, good[0], month("2026-06", complete=False)])
    assert pending[("earn-back", "email")] == "0 0.00"
    assert pending[("total", "")] == "5 600.00"
    missed = lines([bad, good[0], month("2026-06", email=100), good[2]])
    assert missed[("earn-back", "email")] == "0 0.00"


def test_the_statement_explains_each_line() -> None:
    text = [
        x.detail
        for x in statement(POLICY, [month("2026-04", email=86.4, resolution=(8, 10))], "2026-04")
    ]
    assert "uptime 99.8000 % is below 99.9 % → 5 % of the fee" in text
    assert "compliance 80.00 % (8/10) misses objective 90 % → 3 points × 1 %" in text


tier_lists = st.lists(
    st.builds(Tier, st.integers(900_000, 1_000_000), st.integers(0, 40).map(Decimal)),
    min_size=1,
    max_size=3,
)


@st.composite
def results(draw: st.DrawFn) -> list[MonthResults]:
    out = []
    for k in range(draw(st.integers(1, 5))):
        agreed = draw(st.integers(0, 10)) * 1_000 * MIN
        downtime = draw(st.integers(0, 50)) * MIN * 10_000 * draw(st.integers(0, 20))
        count = draw(st.integers(0, 20))
        met = draw(st.integers(0, count))
        services = {"a": ServiceMonth(downtime, agreed, draw(st.booleans()))}
        metrics = {"m": MetricMonth(count, met, 90.0, draw(st.booleans()))}
        out.append(MonthResults(f"2026-{k + 1:02d}", draw(st.booleans()), services, metrics))
    return out


@settings(max_examples=200, deadline=None)
@given(tier_lists, results(), st.integers(0, 3), st.integers(1, 5), st.integers(0, 60).map(Decimal))
def test_the_total_equals_the_twin(
    tiers: list[Tier], found: list[MonthResults], earn_back: int, points: int, cap: Decimal
) -> None:
    policy = CreditPolicy(
        "t",
        Decimal("999.99"),
        "EUR",
        {"a": tuple(tiers)},
        {"m": points},
        Decimal("1.5"),
        cap,
        earn_back,
    )
    lines = statement(policy, found, "2026-01")
    total = lines[-1]
    assert total.step == "total"
    assert total.pct == reference_credit_pct(policy, found, "2026-01")
    # The statement adds up as printed: the total is the sum of every line but the subtotal.
    assert total.amount == sum(x.amount for x in lines[:-1] if x.step != "subtotal")
