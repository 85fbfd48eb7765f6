"""Every per-ticket integrity flag of one contract version, as one `Flags` result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.integrity.columns import events_of
from mittari.engine.integrity.context import Context, Hits, collect
from mittari.engine.integrity.pauses import pause_without_cause
from mittari.engine.integrity.policy import Flags, IntegrityPolicy, TicketFacts
from mittari.engine.integrity.priorities import late_downgrade, scope_escape
from mittari.engine.integrity.resolves import clone_to_restart, premature_resolve
from mittari.engine.integrity.responses import hollow_first_response
from mittari.engine.types import BoolArr, EventLog, MetricPolicy

RULE_FAMILIES = (
    premature_resolve,
    late_downgrade,
    pause_without_cause,
    hollow_first_response,
    clone_to_restart,
    scope_escape,
)


def metric_named(metrics: Sequence[MetricPolicy], name: str | None) -> MetricPolicy | None:
    return next((m for m in metrics if m.name == name), None)


def find_flags(
    log: EventLog,
    metrics: Sequence[MetricPolicy],
    calendars: Mapping[str, BusinessCalendar],
    policy: IntegrityPolicy,
    facts: TicketFacts,
    judged: BoolArr,
    as_of_us: int,
) -> Flags:
    """Every hit of every per-ticket rule on the tickets where `judged` (per ticket index)
    is True, evaluated at `as_of_us`. Follow-ups and successors are looked for among all
    tickets of the log, judged or not. Evidence indexes `log`'s rows."""
    cut = log.ts <= as_of_us  # as for measure: later events do not exist yet
    kept = np.flatnonzero(cut)
    ev = events_of(log.select_rows(cut))
    cx = Context(
        ev=ev,
        policy=policy,
        resolution=metric_named(metrics, policy.resolution_metric),
        response=metric_named(metrics, policy.response_metric),
        calendars=calendars,
        facts=facts,
        judged=judged[ev.log.ticket],
        as_of=as_of_us,
    )
    hits: list[Hits] = []
    if len(ev.log):
        for family in RULE_FAMILIES:
            hits += family(cx)
    return collect(hits, ev, kept)
