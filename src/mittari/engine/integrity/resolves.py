"""Premature resolve and clone to restart: closes that came just in time, then did not hold.

- premature resolve: a status change into resolved/closed from an active status, within
  the last `last_share_pct` of the resolution target (not over it), then either the ticket
  reopens within `reopen_within_us` (rule REOPENED), or another ticket of the same requester
  on the same service is created after the resolve and within that window (FOLLOW_UP).
- clone to restart: a change into resolved/closed/cancelled from an active status with at
  least (100 - `last_share_pct`) % of the target used (over it too: closing a breached ticket
  as a duplicate takes the breach away), and a successor created after the ticket and within
  `successor_within_us` of the close: one that names the ticket as its origin
  (LINKED_SUCCESSOR), or, when the ticket carries a "closed as" category (duplicate, split)
  by then, one of the same requester on the same service (MARKED_DUPLICATE).
"""

from __future__ import annotations

import numpy as np

from mittari.engine.integrity.columns import STOP_STATUSES, TERMINAL, next_in_group
from mittari.engine.integrity.context import Context, Hits
from mittari.engine.integrity.policy import Rule
from mittari.engine.types import I64, NULL_TS, BoolArr, Kind


def entered(cx: Context, statuses: tuple[int, ...]) -> I64:
    """Judged status events into one of `statuses` from a non-terminal status."""
    ev = cx.ev
    moved = ev.is_status(*statuses) & ~np.isin(ev.status_before, TERMINAL)
    return np.flatnonzero(moved & cx.judged)


def reopens(cx: Context) -> BoolArr:
    """Status events that leave resolved/closed/cancelled for an active status."""
    ev = cx.ev
    active = (ev.log.kind == Kind.STATUS) & ~np.isin(ev.log.value, TERMINAL)
    found: BoolArr = active & np.isin(ev.status_before, TERMINAL)
    return found


def requester_service_pairs(cx: Context) -> I64:
    """Per ticket: a code of its (requester, service) pair, -1 if either is unknown."""
    f = cx.facts
    known = (f.requester >= 0) & (f.service >= 0)
    out = np.full(len(known), -1, dtype=np.int64)
    if known.any():
        pairs = np.stack((f.requester[known], f.service[known]), axis=1)
        out[known] = np.unique(pairs, axis=0, return_inverse=True)[1].reshape(-1)
    return out


def successor(cx: Context, group: I64, query_group: I64, earliest: I64) -> I64:
    """Per query: the ticket of `group` equal to the query's, created earliest at or after
    `earliest` (ties: the lowest ticket index), or -1."""
    created = cx.ev.created_at
    tickets = np.flatnonzero((created != NULL_TS) & (group >= 0))
    found = next_in_group(group[tickets], created[tickets], query_group, earliest)
    out = np.full(len(found), -1, dtype=np.int64)
    out[found >= 0] = tickets[found[found >= 0]]
    return out


def premature_resolve(cx: Context) -> list[Hits]:
    pol = cx.policy.premature_resolve
    metric = cx.resolution
    if not pol.enabled or metric is None:
        return []
    ev, log = cx.ev, cx.ev.log
    cand = entered(cx, STOP_STATUSES)
    at = log.ts[cand]
    back = ev.next_after(reopens(cx))[cand]
    soon = (back >= 0) & (log.ts[np.maximum(back, 0)] - at <= pol.reopen_within_us)
    pairs = requester_service_pairs(cx)
    later = successor(cx, pairs, pairs[log.ticket[cand]], at + 1)  # strictly after
    came = (later >= 0) & (ev.created_at[np.maximum(later, 0)] - at <= pol.reopen_within_us)
    # Probing the clock costs most: only resolves that came back are probed.
    probed = np.flatnonzero(soon | came)
    last = cx.used(metric, cand[probed], at[probed]).within_last(pol.last_share_pct)
    in_time = np.zeros(len(cand), dtype=bool)
    in_time[probed[last]] = True
    soon, came = soon & in_time, came & in_time
    return [
        Hits.of(Rule.REOPENED, cand[soon], back[soon]),
        Hits.of(Rule.FOLLOW_UP, cand[came], ev.created_idx[later[came]]),
    ]


def clone_to_restart(cx: Context) -> list[Hits]:
    pol = cx.policy.clone_to_restart
    metric = cx.resolution
    if not pol.enabled or metric is None:
        return []
    ev, log = cx.ev, cx.ev.log
    cand = entered(cx, TERMINAL)
    a, at = log.ticket[cand], log.ts[cand]
    earliest = np.maximum(at - pol.successor_within_us, ev.created_at[a] + 1)
    latest = at + pol.successor_within_us
    linked = successor(cx, cx.facts.origin, a, earliest)
    linked_ok = (linked >= 0) & (ev.created_at[np.maximum(linked, 0)] <= latest)
    marker = _first_marker(cx)[a]
    marked = (marker >= 0) & (log.ts[np.maximum(marker, 0)] <= at)
    pairs = requester_service_pairs(cx)
    same = successor(cx, pairs, pairs[a], earliest)
    same_ok = marked & (same >= 0) & (ev.created_at[np.maximum(same, 0)] <= latest) & ~linked_ok
    probed = np.flatnonzero(linked_ok | same_ok)  # only closes with a successor
    late = cx.used(metric, cand[probed], at[probed]).at_least(100.0 - pol.last_share_pct)
    near = np.zeros(len(cand), dtype=bool)
    near[probed[late]] = True
    linked_ok, same_ok = linked_ok & near, same_ok & near
    shown_marker = np.where(marked, marker, -1)
    return [
        Hits.of(
            Rule.LINKED_SUCCESSOR,
            cand[linked_ok],
            ev.created_idx[linked[linked_ok]],
            shown_marker[linked_ok],
        ),
        Hits.of(
            Rule.MARKED_DUPLICATE, cand[same_ok], ev.created_idx[same[same_ok]], marker[same_ok]
        ),
    ]


def _first_marker(cx: Context) -> I64:
    """Per ticket index: its first category event naming a "closed as" category, or -1."""
    log = cx.ev.log
    codes = [i for i, s in enumerate(log.strings) if s in cx.policy.clone_to_restart.categories]
    is_marker = (log.kind == Kind.CATEGORY) & np.isin(log.value, codes)
    rows = np.flatnonzero(is_marker)[::-1]  # reversed: the first one per ticket wins
    out = np.full(log.n_tickets, -1, dtype=np.int64)
    out[log.ticket[rows]] = rows
    return out
