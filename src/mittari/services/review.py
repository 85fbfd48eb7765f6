"""The monthly service review of one customer, as data: no HTML, no wording.

`service_review` reads the customer's store through the caller's `Scoped` reader and puts
side by side what the other services compute for one local month (the zone of the
customer's contract): SLA compliance per metric and priority against the objective, with
the twelve months before it and reported beside honest (`services.integrity.judge`); the
breaches with their causes read from each ticket's events; XLA figures against their
objectives and the watermelon cells (`services.xla`, `services.watermelon`); availability
per service and the service-credit statement (`services.availability`, `services.credits`);
recurring-fault candidates (`services.recurring`); and the month's survey comments with
their sentiment. `services.review_highlights` then writes the few facts worth a sentence.

Everything is measured once, at one as-of instant: the end of the month (the month as it
closed) or now, if the month is not over. Report layers (reports/, web/) render it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.db.feedback import load_answers
from mittari.db.scope import Scoped
from mittari.engine.types import NULL_TS, EventLog, Kind, Status
from mittari.engine.xla import ExperiencePolicy
from mittari.errors import InputError, Problem
from mittari.services.availability import (
    ServiceMonths,
    availability_table,
    measure_availability,
    month_range,
)
from mittari.services.credits import credit_statements
from mittari.services.experience import customer_parts, figures_table
from mittari.services.integrity import judge
from mittari.services.measure import _with_months, compliance_table
from mittari.services.recurring import recurring_faults
from mittari.services.sentiment import classify
from mittari.services.stored_inputs import StoredInputs, stored_inputs, stored_outages
from mittari.services.watermelon import MatrixCell, matrix, sla_status
from mittari.services.watermelon_stored import comments as cell_comments
from mittari.services.xla import experience_policy, pooled, xla_of_parts
from mittari.spec.check import versions_from_text

TREND_MONTHS = 12
QUARTER_MONTHS = 3  # "this quarter": the report's month and the two before it
TOP_RECURRING = 5
BY = ["month", "metric"]
JUDGED = ("met", "breached")  # the states compliance counts


# --- the review's parts ---------------------------------------------------------------------


@dataclass(frozen=True)
class SlaRow:
    """Compliance of one metric (priority None: all priorities) in the month."""

    metric: str
    priority: str | None
    count: int  # met + breached
    met: int
    breached: int
    compliance_pct: float | None
    objective_pct: float | None
    objective_met: bool | None
    honest_pct: float | None = None  # metric rows: the figure with flagged behaviour undone
    honest_met: bool | None = None


@dataclass(frozen=True)
class MetricTrend:
    metric: str
    objective_pct: float | None
    values: tuple[float | None, ...]  # compliance % per month of `ServiceReview.months`


@dataclass(frozen=True)
class Breach:
    """A measurement of the month that stopped over its target, with what the ticket went
    through while its clock ran (`CAUSES`)."""

    ticket: str
    metric: str
    priority: str
    service: str | None
    subject: str | None
    target_s: float
    elapsed_s: float
    stop_us: int
    causes: tuple[str, ...]


# Causes in the order a reader looks for them; "slow" when none of the others is in the log.
CAUSES = ("vendor_wait", "customer_wait", "reopened", "reassigned", "priority_changed", "slow")


@dataclass(frozen=True)
class FlagCount:
    flag: str
    hits: int
    tickets: tuple[str, ...]


@dataclass(frozen=True)
class XlaRow:
    """One XLA objective on the month's customer-wide figure."""

    figure: str
    direction: str  # min or max
    objective: float
    value: float | None
    basis: int
    status: str  # met, missed, not enough answers
    previous: float | None  # the month before's figure
    baseline: float | None


@dataclass(frozen=True)
class FigureTrend:
    figure: str
    objective: float | None
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class ServiceAvailability:
    service: str
    uptime_pct: float | None
    objective_pct: float
    objective_met: bool
    downtime_min: float
    outages: int
    complete: bool  # the month is over (else: so far)
    trend: tuple[float | None, ...]  # uptime % per month of `ServiceReview.months`


@dataclass(frozen=True)
class Credit:
    """A line of the month's service-credit statement (`engine.credits.CreditLine`)."""

    step: str  # availability, metric, earn-back, subtotal, cap, total
    item: str
    detail: str
    points: int | None
    pct: Decimal
    amount: Decimal
    currency: str | None


