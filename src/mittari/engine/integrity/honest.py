"""The honest log: the same tickets with the flagged behaviour undone, for `measure`.

Honest compliance is never a second clock: it is `measure` run on this log. Each rule's
undoing, applied to the caller's log by the flags' evidence:

- premature resolve, REOPENED (resolve r, reopen o): every resolved/closed status event of
  the ticket from r up to o becomes `open`, so the clock runs on through the false close;
- pause without cause: the pause's `pending_customer` event becomes `open` (the pause
  counts); for KEPT_AFTER_REPLY an `open` status is added at the customer's reply instead
  (the wait was fair until the customer answered);
- late downgrade and scope escape: the flagged priority or category event is dropped, so the
  original priority's target applies;
- hollow first response: SYSTEM_REPLY drops the ticket's system replies, QUICK_THEN_SILENT
  the quick reply, so the first response is the next real one;
- clone to restart: the close becomes `open`, the successor's events are dropped and its
  first resolved/closed/cancelled status after creation is added to the ticket at its
  instant: one piece of work, measured from the first creation to the last close.

FOLLOW_UP (a new ticket, not a reopen) and the deadline bunching of a team are shown, not
undone: there is no single event to take back.
"""

from __future__ import annotations

import numpy as np

from mittari.engine.integrity.columns import TERMINAL, events_of
from mittari.engine.integrity.policy import Flags, Rule
from mittari.engine.types import I64, NO_VALUE, Actor, BoolArr, EventLog, Kind, Status

_OPEN = int(Status.OPEN)
_DROPPED = (
    Rule.LATE,
    Rule.RAISED_AGAIN,
    Rule.PRIORITY_WITHOUT_TARGET,
    Rule.OUT_OF_SCOPE_CATEGORY,
    Rule.QUICK_THEN_SILENT,
)
_PAUSES_COUNT = (Rule.NO_QUESTION, Rule.AFTER_CUSTOMER_REPLY, Rule.NEAR_DUE)
_CLONES = (Rule.LINKED_SUCCESSOR, Rule.MARKED_DUPLICATE)


def honest_log(log: EventLog, flags: Flags) -> EventLog:
    """`log` with every flagged behaviour undone (see the module's docstring)."""
    value = log.value.copy()
    drop = np.zeros(len(log), dtype=bool)
    main, second = flags.evidence_column(0), flags.evidence_column(1)
    status = log.kind == Kind.STATUS
    value[_reopen_spans(log, flags, main, second) & status & np.isin(log.value, TERMINAL)] = _OPEN
    value[main[flags.of_rule(*_PAUSES_COUNT)]] = _OPEN
    drop[main[flags.of_rule(*_DROPPED)]] = True
    system_tickets = log.ticket[main[flags.of_rule(Rule.SYSTEM_REPLY)]]
    drop |= _system_replies(log) & np.isin(log.ticket, system_tickets)
    kept = second[flags.of_rule(Rule.KEPT_AFTER_REPLY)]
    added = [(log.ticket[kept], log.ts[kept], np.full(len(kept), _OPEN, dtype=np.int64))]
    clones = flags.of_rule(*_CLONES)
    value[main[clones]] = _OPEN
    successors = log.ticket[second[clones]]
    drop |= np.isin(log.ticket, successors)
    added.append(_successor_closes(log, log.ticket[main[clones]], successors))
    return _rebuilt(log, value, drop, added)


def _system_replies(log: EventLog) -> BoolArr:
    found: BoolArr = (log.kind == Kind.REPLY) & (log.actor == Actor.SYSTEM)
    return found


def _reopen_spans(log: EventLog, flags: Flags, main: I64, second: I64) -> BoolArr:
    """Events from each REOPENED hit's resolve up to (not including) its reopen."""
    rows = flags.of_rule(Rule.REOPENED)
    marks = np.zeros(len(log) + 1, dtype=np.int64)
    np.add.at(marks, main[rows], 1)
    np.add.at(marks, second[rows], -1)
    return np.cumsum(marks)[:-1] > 0


def _successor_closes(log: EventLog, tickets: I64, successors: I64) -> tuple[I64, I64, I64]:
    """For each (ticket, successor): the successor's first terminal status after its
    `created`, as an event of the ticket; none where the successor is still open."""
    ev = events_of(log)
    first_end = ev.next_where(ev.is_status(*TERMINAL))
    start = ev.created_idx[successors]
    end = np.where(start >= 0, first_end[np.maximum(start, 0)], -1)
    has = end >= 0
    end = end[has]
    return tickets[has], log.ts[end], log.value[end]


def _rebuilt(
    log: EventLog, value: I64, drop: BoolArr, added: list[tuple[I64, I64, I64]]
) -> EventLog:
    keep = ~drop
    new_ticket = np.concatenate([a[0] for a in added])
    new_ts = np.concatenate([a[1] for a in added])
    new_value = np.concatenate([a[2] for a in added])
    n = len(new_ticket)
    # Added events go after the input: the stable sort puts them after events of equal ts.
    return EventLog.from_unsorted(
        np.concatenate((log.ticket[keep], new_ticket)),
        np.concatenate((log.ts[keep], new_ts)),
        np.concatenate((log.kind[keep], np.full(n, int(Kind.STATUS), dtype=np.int8))),
        np.concatenate((value[keep], new_value)),
        np.concatenate((log.actor[keep], np.full(n, NO_VALUE, dtype=np.int8))),
        log.ticket_ids,
        log.strings,
    )
