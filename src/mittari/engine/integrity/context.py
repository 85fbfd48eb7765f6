"""What every rule reads (`Context`), what it returns (`Hits`), and how hits become `Flags`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.integrity.columns import Events
from mittari.engine.integrity.policy import Flags, IntegrityPolicy, Rule, TicketFacts
from mittari.engine.integrity.probe import Used, used_at
from mittari.engine.types import I64, NO_VALUE, PRIORITIES, BoolArr, MetricPolicy


@dataclass(frozen=True)
class Context:
    ev: Events
    policy: IntegrityPolicy
    resolution: MetricPolicy | None
    response: MetricPolicy | None
    calendars: Mapping[str, BusinessCalendar]
    facts: TicketFacts
    judged: BoolArr  # per event: its ticket is judged under this policy
    as_of: int

    def used(self, metric: MetricPolicy, upto: I64, at: I64) -> Used:
        """The metric's clock on each event's ticket, before the event, up to `at`."""
        return used_at(self.ev.log, self.ev.head, metric, self.calendars, upto, at)

    def business(self, metric: MetricPolicy, priority: I64, a: I64, b: I64) -> I64:
        """Business µs in [a, b) in the calendar of the metric's target for each priority
        (NO_VALUE: the metric's default priority); -1 where that priority has no target."""
        p = np.where(priority == NO_VALUE, metric.default_priority, priority)
        names = sorted({t.calendar for t in metric.targets.values()})
        which = np.full(max(PRIORITIES) + 1, -1, dtype=np.int64)
        for prio, target in metric.targets.items():
            which[prio] = names.index(target.calendar)
        cal = which[np.clip(p, 0, max(PRIORITIES))]
        out = np.full(len(a), -1, dtype=np.int64)
        for ci, name in enumerate(names):
            rows = np.flatnonzero(cal == ci)
            if len(rows):
                out[rows] = self.calendars[name].business(a[rows], b[rows])
        return out


@dataclass(frozen=True)
class Hits:
    """Hits of one rule: evidence[:, 0] is the main event (its ticket and instant are the
    hit's); further columns are other events, -1 where a hit has none."""

    rule: Rule
    evidence: I64  # 2-D: (hits, events), indexes into the cut log

    @staticmethod
    def of(rule: Rule, *columns: I64) -> Hits:
        return Hits(rule, np.stack(columns, axis=1).astype(np.int64))


def collect(hits: Sequence[Hits], ev: Events, kept: I64) -> Flags:
    """All hits as Flags, evidence mapped to the caller's log (`kept`: cut row → row)."""
    width = max([h.evidence.shape[1] for h in hits], default=1)
    evidence = np.full((sum(len(h.evidence) for h in hits), width), -1, dtype=np.int64)
    rules = np.zeros(len(evidence), dtype=np.int64)
    row = 0
    for h in hits:
        evidence[row : row + len(h.evidence), : h.evidence.shape[1]] = h.evidence
        rules[row : row + len(h.evidence)] = int(h.rule)
        row += len(h.evidence)
    main = evidence[:, 0]
    ticket, at = ev.log.ticket[main], ev.log.ts[main]
    order = np.lexsort((main, rules, at, ticket))
    evidence, rules, ticket, at = evidence[order], rules[order], ticket[order], at[order]
    present = evidence >= 0
    offsets = np.concatenate(([0], np.cumsum(present.sum(axis=1)))).astype(np.int64)
    return Flags(ticket, rules, at, offsets, kept[evidence[present]])