@dataclass(frozen=True)
class RecurringFault:
    service: str
    subject: str
    count: int  # incidents in the cluster up to as-of
    in_quarter: int  # of them created in the quarter ending with the month
    lost_hours: float
    tickets: tuple[str, ...]  # the quarter's tickets, oldest first


@dataclass(frozen=True)
class SurveyComment:
    ticket: str | None
    service: str | None
    at_us: int
    score: str | None
    scale: str | None
    text: str
    language: str | None
    sentiment: str | None  # positive, negative, neutral; None: a language not analysed


@dataclass(frozen=True)
class Highlight:
    """One fact worth a sentence: `kind` names the sentence, `numbers` fill it, `tickets`
    are the ones behind it. The report layer words it (English or Finnish)."""

    kind: str
    numbers: Mapping[str, str | int | float | None]
    tickets: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceReview:
    customer: str
    name: str  # the contract's name for the customer, else the key
    month: str
    timezone: str
    as_of_us: int
    months: tuple[str, ...]  # the trend's months, oldest first, ending with `month`
    sla: tuple[SlaRow, ...]  # per metric, then per metric and priority
    sla_trend: tuple[MetricTrend, ...]
    breaches: tuple[Breach, ...]
    tickets_measured: int  # tickets with a clock that stopped (met or breached) in the month
    flags: tuple[FlagCount, ...]
    xla: tuple[XlaRow, ...]
    xla_trend: tuple[FigureTrend, ...]
    watermelon: tuple[MatrixCell, ...]  # per service, of the month
    availability: tuple[ServiceAvailability, ...]
    credits: tuple[Credit, ...]
    recurring: tuple[RecurringFault, ...]
    comments: tuple[SurveyComment, ...]
    highlights: tuple[Highlight, ...] = ()

    @property
    def metric_rows(self) -> tuple[SlaRow, ...]:
        return tuple(r for r in self.sla if r.priority is None)

    @property
    def sla_all_met(self) -> bool | None:
        """Every judged metric objective of the month met (None: nothing judged)."""
        judged = [r.objective_met for r in self.metric_rows if r.objective_met is not None]
        return all(judged) if judged else None

    @property
    def credit_total(self) -> Credit | None:
        return next((c for c in self.credits if c.step == "total"), None)


# --- assembly -----------------------------------------------------------------------------


def service_review(
    scope: Scoped, customer: str, month: str, *, as_of_us: int | None = None
) -> ServiceReview:
    """The review of `customer`'s local `month` ("YYYY-MM"), as the caller may see it."""
    from mittari.services.review_highlights import derive_highlights  # words on the data

    check_month(month)
    owner = scope.customer_id(customer)
    if owner is None:  # outside the caller's scope reads exactly like unknown
        raise InputError([Problem("--customer", None, "customer", customer, "unknown customer")])
    found = stored_inputs(scope, owner)
    if not found.terms:
        message = "no contract stored for this customer: add one with `mittari contract add`"
        raise InputError([Problem("--customer", None, "customer", customer, message)])
    zone = found.timezone
    lo, hi = month_range(month, zone)
    as_of = as_of_us if as_of_us is not None else min(hi, _now_us())  # hi: the month closed
    months = tuple(shift_month(month, k) for k in range(1 - TREND_MONTHS, 1))
    report = judge(
        found.log, found.contracts, found.integrity, found.customers(), found.tickets, as_of, BY
    )
    measured = report.reported.table
    sla = _sla_rows(measured, found, report.compliance, month)
    stopped = [r for r in compliance_months(measured, found) if r["month"] == month]
    availability = measure_availability(
        stored_outages(scope, owner), found.terms, as_of, since=month_range(months[0], zone)[0]
    )
    xla, xla_trend, cells = _experience(scope, owner, customer, found, measured, month, as_of)
    review = ServiceReview(
        customer=customer,
        name=_contract_name(scope, owner) or customer,
        month=month,
        timezone=zone,
        as_of_us=as_of,
        months=months,
        sla=sla,
        sla_trend=_sla_trend(measured, found, months),
        breaches=_breaches(stopped, found),
        tickets_measured=len({r["ticket_id"] for r in stopped if r["state"] in JUDGED}),
        flags=_flags(report.flags, lo, hi),
        xla=xla,
        xla_trend=xla_trend,
        watermelon=cells,
        availability=_availability(availability, month, months),
        credits=_credits(credit_statements(found.terms, measured, availability, month, as_of)),
        recurring=_recurring(found, as_of, months[-QUARTER_MONTHS], zone),
        comments=_comments(scope, owner, lo, min(hi, as_of + 1)),
    )
    return dataclasses.replace(review, highlights=tuple(derive_highlights(review)))


