"""Per-event columns of a sorted log that the integrity rules share: where each ticket's
events are, the status and priority before and after each event, and "the last/next event
of the same ticket where …" lookups, all as whole-array passes (no loop over events)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mittari.engine.types import (
    I64,
    NO_VALUE,
    NULL_TS,
    TERMINAL_STATUSES,
    BoolArr,
    EventLog,
    Kind,
    Status,
)

STOP_STATUSES = (int(Status.RESOLVED), int(Status.CLOSED))
TERMINAL = tuple(int(s) for s in TERMINAL_STATUSES)


@dataclass(frozen=True)
class Events:
    """A log (already cut at as-of) with the per-event state the rules read."""

    log: EventLog
    head: I64  # per event: index of its ticket's first event
    end: I64  # per event: index one past its ticket's last event
    status_before: I64  # `new` before any status event
    status_after: I64
    priority_before: I64  # NO_VALUE before any priority event
    priority_after: I64
    created_at: I64  # per ticket index: ts of its first `created` event, NULL_TS if none
    created_idx: I64  # per ticket index: that event's index, -1 if none

    @property
    def n(self) -> int:
        return len(self.log)

    def is_status(self, *values: int) -> BoolArr:
        log = self.log
        found: BoolArr = (log.kind == Kind.STATUS) & np.isin(log.value, values)
        return found

    def is_reply(self, *actors: int) -> BoolArr:
        log = self.log
        found: BoolArr = (log.kind == Kind.REPLY) & np.isin(log.actor, actors)
        return found

    def last_where(self, mask: BoolArr) -> I64:
        """For each event i: the last j ≤ i of its ticket with mask[j], else -1."""
        idx = np.where(mask, np.arange(self.n, dtype=np.int64), -1)
        np.maximum.accumulate(idx, out=idx)
        return np.where(idx >= self.head, idx, -1)

    def next_where(self, mask: BoolArr) -> I64:
        """For each event i: the first j ≥ i of its ticket with mask[j], else -1."""
        big = np.int64(self.n)
        idx = np.where(mask, np.arange(self.n, dtype=np.int64), big)
        idx = np.minimum.accumulate(idx[::-1])[::-1]
        return np.where(idx < self.end, idx, -1)

    def last_before(self, mask: BoolArr) -> I64:
        """For each event i: the last j < i of its ticket with mask[j], else -1."""
        return self._shift(self.last_where(mask), 1)

    def next_after(self, mask: BoolArr) -> I64:
        """For each event i: the first j > i of its ticket with mask[j], else -1."""
        return self._shift(self.next_where(mask), -1)

    def _shift(self, found: I64, by: int) -> I64:
        out = np.full(self.n, -1, dtype=np.int64)
        i = np.arange(self.n, dtype=np.int64)
        src = i - by
        ok = (src >= self.head) & (src < self.end)
        out[ok] = found[src[ok]]
        return out


def events_of(log: EventLog) -> Events:
    n = len(log)
    t = log.ticket
    first = np.ones(n, dtype=bool)
    first[1:] = t[1:] != t[:-1]
    starts = np.flatnonzero(first)
    sizes = np.diff(np.append(starts, n))
    head = np.repeat(starts, sizes)
    end = np.repeat(starts + sizes, sizes)
    partial = Events(log, head, end, *(np.zeros(0, np.int64),) * 4, *_created(log))
    status_after = _carried(partial, log.kind == Kind.STATUS, int(Status.NEW))
    priority_after = _carried(partial, log.kind == Kind.PRIORITY, NO_VALUE)
    return Events(
        log,
        head,
        end,
        _before(status_after, head, int(Status.NEW)),
        status_after,
        _before(priority_after, head, NO_VALUE),
        priority_after,
        partial.created_at,
        partial.created_idx,
    )


def _carried(ev: Events, mask: BoolArr, fill: int) -> I64:
    """The value of the last event ≤ i where mask holds (a forward fill), else fill."""
    last = ev.last_where(mask)
    return np.where(last >= 0, ev.log.value[np.maximum(last, 0)], fill).astype(np.int64)


def _before(after: I64, head: I64, fill: int) -> I64:
    out = np.empty_like(after)
    out[1:] = after[:-1]
    out[:1] = fill
    out[np.arange(len(after)) == head] = fill
    return out


def _created(log: EventLog) -> tuple[I64, I64]:
    at = np.full(log.n_tickets, NULL_TS, dtype=np.int64)
    idx = np.full(log.n_tickets, -1, dtype=np.int64)
    rows = np.flatnonzero(log.kind == Kind.CREATED)[::-1]  # reversed: the first one wins
    at[log.ticket[rows]] = log.ts[rows]
    idx[log.ticket[rows]] = rows
    return at, idx


def next_in_group(item_group: I64, item_time: I64, query_group: I64, query_from: I64) -> I64:
    """For each query: the item of the same group with the earliest time ≥ query_from (ties:
    the lowest item number), or -1. Groups < 0 never match. One sort of items and queries
    together, then a backward fill of the next item's position: no loop over queries."""
    ni, nq = len(item_group), len(query_group)
    group = np.concatenate((item_group, query_group))
    time = np.concatenate((item_time, query_from))
    is_query = np.concatenate((np.zeros(ni, np.int64), np.ones(nq, np.int64)))
    number = np.concatenate((np.arange(ni), np.arange(nq)))
    # At equal (group, time) the query sorts first, so an item at exactly query_from counts.
    order = np.lexsort((number, 1 - is_query, time, group))
    group, is_query, number = group[order], is_query[order], number[order]
    end = ni + nq
    item_pos = np.where(is_query == 0, np.arange(end), end)
    next_item = np.minimum.accumulate(item_pos[::-1])[::-1]  # end: none after
    queries = np.flatnonzero(is_query == 1)
    found = np.minimum(next_item[queries], end - 1)
    ok = (next_item[queries] < end) & (group[found] == group[queries]) & (group[queries] >= 0)
    out = np.full(nq, -1, dtype=np.int64)
    out[number[queries][ok]] = number[found][ok]
    return out
