"""Service credits of one month from a versioned credit table, explained line by line.

A month's statement (docs/availability.md, "Service credits"):

1. **availability**: per service of the table, the largest credit among the tiers whose
   threshold the month's uptime is below (strictly; decided on exact integers);
2. **metric**: per metric of the table that missed its objective in the month, its points
   × the value of a point (% of the fee);
3. **earn-back**: a credit of step 1 or 2 is waived when its service or metric meets its
   objective in each of the next `earn_back_months` complete months; until then it stands;
4. **cap**: the sum is cut to the cap; **total**: the lines added up.

Amounts are Decimal money (fee × % / 100, rounded half up to cents per line); the total
is the sum of the lines, so the statement adds up as printed. The data are a few lines per
month, so this is plain Python rather than arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from mittari.engine.availability import PPM

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Tier:
    below_ppm: int  # uptime strictly below this (parts per million of 100 %) ...
    credit_pct: Decimal  # ... credits this % of the monthly fee


@dataclass(frozen=True)
class CreditPolicy:
    """The `credits` section of one contract version, resolved."""

    table: str  # the credit table's own version label, shown on every statement
    monthly_fee: Decimal
    currency: str
    availability: Mapping[str, tuple[Tier, ...]] = field(default_factory=dict)
    metric_points: Mapping[str, int] = field(default_factory=dict)
    point_value_pct: Decimal = Decimal(0)
    cap_pct: Decimal = Decimal(100)
    earn_back_months: int = 0  # 0: no earn-back


@dataclass(frozen=True)
class ServiceMonth:
    downtime: int  # µs × WEIGHT_SCALE (engine/availability.py)
    agreed_us: int
    objective_met: bool


@dataclass(frozen=True)
class MetricMonth:
    count: int
    met: int
    objective_pct: float
    objective_met: bool


@dataclass(frozen=True)
class MonthResults:
    """What one month measured: availability per service, compliance per metric."""

    month: str
    complete: bool
    services: Mapping[str, ServiceMonth] = field(default_factory=dict)
    metrics: Mapping[str, MetricMonth] = field(default_factory=dict)


@dataclass(frozen=True)
class CreditLine:
    month: str
    step: str  # availability, metric, earn-back, subtotal, cap, total
    item: str  # the service or metric ("" on sums)
    detail: str
    points: int | None
    pct: Decimal
    amount: Decimal


def uptime_below(result: ServiceMonth, threshold_ppm: int) -> bool:
    """Uptime < threshold, i.e. downtime / agreed > 1 − threshold, on exact integers."""
    return result.agreed_us > 0 and result.downtime * 100 > (PPM - threshold_ppm) * result.agreed_us


def statement(
    policy: CreditPolicy, results: Sequence[MonthResults], month: str
) -> list[CreditLine]:
    """The credit lines of `month`; `results` holds it and the months after it (earn-back)."""
    by_month = {r.month: r for r in results}
    this = by_month[month]
    later = [r for r in sorted(results, key=lambda r: r.month) if r.month > month]
    later = later[: policy.earn_back_months]
    lines: list[CreditLine] = []
    for service, tiers in policy.availability.items():
        line = _availability_line(policy, this, service, tiers)
        lines += [line, *_earn_back(policy, line, later, _service_met(service))]
    for metric, points in policy.metric_points.items():
        line = _metric_line(policy, this, metric, points)
        lines += [line, *_earn_back(policy, line, later, _metric_met(metric))]
    return _sums(policy, month, lines)


def _money(policy: CreditPolicy, pct: Decimal) -> Decimal:
    return (policy.monthly_fee * pct / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _line(
    policy: CreditPolicy,
    month: str,
    step: str,
    item: str,
    detail: str,
    pct: Decimal,
    points: int | None = None,
) -> CreditLine:
    return CreditLine(month, step, item, detail, points, pct, _money(policy, pct))


def _pct(ppm: int) -> str:
    return f"{Decimal(ppm) / (PPM // 100):f} %"


def _availability_line(
    policy: CreditPolicy, this: MonthResults, service: str, tiers: tuple[Tier, ...]
) -> CreditLine:
    result = this.services.get(service)
    if result is None or result.agreed_us == 0:
        return _line(
            policy, this.month, "availability", service, "no agreed service time", Decimal(0)
        )
    uptime = 100 * (1 - result.downtime / (result.agreed_us * PPM / 100))
    hit = [t for t in tiers if uptime_below(result, t.below_ppm)]
    if not hit:
        lowest = min(t.below_ppm for t in tiers)
        detail = f"uptime {uptime:.4f} % is not below {_pct(lowest)}: no credit"
        return _line(policy, this.month, "availability", service, detail, Decimal(0))
    tier = max(hit, key=lambda t: (t.credit_pct, -t.below_ppm))
    detail = (
        f"uptime {uptime:.4f} % is below {_pct(tier.below_ppm)} → {tier.credit_pct:f} % of the fee"
    )
    return _line(policy, this.month, "availability", service, detail, tier.credit_pct)


def _metric_line(policy: CreditPolicy, this: MonthResults, metric: str, points: int) -> CreditLine:
    result = this.metrics.get(metric)
    if result is None or result.count == 0:
        return _line(
            policy, this.month, "metric", metric, "no measured tickets: no miss", Decimal(0)
        )
    shown = f"compliance {100 * result.met / result.count:.2f} % ({result.met}/{result.count})"
    objective = f"objective {result.objective_pct:g} %"
    if result.objective_met:
        return _line(
            policy, this.month, "metric", metric, f"{shown} meets {objective}", Decimal(0), 0
        )
    pct = points * policy.point_value_pct
    detail = f"{shown} misses {objective} → {points} points × {policy.point_value_pct:f} %"
    return _line(policy, this.month, "metric", metric, detail, pct, points)


Met = Callable[[MonthResults], bool]


def _service_met(service: str) -> Met:
    def met(r: MonthResults) -> bool:
        found = r.services.get(service)
        return found is None or found.objective_met

    return met


def _metric_met(metric: str) -> Met:
    def met(r: MonthResults) -> bool:
        found = r.metrics.get(metric)
        return found is None or found.count == 0 or found.objective_met

    return met


def _earn_back(
    policy: CreditPolicy, line: CreditLine, later: list[MonthResults], met: Met
) -> list[CreditLine]:
    """The earn-back line of a credit, if the table has earn-back and the line a credit."""
    n = policy.earn_back_months
    if n == 0 or line.pct == 0:
        return []
    done = [r for r in later if r.complete]
    missed = next((r.month for r in done if not met(r)), None)
    if missed is not None:
        detail = f"objective missed again in {missed}: the credit stands"
        return [_line(policy, line.month, "earn-back", line.item, detail, Decimal(0))]
    if len(done) < n:
        detail = f"pending: objective met in {len(done)} of the next {n} months so far"
        return [_line(policy, line.month, "earn-back", line.item, detail, Decimal(0))]
    months = ", ".join(r.month for r in done)
    detail = f"objective met in each of the next {n} months ({months}): credit earned back"
    return [_line(policy, line.month, "earn-back", line.item, detail, -line.pct)]


def _sums(policy: CreditPolicy, month: str, lines: list[CreditLine]) -> list[CreditLine]:
    subtotal = sum((line.pct for line in lines), Decimal(0))
    amount = sum((line.amount for line in lines), Decimal(0))
    out = [
        *lines,
        CreditLine(month, "subtotal", "", "sum of the lines above", None, subtotal, amount),
    ]
    if subtotal > policy.cap_pct:
        cut = policy.cap_pct - subtotal
        out.append(
            _line(policy, month, "cap", "", f"capped at {policy.cap_pct:f} % of the fee", cut)
        )
    total_pct = min(subtotal, policy.cap_pct)
    total = sum((line.amount for line in out[len(lines) + 1 :]), amount)
    detail = (
        f"credit of {policy.monthly_fee:f} {policy.currency} monthly fee (table {policy.table})"
    )
    out.append(CreditLine(month, "total", "", detail, None, total_pct, total))
    return out
