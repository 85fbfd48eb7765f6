"""Per-ticket experience facts from the event log, and their counts per group.

Every fact is judged on the log up to the as-of instant (docs/experience.md):

- resolved_at: the first status event into `resolved` or `closed`.
- reopened: a status event into an active status (not resolved, closed, cancelled) while
  the status in force was `resolved` or `closed`.
- reassignments: `assign` events whose value differs from the assignment in force; the
  first assignment of a ticket is no reassignment, nor is a repeat of the same value.
- ping_pong: the assignment comes back to a group or agent it had left (A → B → A), or
  the ticket has at least `ping_pong_after` reassignments (3 by default).
- first_contact: resolved, never reopened, exactly one agent reply (notes are private, a
  `system` reply is no contact), no customer reply after that reply, no reassignment.
- repeat: another ticket of the same requester on the same service was created at most
  `repeat_within_us` (7 days) before it; at the same instant the lower ticket index is the
  earlier one. Tickets without a known requester or service are never repeats.

A partition of whole tickets gives final facts for everything but repeat contacts, which
look across tickets: partition by requester, or compute them on the small (requester,
service, created) columns of all tickets at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mittari.engine.experience import Parts, group_sums
from mittari.engine.types import I64, NULL_TS, US, Actor, BoolArr, EventLog, Kind, Status

DAY_US = 86_400 * US
PING_PONG_REASSIGNMENTS = 3
REPEAT_WITHIN_US = 7 * DAY_US
_STOPPED = (int(Status.RESOLVED), int(Status.CLOSED))
_TERMINAL = (*_STOPPED, int(Status.CANCELLED))


@dataclass(frozen=True)
class TicketExperience:
    """One entry per ticket index of the log."""

    created_at: I64  # the first `created` event, NULL_TS if none
    resolved_at: I64  # NULL_TS if never resolved or closed
    reopened: BoolArr
    first_contact: BoolArr
    reassignments: I64
    ping_pong: BoolArr
    repeat: BoolArr


def ticket_experience(
    log: EventLog,
    as_of_us: int,
    requester: I64,
    service: I64,
    *,
    ping_pong_after: int = PING_PONG_REASSIGNMENTS,
    repeat_within_us: int = REPEAT_WITHIN_US,
) -> TicketExperience:
    """The facts of each ticket; `requester` and `service` are codes per ticket index
    (-1: unknown)."""
    cut = log.select_rows(log.ts <= as_of_us)
    n = cut.n_tickets
    created_at = _first_ts(cut, cut.kind == Kind.CREATED, n)
    stopped = (cut.kind == Kind.STATUS) & np.isin(cut.value, _STOPPED)
    resolved_at = _first_ts(cut, stopped, n)
    reassigned, returned = _assignments(cut, n)
    first_contact = (resolved_at != NULL_TS) & _one_contact(cut, n) & (reassigned == 0)
    reopened = _reopened(cut, n)
    return TicketExperience(
        created_at=created_at,
        resolved_at=resolved_at,
        reopened=reopened,
        first_contact=first_contact & ~reopened,
        reassignments=reassigned,
        ping_pong=returned | (reassigned >= ping_pong_after),
        repeat=repeat_contacts(created_at, requester, service, repeat_within_us),
    )


def _first_ts(log: EventLog, mask: BoolArr, n: int) -> I64:
    """Per ticket: the instant of its first event where `mask` holds, else NULL_TS."""
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return np.full(n, NULL_TS, dtype=np.int64)
    first = np.full(n, len(log), dtype=np.int64)
    np.minimum.at(first, log.ticket[rows], rows)
    found = first < len(log)
    return np.where(found, log.ts[np.minimum(first, len(log) - 1)], NULL_TS)


def _previous_in_ticket(log: EventLog, rows: I64, fill: int) -> I64:
    """For each of `rows` (ascending): the value of the previous row of the list in the
    same ticket, else `fill`."""
    prev = np.full(len(rows), fill, dtype=np.int64)
    if len(rows) > 1:
        same = log.ticket[rows[1:]] == log.ticket[rows[:-1]]
        prev[1:] = np.where(same, log.value[rows[:-1]], fill)
    return prev


def _reopened(log: EventLog, n: int) -> BoolArr:
    rows = np.flatnonzero(log.kind == Kind.STATUS)
    before = _previous_in_ticket(log, rows, int(Status.NEW))
    back = np.isin(before, _STOPPED) & ~np.isin(log.value[rows], _TERMINAL)
    out = np.zeros(n, dtype=bool)
    out[log.ticket[rows[back]]] = True
    return out


def _assignments(log: EventLog, n: int) -> tuple[I64, BoolArr]:
    """Reassignments per ticket, and whether an assignment came back to a value it left."""
    rows = np.flatnonzero(log.kind == Kind.ASSIGN)
    none = np.iinfo(np.int64).min  # before the first assignment nothing is in force
    before = _previous_in_ticket(log, rows, none)
    value = log.value[rows]
    change = value != before
    reassigned = np.bincount(log.ticket[rows[change & (before != none)]], minlength=n)
    # Consecutive repeats are no change; a (ticket, value) among the changes twice is a
    # value the assignment left and came back to.
    pairs = np.stack((log.ticket[rows[change]], value[change]), axis=1)
    returned = np.zeros(n, dtype=bool)
    if len(pairs):
        distinct, counts = np.unique(pairs, axis=0, return_counts=True)
        returned[distinct[counts > 1, 0]] = True
    return reassigned.astype(np.int64), returned


def _one_contact(log: EventLog, n: int) -> BoolArr:
    """Exactly one agent reply and no customer reply after it."""
    agent = np.flatnonzero((log.kind == Kind.REPLY) & (log.actor == Actor.AGENT))
    customer = np.flatnonzero((log.kind == Kind.REPLY) & (log.actor == Actor.CUSTOMER))
    count = np.bincount(log.ticket[agent], minlength=n)
    last_agent = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_agent, log.ticket[agent], agent)
    last_customer = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_customer, log.ticket[customer], customer)
    one: BoolArr = (count == 1) & (last_customer < last_agent)
    return one


def repeat_contacts(created_at: I64, requester: I64, service: I64, within_us: int) -> BoolArr:
    """Per ticket: an earlier ticket of the same (requester, service) was created at most
    `within_us` before it (the nearest earlier one decides: one sort, no loop)."""
    n = len(created_at)
    known = np.flatnonzero((created_at != NULL_TS) & (requester >= 0) & (service >= 0))
    order = known[np.lexsort((known, created_at[known], service[known], requester[known]))]
    out = np.zeros(n, dtype=bool)
    if len(order) > 1:
        a, b = order[:-1], order[1:]
        same = (requester[a] == requester[b]) & (service[a] == service[b])
        out[b[same & (created_at[b] - created_at[a] <= within_us)]] = True
    return out


def ticket_parts(
    created_keys: Sequence[I64],
    resolved_keys: Sequence[I64],
    facts: TicketExperience,
    answered: BoolArr,
) -> Parts:
    """Ticket counts per group. A ticket counts as a contact in the group of its
    `created_keys` (each key: one code per ticket) and as a resolution in the group of its
    `resolved_keys`; `answered` marks tickets with a scored ticket-survey answer."""
    contact = np.flatnonzero(facts.created_at != NULL_TS)
    done = np.flatnonzero(facts.resolved_at != NULL_TS)
    keys = [
        np.concatenate((np.asarray(c)[contact], np.asarray(r)[done]))
        for c, r in zip(created_keys, resolved_keys, strict=True)
    ]
    zeros_c = np.zeros(len(contact), dtype=np.int64)
    zeros_r = np.zeros(len(done), dtype=np.int64)

    def contacts(values: I64 | BoolArr) -> I64:
        return np.concatenate((np.asarray(values, dtype=np.int64)[contact], zeros_r))

    def resolutions(values: I64 | BoolArr) -> I64:
        return np.concatenate((zeros_c, np.asarray(values, dtype=np.int64)[done]))

    ones = np.ones(len(facts.created_at), dtype=np.int64)
    columns: dict[str, I64 | BoolArr] = {
        "created": contacts(ones),
        "repeat_contacts": contacts(facts.repeat),
        "resolved": resolutions(ones),
        "answered": resolutions(answered),
        "reopened": resolutions(facts.reopened),
        "first_contact": resolutions(facts.first_contact),
        "ping_pong": resolutions(facts.ping_pong),
        "reassignments": resolutions(facts.reassignments),
    }
    return group_sums(keys, columns, len(contact) + len(done))
