"""The highlights of a monthly review: the few facts of its data worth a sentence.

Each rule below reads the assembled `ServiceReview` and may give one `Highlight` (a kind,
its numbers, the tickets behind it); the report layer words it in English or Finnish.
Rules run in the order a service manager reads a review: did the SLA hold, why did
clocks breach, how did people feel, are the figures honest, what does it cost, what keeps
coming back, what did people say. At most `MAX_HIGHLIGHTS` are kept. docs/report.md lists
every rule with its threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from mittari.services.review import (
    CAUSES,
    Breach,
    Highlight,
    ServiceReview,
    SlaRow,
    XlaRow,
)

MAX_HIGHLIGHTS = 6
# How far a figure must move since the month before to be worth a sentence: in points for
# figures on a percentage scale, relative for the rest.
POINTS_WORTH_SAYING = {
    "happiness": 10.0,
    "nps": 10.0,
    "csat_pct": 10.0,
    "fcr_pct": 10.0,
    "response_rate_pct": 10.0,
    "sentiment_net": 10.0,
    "reopen_rate_pct": 5.0,
    "ping_pong_pct": 5.0,
    "repeat_contact_pct": 5.0,
}
SHARE_WORTH_SAYING = 0.25
HONEST_GAP_POINTS = 1.0  # honest below reported by at least this, or judged differently
RECURRING_AT_LEAST = 3  # incidents of one fault in the quarter
Numbers = dict[str, str | int | float | None]


def derive_highlights(review: ServiceReview) -> list[Highlight]:
    rules = (
        _sla,
        _breach_pattern,
        _experience,
        _honesty,
        _money_and_uptime,
        _recurring,
        _comments,
    )
    found = [h for rule in rules for h in rule(review)]
    return found[:MAX_HIGHLIGHTS]


def _sla(review: ServiceReview) -> Iterator[Highlight]:
    judged = [r for r in review.metric_rows if r.objective_met is not None]
    if not judged:
        yield Highlight("no_measurements", {"month": review.month})
        return
    missed = [r for r in judged if r.objective_met is False]
    if missed:
        worst = min(missed, key=_margin)
        tickets = tuple(b.ticket for b in review.breaches if b.metric == worst.metric)
        numbers = _metric_numbers(worst) | {"missed": len(missed), "judged": len(judged)}
        yield Highlight("sla_missed", numbers, tickets)
        return
    closest = min(judged, key=_margin)
    yield Highlight("sla_met", _metric_numbers(closest) | {"judged": len(judged)})


def _margin(row: SlaRow) -> float:
    return (row.compliance_pct or 0.0) - (row.objective_pct or 0.0)


def _metric_numbers(row: SlaRow) -> Numbers:
    return {
        "metric": row.metric,
        "pct": row.compliance_pct,
        "objective": row.objective_pct,
        "met": row.met,
        "count": row.count,
    }


def _breach_pattern(review: ServiceReview) -> Iterator[Highlight]:
    """Like "3 of 4 resolution breaches were P2 tickets waiting on a vendor": the most common
    cause of the metric with the most breaches, narrowed to one priority when most of
    them share it. Said only when the pattern covers at least two and half the breaches."""
    by_metric: dict[str, list[Breach]] = {}
    for b in review.breaches:
        by_metric.setdefault(b.metric, []).append(b)
    if not by_metric:
        return
    metric, breaches = max(by_metric.items(), key=lambda kv: (len(kv[1]), kv[0]))
    total = len(breaches)
    counts = {c: sum(c in b.causes for b in breaches) for c in CAUSES}
    cause = max(CAUSES, key=lambda c: (counts[c], -CAUSES.index(c)))
    with_cause = [b for b in breaches if cause in b.causes]
    top, in_priority = Counter(b.priority for b in with_cause).most_common(1)[0]
    priority: str | None = top
    shown = [b for b in with_cause if b.priority == priority]
    if in_priority < 2 or in_priority * 2 < len(with_cause):
        priority, shown = None, with_cause  # no one priority stands out
    if len(shown) < 2 or len(shown) * 2 < total:
        return
    numbers: Numbers = {
        "count": len(shown),
        "total": total,
        "metric": metric,
        "priority": priority,
        "cause": cause,
    }
    yield Highlight("breach_pattern", numbers, tuple(b.ticket for b in shown))


def _experience(review: ServiceReview) -> Iterator[Highlight]:
    """The XLA figure that moved the most the wrong way since the month before (with the
    SLA beside it when all of it was met); else an objective missed; else the best gain."""
    changes = [(r, _change(r)) for r in review.xla]
    worse = [(r, c) for r, c in changes if c is not None and c < 0]
    if worse:
        row, _ = min(worse, key=lambda rc: rc[1])
        kind = "experience_worse_sla_met" if review.sla_all_met else "experience_worse"
        yield Highlight(kind, _figure_numbers(row))
        return
    missed = [r for r in review.xla if r.status == "missed"]
    if missed:
        yield Highlight("xla_missed", _figure_numbers(missed[0]))
        return
    better = [(r, c) for r, c in changes if c is not None and c > 0]
    if better:
        row, _ = max(better, key=lambda rc: rc[1])
        yield Highlight("experience_better", _figure_numbers(row))


def _change(row: XlaRow) -> float | None:
    """How far the figure moved in the good direction (negative: worse), in units where
    1 is "worth saying"; None when it moved less than that or one month has no figure."""
    if row.value is None or row.previous is None:
        return None
    delta = row.value - row.previous
    if row.figure in POINTS_WORTH_SAYING:
        size = delta / POINTS_WORTH_SAYING[row.figure]
    elif row.previous:
        size = delta / abs(row.previous) / SHARE_WORTH_SAYING
    else:
        return None
    good = size if row.direction == "min" else -size
    return good if abs(good) >= 1 else None


def _figure_numbers(row: XlaRow) -> Numbers:
    return {
        "figure": row.figure,
        "before": row.previous,
        "after": row.value,
        "objective": row.objective,
        "direction": row.direction,
        "answers": row.basis,
    }


def _honesty(review: ServiceReview) -> Iterator[Highlight]:
    """The metric whose honest compliance falls furthest below the reported one."""
    gaps = [
        r
        for r in review.metric_rows
        if r.honest_pct is not None
        and r.compliance_pct is not None
        and (
            r.compliance_pct - r.honest_pct >= HONEST_GAP_POINTS
            or (r.honest_met is not None and r.honest_met != r.objective_met)
        )
    ]
    tickets = tuple(dict.fromkeys(t for f in review.flags for t in f.tickets))
    if gaps:
        row = max(gaps, key=lambda r: (r.compliance_pct or 0.0) - (r.honest_pct or 0.0))
        numbers: Numbers = {
            "metric": row.metric,
            "reported": row.compliance_pct,
            "honest": row.honest_pct,
            "objective": row.objective_pct,
            "flagged": len(tickets),
            "honest_met": None if row.honest_met is None else int(row.honest_met),
        }
        yield Highlight("honest_gap", numbers, tickets)
    elif tickets:
        top = max(review.flags, key=lambda f: (f.hits, f.flag))
        yield Highlight("flags", {"flagged": len(tickets), "flag": top.flag}, tickets)


def _money_and_uptime(review: ServiceReview) -> Iterator[Highlight]:
    total = review.credit_total
    said: set[str] = set()
    if total is not None and total.pct > 0:
        items = [c for c in review.credits if c.step in ("availability", "metric") and c.pct > 0]
        biggest = max(items, key=lambda c: (c.pct, c.item), default=None)
        numbers: Numbers = {
            "pct": float(total.pct),
            "amount": float(total.amount),
            "currency": total.currency,
            "step": biggest.step if biggest else None,
            "item": biggest.item if biggest else None,
        }
        if biggest is not None and biggest.step == "availability":
            uptime = next((a for a in review.availability if a.service == biggest.item), None)
            if uptime is not None:
                numbers |= {"uptime": uptime.uptime_pct, "objective": uptime.objective_pct}
                said.add(uptime.service)
        elif biggest is not None:
            row = next((r for r in review.metric_rows if r.metric == biggest.item), None)
            if row is not None:
                numbers |= {"uptime": row.compliance_pct, "objective": row.objective_pct}
        yield Highlight("credits", numbers)
    missed = [a for a in review.availability if not a.objective_met and a.service not in said]
    for a in sorted(missed, key=lambda a: (a.uptime_pct or 0.0, a.service))[:2]:
        numbers = {
            "service": a.service,
            "uptime": a.uptime_pct,
            "objective": a.objective_pct,
            "outages": a.outages,
            "downtime_min": a.downtime_min,
        }
        yield Highlight("availability_missed", numbers)
    if review.availability and not missed and not said:
        lowest = min(review.availability, key=lambda a: (a.uptime_pct or 0.0, a.service))
        numbers = {
            "services": len(review.availability),
            "service": lowest.service,
            "uptime": lowest.uptime_pct,
            "objective": lowest.objective_pct,
        }
        yield Highlight("availability_met", numbers)


def _recurring(review: ServiceReview) -> Iterator[Highlight]:
    shown = [f for f in review.recurring if f.in_quarter >= RECURRING_AT_LEAST]
    if not shown:
        return
    top = max(shown, key=lambda f: (f.in_quarter, f.lost_hours))
    numbers: Numbers = {"service": top.service, "count": top.in_quarter, "subject": top.subject}
    yield Highlight("recurring", numbers, top.tickets)


def _comments(review: ServiceReview) -> Iterator[Highlight]:
    judged = [c for c in review.comments if c.sentiment is not None]
    if len(judged) < 2:
        return
    moods = Counter(c.sentiment for c in judged)
    tickets = _tickets_of(c.ticket for c in judged if c.sentiment == "negative")
    numbers: Numbers = {
        "total": len(judged),
        "negative": moods["negative"],
        "positive": moods["positive"],
    }
    yield Highlight("comments", numbers, tickets)


def _tickets_of(found: Iterator[str | None] | Sequence[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in found if t))
