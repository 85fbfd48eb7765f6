"""Slow, obviously correct twins of availability and credits, for the property tests.

Availability is walked minute by minute (inputs must be whole minutes): each minute is open
or not by its local wall time, in a window or not, covered by which outages; the month is
the local month of the minute. Nothing is shared with the vectorised engine but the
definitions of docs/availability.md. Credits are recomputed with Fractions, tier by tier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from mittari.engine.credits import CreditPolicy, MonthResults
from mittari.engine.types import US, CalendarSpec, Minutes

MINUTE = 60 * US


@dataclass(frozen=True)
class RefOutage:
    start: int  # µs, whole minutes
    end: int
    weight: int  # 1/10 000
    planned: bool


@dataclass
class RefMonth:
    agreed_us: int = 0
    excluded_us: int = 0
    downtime: int = 0  # µs × 10 000
    episodes: list[int] | None = None  # wall-clock lengths of the episodes starting here


def _local(t_us: int, zone: str) -> datetime:
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=t_us)).astimezone(
        ZoneInfo(zone)
    )


def _in_weekly(local: datetime, weekly: tuple[tuple[Minutes, ...], ...]) -> bool:
    """Whether a local wall time falls in a weekly interval (overnight shifts too)."""
    if not weekly:
        return False
    minute = local.hour * 60 + local.minute
    today, yesterday = local.weekday(), (local.weekday() - 1) % 7
    if any(s <= minute < e for s, e in weekly[today]):
        return True
    return any(s <= minute + 1440 < e for s, e in weekly[yesterday])


def is_open(t_us: int, calendar: CalendarSpec) -> bool:
    """A calendar without holidays or closures (what the property tests generate)."""
    return calendar.always_open or _in_weekly(_local(t_us, calendar.timezone), calendar.weekly)


def reference_months(
    outages: Sequence[RefOutage],
    calendar: CalendarSpec,
    window_zone: str,
    weekly_windows: tuple[tuple[Minutes, ...], ...],
    dated_windows: Sequence[tuple[int, int]],
    lo: int,
    as_of: int,
    zone: str,
) -> dict[str, RefMonth]:
    """Per local month label, from minute `lo` to `as_of` (both whole minutes)."""
    months: dict[str, RefMonth] = {}
    run_start, run_cost = None, 0
    t = lo
    while t < as_of:
        local = _local(t, zone)
        month = months.setdefault(f"{local.year:04d}-{local.month:02d}", RefMonth(episodes=[]))
        covering = [o for o in outages if o.start <= t < o.end]
        here = local if window_zone == zone else _local(t, window_zone)
        window = _in_weekly(here, weekly_windows) or any(s <= t < e for s, e in dated_windows)
        excluded = window and any(o.planned for o in covering)
        weight = 0 if excluded else max((o.weight for o in covering), default=0)
        agreed = calendar.always_open or _in_weekly(
            local if calendar.timezone == zone else _local(t, calendar.timezone), calendar.weekly
        )
        if agreed and excluded:
            month.excluded_us += MINUTE
        elif agreed:
            month.agreed_us += MINUTE
            month.downtime += weight * MINUTE
        if weight > 0 and run_start is None:
            run_start, run_cost = t, 0
        if weight > 0:
            run_cost += weight * MINUTE * agreed
        if weight == 0 and run_start is not None:
            _close(months, run_start, t, run_cost, zone)
            run_start = None
        t += MINUTE
    if run_start is not None:
        _close(months, run_start, t, run_cost, zone)
    return months


def _close(months: dict[str, RefMonth], start: int, end: int, cost: int, zone: str) -> None:
    if cost > 0:
        episodes = months[_local(start, zone).strftime("%Y-%m")].episodes
        assert episodes is not None
        episodes.append(end - start)


def reference_credit_pct(
    policy: CreditPolicy, results: Sequence[MonthResults], month: str
) -> Decimal:
    """The month's total credit in % of the fee, recomputed from the definitions."""
    by_month = {r.month: r for r in results}
    later = sorted(m for m in by_month if m > month)[: policy.earn_back_months]
    total = Decimal(0)
    for service, tiers in policy.availability.items():
        found = by_month[month].services.get(service)
        pct = Decimal(0)
        for tier in sorted(tiers, key=lambda t: t.credit_pct, reverse=True):
            if found is None or found.agreed_us == 0:
                break
            uptime = 1 - Fraction(found.downtime, found.agreed_us * 10_000)
            if uptime < Fraction(tier.below_ppm, 1_000_000):
                pct = tier.credit_pct
                break
        if pct and _earned_back(policy, [by_month[m] for m in later], service, None):
            pct = Decimal(0)
        total += pct
    for metric, points in policy.metric_points.items():
        seen = by_month[month].metrics.get(metric)
        pct = Decimal(0)
        if seen is not None and seen.count > 0 and not seen.objective_met:
            pct = points * policy.point_value_pct
        if pct and _earned_back(policy, [by_month[m] for m in later], None, metric):
            pct = Decimal(0)
        total += pct
    return min(total, policy.cap_pct)


def _earned_back(
    policy: CreditPolicy, later: list[MonthResults], service: str | None, metric: str | None
) -> bool:
    if policy.earn_back_months == 0:
        return False
    complete = [r for r in later if r.complete]
    for r in complete:
        if service is not None and service in r.services and not r.services[service].objective_met:
            return False
        seen = r.metrics.get(metric) if metric is not None else None
        if seen is not None and seen.count > 0 and not seen.objective_met:
            return False
    return len(complete) >= policy.earn_back_months
