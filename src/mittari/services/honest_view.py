"""Reported beside honest compliance of one customer, as the dashboard's page shows it.

One `integrity_report` (services/stored_reports.py, the API's own report) at as-of gives
every month's compliance, reported and honest; the flags and the deadline-bunching rows are
then kept for the chosen month exactly as `integrity_report(..., month)` keeps them: flags
raised in the local month of the customer's contract zone, bunching rows of that month.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from mittari.db.scope import Scoped
from mittari.services.availability import month_range
from mittari.services.evidence_words import EvidenceEvent, evidence_events
from mittari.services.stored_inputs import stored_terms
from mittari.services.stored_reports import integrity_report


@dataclass(frozen=True)
class HonestRow:
    """One metric in one month: the contract's figure and the honest one."""

    month: str
    metric: str
    objective_pct: float | None
    reported_count: int
    reported_met: int
    reported_pct: float | None
    reported_ok: bool | None
    honest_count: int
    honest_met: int
    honest_pct: float | None
    honest_ok: bool | None

    @property
    def difference_pp(self) -> float | None:
        """Honest minus reported, in percentage points."""
        if self.reported_pct is None or self.honest_pct is None:
            return None
        return self.honest_pct - self.reported_pct


@dataclass(frozen=True)
class RuleCount:
    flag: str
    rule: str
    hits: int
    tickets: int


@dataclass(frozen=True)
class FlaggedHit:
    ticket: str
    flag: str
    rule: str
    at_us: int
    evidence: str  # as `mittari integrity` writes it
    events: list[EvidenceEvent] | None  # the same, event by event (None: not readable)


@dataclass(frozen=True)
class BunchedTeam:
    assignee: str
    resolutions: int
    in_last_window: int
    in_window_before: int
    p_value: float
    tickets: list[str]


@dataclass(frozen=True)
class HonestView:
    timezone: str
    month: str | None  # the chosen month (None: no compliance rows at all)
    months: list[str]  # every month with compliance rows, oldest first
    metrics: list[str]
    rows: list[HonestRow]  # every month and metric
    hits: list[FlaggedHit]  # raised in the chosen month, by ticket and instant
    rules: list[RuleCount]  # of those hits, per flag and rule
    bunched: list[BunchedTeam]  # team-months of the chosen month flagged for bunching

    def of_month(self) -> list[HonestRow]:
        return [r for r in self.rows if r.month == self.month]

    def series(self, metric: str) -> tuple[list[float | None], list[float | None]]:
        """Reported and honest compliance of `metric` per month of `months`."""
        found = {r.month: r for r in self.rows if r.metric == metric}
        reported = [found[m].reported_pct if m in found else None for m in self.months]
        honest = [found[m].honest_pct if m in found else None for m in self.months]
        return reported, honest

    def objective(self, metric: str) -> float | None:
        return next((r.objective_pct for r in self.rows if r.metric == metric), None)


def honest_view(scope: Scoped, owner: int, as_of_us: int, month: str | None) -> HonestView:
    """Every month's compliance reported and honest, and the flags of `month` (None: the
    latest month with compliance rows)."""
    terms, _ = stored_terms(scope, owner)
    zone = terms[0].contract.timezone if terms else "UTC"
    report = integrity_report(scope, owner, as_of_us)
    rows = [_row(r) for r in report.compliance.to_pylist() if r["month"] and r["metric"]]
    months = sorted({r.month for r in rows})
    metrics = sorted({r.metric for r in rows})
    month = month or (months[-1] if months else None)
    if month is None:
        return HonestView(zone, None, months, metrics, rows, [], [], [])
    hits = _hits(report.flags, month, zone)
    bunched = [
        BunchedTeam(
            b["assignee"],
            b["resolutions"],
            b["in_last_window"],
            b["in_window_before"],
            b["p_value"],
            b["tickets_in_last_window"].split(),
        )
        for b in report.bunching.to_pylist()
        if b["month"] == month and b["flagged"]
    ]
    return HonestView(zone, month, months, metrics, rows, hits, rule_counts(hits), bunched)


def _hits(flags: pa.Table, month: str, zone: str) -> list[FlaggedHit]:
    """The hits raised in the local `month`, as `integrity_report(..., month)` keeps them."""
    if flags.num_rows == 0:
        return []
    lo, hi = month_range(month, zone)
    at = pc.cast(flags.column("at"), pa.int64())
    flags = flags.filter(pc.and_(pc.greater_equal(at, lo), pc.less(at, hi)))
    return [
        FlaggedHit(
            f["ticket_id"],
            f["flag"],
            f["rule"],
            instant_us(f["at"]),
            f["evidence"],
            evidence_events(f["evidence"]),
        )
        for f in flags.to_pylist()
    ]


def rule_counts(hits: list[FlaggedHit]) -> list[RuleCount]:
    """Hits and distinct tickets per (flag, rule), most hits first."""
    count = Counter((h.flag, h.rule) for h in hits)
    tickets = Counter({k: len({h.ticket for h in hits if (h.flag, h.rule) == k}) for k in count})
    order = sorted(count, key=lambda k: (-count[k], k))
    return [RuleCount(f, r, count[(f, r)], tickets[(f, r)]) for f, r in order]


def _row(r: dict[str, object]) -> HonestRow:
    return HonestRow(
        month=str(r["month"]),
        metric=str(r["metric"]),
        objective_pct=_float(r["objective_pct"]),
        reported_count=_int(r["reported_count"]),
        reported_met=_int(r["reported_met"]),
        reported_pct=_float(r["reported_compliance_pct"]),
        reported_ok=_bool(r["reported_objective_met"]),
        honest_count=_int(r["honest_count"]),
        honest_met=_int(r["honest_met"]),
        honest_pct=_float(r["honest_compliance_pct"]),
        honest_ok=_bool(r["honest_objective_met"]),
    )


def _float(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _int(value: object) -> int:
    return 0 if value is None else int(value)  # type: ignore[call-overload]


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def instant_us(value: object) -> int:
    """A timestamp cell of an Arrow table (an aware datetime) as µs UTC, exactly."""
    assert isinstance(value, datetime)
    return (value - _EPOCH) // timedelta(microseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