def check_month(month: str) -> None:
    """A month must read YYYY-MM; else an error naming the value."""
    parts = month.split("-")
    ok = len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2
    ok = ok and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 12
    if not ok:
        raise InputError([Problem("--month", None, "month", month, "not a month; write YYYY-MM")])


def shift_month(month: str, by: int) -> str:
    """The month `by` months after `month` (before, when negative)."""
    year, number = (int(p) for p in month.split("-"))
    index = year * 12 + number - 1 + by
    return date(index // 12, index % 12 + 1, 1).strftime("%Y-%m")


def _now_us() -> int:
    return time.time_ns() // 1000


def _contract_name(scope: Scoped, owner: int) -> str | None:
    versions = scope.contract_versions(owner, active_only=True)
    if not versions:
        return None
    latest = max(versions, key=lambda v: v.effective_from_us)
    parsed, _ = versions_from_text(latest.yaml, latest.file_name)
    names = [v.model.metadata.name for v in parsed if v.model.metadata.version == latest.label]
    return names[0] if names and names[0] else None


# --- SLA ----------------------------------------------------------------------------------


def _sla_rows(
    measured: pa.Table, found: StoredInputs, honest: pa.Table, month: str
) -> tuple[SlaRow, ...]:
    if measured.num_rows == 0:
        return ()
    contracts = found.contracts
    by_metric = _of_month(compliance_table(measured, contracts, ["month", "metric"]), month)
    honest_of = {(r["metric"], r["objective_pct"]): r for r in _of_month(honest, month).to_pylist()}
    rows = []
    for r in by_metric.to_pylist():
        h = honest_of.get((r["metric"], r["objective_pct"]), {})
        honest_pct, honest_met = h.get("honest_compliance_pct"), h.get("honest_objective_met")
        rows.append(_sla_row(r, None, honest_pct, honest_met))
    keys = ["month", "metric", "priority"]
    for r in _of_month(compliance_table(measured, contracts, keys), month).to_pylist():
        rows.append(_sla_row(r, r["priority"], None, None))
    return tuple(rows)


def _sla_row(r: dict[str, Any], priority: str | None, honest: object, honest_met: object) -> SlaRow:
    count = int(r["count"])
    return SlaRow(
        metric=str(r["metric"]),
        priority=priority,
        count=count,
        met=int(r["met"]),
        breached=int(r["breached"]),
        compliance_pct=_float(r["compliance_pct"]) if count else None,
        objective_pct=_float(r["objective_pct"]),
        objective_met=None if r["objective_met"] is None or not count else bool(r["objective_met"]),
        honest_pct=_float(honest),
        honest_met=None if honest_met is None else bool(honest_met),
    )


def _of_month(table: pa.Table, month: str) -> pa.Table:
    if table.num_rows == 0 or "month" not in table.column_names:
        return table
    return table.filter(pc.equal(table.column("month"), month))


def _float(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value):
        return float(value)
    return None


def _sla_trend(
    measured: pa.Table, found: StoredInputs, months: Sequence[str]
) -> tuple[MetricTrend, ...]:
    if measured.num_rows == 0:
        return ()
    table = compliance_table(measured, found.contracts, ["month", "metric"]).to_pylist()
    out = []
    for metric in dict.fromkeys(m.name for c in found.contracts for m in c.metrics):
        rows = {r["month"]: r for r in table if r["metric"] == metric and r["count"]}
        latest = [rows[m]["objective_pct"] for m in months if m in rows]
        objective = _float(latest[-1]) if latest else _objective(found, metric)
        values = tuple(_float(rows[m]["compliance_pct"]) if m in rows else None for m in months)
        out.append(MetricTrend(metric, objective, values))
    return tuple(out)


def _objective(found: StoredInputs, metric: str) -> float | None:
    objectives = [m.objective_pct for c in found.contracts for m in c.metrics if m.name == metric]
    return float(objectives[-1]) if objectives else None


def _breaches(stopped: Sequence[dict[str, Any]], found: StoredInputs) -> tuple[Breach, ...]:
    """The month's breached measurements (`stopped`: the rows of the month)."""
    chosen = [r for r in stopped if r["state"] == "breached"]
    index = {name: i for i, name in enumerate(found.log.ticket_ids)}
    details = found.tickets.select(["service", "subject"]).to_pylist()
    out = []
    for r in chosen:
        t = index[r["ticket_id"]]
        start, stop = _instant(r["start_at"]), _instant(r["stop_at"])
        out.append(
            Breach(
                ticket=str(r["ticket_id"]),
                metric=str(r["metric"]),
                priority=str(r["priority"]),
                service=details[t]["service"] or None,
                subject=details[t]["subject"] or None,
                target_s=float(r["target_s"]),
                elapsed_s=float(r["elapsed_s"]),
                stop_us=stop,
                causes=breach_causes(found.log, t, start, stop),
            )
        )
    return tuple(sorted(out, key=lambda b: (b.metric, b.stop_us, b.ticket)))


def compliance_months(measured: pa.Table, found: StoredInputs) -> list[dict[str, Any]]:
    """Measurement rows with the local month of their stop, labelled by the very helper
    `compliance_table` uses, so a breach is listed in the month whose figure it lowers."""
    if measured.num_rows == 0:
        return []
    return list(_with_months(measured, found.contracts).to_pylist())


def _instant(value: object) -> int:
    """µs UTC of a timestamp cell (a datetime from Arrow) or NULL_TS."""
    if value is None:
        return NULL_TS
    return int(pa.scalar(value, pa.timestamp("us", tz="UTC")).cast(pa.int64()).as_py())


def breach_causes(log: EventLog, ticket: int, start_us: int, stop_us: int) -> tuple[str, ...]:
    """What ticket `ticket` went through while a clock ran from start to stop: waiting on a
    vendor or on the customer, a false close (resolved or closed before the stop), passed
    between two or more assignees, a priority change; "slow" when none of these."""
    lo = int(np.searchsorted(log.ticket, ticket, side="left"))
    hi = int(np.searchsorted(log.ticket, ticket, side="right"))
    ts, kind, value = log.ts[lo:hi], log.kind[lo:hi], log.value[lo:hi]
    inside = (ts >= start_us) & (ts < stop_us if stop_us != NULL_TS else True)
    status = inside & (kind == Kind.STATUS)
    found = []
    if (status & (value == Status.PENDING_VENDOR)).any():
        found.append("vendor_wait")
    if (status & (value == Status.PENDING_CUSTOMER)).any():
        found.append("customer_wait")
    if (status & np.isin(value, [Status.RESOLVED, Status.CLOSED])).any():
        found.append("reopened")
    if int((inside & (kind == Kind.ASSIGN)).sum()) >= 2:
        found.append("reassigned")
    if (inside & (kind == Kind.PRIORITY) & (ts > start_us)).any():
        found.append("priority_changed")
    return tuple(found) or ("slow",)


def _flags(flags: pa.Table, lo: int, hi: int) -> tuple[FlagCount, ...]:
    if flags.num_rows == 0:
        return ()
    at = pc.cast(flags.column("at"), pa.int64())
    rows = flags.filter(pc.and_(pc.greater_equal(at, lo), pc.less(at, hi))).to_pylist()
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(str(r["flag"]), []).append(str(r["ticket_id"]))
    return tuple(
        FlagCount(flag, len(ids), tuple(dict.fromkeys(ids))) for flag, ids in sorted(out.items())
    )


# --- experience ---------------------------------------------------------------------------


def _experience(
    scope: Scoped,
    owner: int,
    customer: str,
    found: StoredInputs,
    measured: pa.Table,
    month: str,
    as_of: int,
) -> tuple[tuple[XlaRow, ...], tuple[FigureTrend, ...], tuple[MatrixCell, ...]]:
    """XLA of the month (customer-wide, beside the month before), trends, watermelon cells.
    The experience services read by customer key: the scope has already said it may."""
    policy = experience_policy(scope.contract_versions(owner, active_only=True))
    if policy is None:
        return (), (), ()
    parts = customer_parts(scope.conn.engine, customer, as_of_us=as_of)
    if parts.num_rows == 0:
        return (), (), ()
    whole = pooled(parts, by_service=False)
    table = xla_of_parts(whole, policy, None).to_pylist()
    value = {(r["month"], r["figure"]): r["value"] for r in table}
    before = shift_month(month, -1)
    xla = tuple(
        XlaRow(
            r["figure"],
            r["direction"],
            r["objective"],
            r["value"],
            r["basis"],
            r["status"],
            value.get((before, r["figure"])),
            r["baseline"],
        )
        for r in table
        if r["month"] == month
    )
    months = [shift_month(month, k) for k in range(1 - TREND_MONTHS, 1)]
    trend = tuple(
        FigureTrend(o.figure, o.bound, tuple(value.get((m, o.figure)) for m in months))
        for o in policy.objectives
    )
    return xla, trend, _cells(scope, owner, found, measured, parts, policy, month, as_of)


def _cells(
    scope: Scoped,
    owner: int,
    found: StoredInputs,
    measured: pa.Table,
    parts: pa.Table,
    policy: ExperiencePolicy,
    month: str,
    as_of: int,
) -> tuple[MatrixCell, ...]:
    """The month's watermelon cells per service, on this review's own measurements."""
    by_ticket = found.tickets.select(["ticket_id", "service"])
    sla = {k: v for k, v in sla_status(measured, found.contracts, by_ticket).items()}
    sla = {k: v for k, v in sla.items() if k[1] == month}
    xla = xla_of_parts(parts, policy, month)
    shown = figures_table(parts.filter(pc.equal(parts.column("month"), month)))
    answers = load_answers(scope.conn, owner)
    said = cell_comments(answers, scope.ticket_table(owner), found.timezone, as_of)
    return tuple(matrix(sla, xla, shown, said))


# --- availability, credits, recurring faults, comments ------------------------------------


def _availability(
    results: Sequence[ServiceMonths], month: str, months: Sequence[str]
) -> tuple[ServiceAvailability, ...]:
    table = availability_table(results)
    if table.num_rows == 0 or "uptime_pct" not in table.column_names:
        return ()
    rows = table.to_pylist()
    out = []
    for r in rows:
        if r["month"] != month:
            continue
        series = {x["month"]: x["uptime_pct"] for x in rows if x["service"] == r["service"]}
        out.append(
            ServiceAvailability(
                service=r["service"],
                uptime_pct=r["uptime_pct"],
                objective_pct=float(r["objective_pct"]),
                objective_met=bool(r["objective_met"]),
                downtime_min=float(r["downtime_min"]),
                outages=int(r["outages"]),
                complete=bool(r["complete"]),
                trend=tuple(series.get(m) for m in months),
            )
        )
    return tuple(out)


def _credits(table: pa.Table) -> tuple[Credit, ...]:
    return tuple(
        Credit(r["step"], r["item"], r["detail"], r["points"], r["pct"], r["amount"], r["currency"])
        for r in table.to_pylist()
    )


def _recurring(
    found: StoredInputs, as_of: int, first_month: str, zone: str
) -> tuple[RecurringFault, ...]:
    """The problem candidates with an incident in the quarter ending with the month."""
    if len(found.log) == 0:
        return ()
    faults = recurring_faults(found.log, found.ticket_table(), as_of, top=TOP_RECURRING)
    since = month_range(first_month, zone)[0]
    members = faults.members.to_pylist()
    out = []
    for c in faults.clusters.to_pylist():
        mine = [m for m in members if m["rank"] == c["rank"]]
        recent = sorted(
            (m for m in mine if _instant(m["created_at"]) >= since),
            key=lambda m: _instant(m["created_at"]),
        )
        if not recent:
            continue
        out.append(
            RecurringFault(
                service=c["service"],
                subject=c["subject"],
                count=int(c["count"]),
                in_quarter=len(recent),
                lost_hours=float(c["lost_hours"]),
                tickets=tuple(str(m["ticket_id"]) for m in recent),
            )
        )
    return tuple(out)


def _comments(scope: Scoped, owner: int, lo: int, hi: int) -> tuple[SurveyComment, ...]:
    """The month's answers with a comment, oldest first, each with its sentiment."""
    answers = load_answers(scope.conn, owner).to_pylist()
    tickets = scope.ticket_table(owner)
    ids = tickets.column("id").to_pylist()
    name_of = dict(zip(ids, tickets.column("external_id").to_pylist(), strict=True))
    service_of = dict(zip(ids, tickets.column("service").to_pylist(), strict=True))
    out = []
    for a in answers:
        text, at = a["comment"], a["ts_us"]
        if not text or not text.strip() or at is None or not lo <= at < hi:
            continue
        verdict = classify(text, a["language"])
        ticket = a["ticket_id"]
        out.append(
            SurveyComment(
                ticket=name_of.get(ticket) if ticket is not None else a["ticket_ref"],
                service=service_of.get(ticket) or a["service"],
                at_us=int(at),
                score=a["score"],
                scale=a["scale"],
                text=text.strip(),
                language=verdict.language if verdict else a["language"],
                sentiment=verdict.label if verdict else None,
            )
        )
    return tuple(sorted(out, key=lambda c: (c.at_us, c.text)))
