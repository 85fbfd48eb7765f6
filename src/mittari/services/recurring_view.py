"""Recurring-fault candidates of one customer, as the dashboard's page shows them.

The candidates are `services.recurring.recurring_faults` on the customer's stored inputs
(what `stored_reports.recurring_report` and the API give), as of the end of a chosen local
month (or now, within the current month); beside each, its incidents and how many of them
were created in each of the twelve months up to the chosen one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mittari.db.scope import Scoped
from mittari.engine.compliance import month_periods
from mittari.engine.types import NULL_TS
from mittari.services.availability import month_range
from mittari.services.honest_view import instant_us
from mittari.services.measure import created_at
from mittari.services.recurring import recurring_faults
from mittari.services.stored_inputs import stored_inputs

SPARK_MONTHS = 12


@dataclass(frozen=True)
class Incident:
    ticket: str
    subject: str
    created_us: int


@dataclass(frozen=True)
class Candidate:
    rank: int
    service: str
    subject: str
    count: int
    recent: int  # in the last quarter before as-of
    previous: int  # in the quarter before that
    lost_hours: float
    score: float
    first_us: int
    last_us: int
    per_month: list[int]  # incidents created per month of `RecurringView.window`
    incidents: list[Incident]  # newest first


@dataclass(frozen=True)
class RecurringView:
    timezone: str
    months: list[str]  # months with incidents, oldest first
    month: str | None  # the chosen one (None: no incidents at all)
    as_of_us: int
    window: list[str]  # the twelve months up to `month`
    considered: int  # incidents with a subject
    candidates: list[Candidate]


def recurring_view(
    scope: Scoped, owner: int, month: str | None, now_us: int, top: int = 10
) -> RecurringView:
    """Candidates as of the end of local `month` (None: the latest month with tickets)."""
    found = stored_inputs(scope, owner)
    zone = found.timezone
    created = created_at(found.log)
    known = created[(created != NULL_TS) & (created <= now_us)]
    months = month_periods(known, zone)[1]
    chosen = month or (months[-1] if months else None)
    if chosen is None:
        return RecurringView(zone, months, None, now_us, [], 0, [])
    as_of = min(now_us, month_range(chosen, zone)[1] - 1)
    window = month_window(chosen, SPARK_MONTHS)
    faults = recurring_faults(found.log, found.ticket_table(), as_of, top=top)
    members = faults.members.to_pylist()
    out = []
    for c in faults.clusters.to_pylist():
        mine = [m for m in members if m["rank"] == c["rank"]]
        at = np.array([instant_us(m["created_at"]) for m in mine], dtype=np.int64)
        per_month = _per_month(at, zone, window)
        incidents = sorted(
            (Incident(m["ticket_id"], m["subject"], instant_us(m["created_at"])) for m in mine),
            key=lambda i: (-i.created_us, i.ticket),
        )
        out.append(
            Candidate(
                c["rank"],
                c["service"],
                c["subject"],
                c["count"],
                c["recent"],
                c["previous"],
                c["lost_hours"],
                c["score"],
                instant_us(c["first_at"]),
                instant_us(c["last_at"]),
                per_month,
                incidents,
            )
        )
    return RecurringView(zone, months, chosen, as_of, window, faults.considered, out)


def month_window(month: str, count: int) -> list[str]:
    """The `count` months ending with `month`, oldest first."""
    year, number = (int(p) for p in month.split("-"))
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _per_month(at: np.ndarray, zone: str, window: list[str]) -> list[int]:
    codes, labels = month_periods(at, zone)
    counted = np.bincount(codes[codes >= 0], minlength=len(labels))
    by_label = {label: int(counted[i]) for i, label in enumerate(labels)}
    return [by_label.get(m, 0) for m in window]
