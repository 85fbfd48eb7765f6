"""Pause without cause: a wait for the customer that the customer did not cause.

A pause starts at a status event into `pending_customer` from another status, and only
where the resolution metric pauses on `pending_customer` (elsewhere it games nothing). It
lasts until the next status event to another status (or as-of). The last public reply
before it is the latest reply by an agent or the customer (system replies ask nothing).

- AFTER_CUSTOMER_REPLY: that last reply is the customer's, at most
  `after_customer_reply_us` (wall-clock) before the pause: the customer had just answered.
- NO_QUESTION (when `require_question`): no agent reply is the last reply before the pause,
  and AFTER_CUSTOMER_REPLY does not hold: nothing was asked of the customer.
- KEPT_AFTER_REPLY: a customer reply during the pause, after which the pause still lasted at
  least `kept_after_reply_business_us` of business time (in the calendar of the resolution
  target of the priority in force at the reply).
- NEAR_DUE: the pause starts within the last `near_due_pct` of the resolution target (not
  over it).
"""

from __future__ import annotations

import numpy as np

from mittari.engine.integrity.context import Context, Hits
from mittari.engine.integrity.policy import Rule
from mittari.engine.types import Actor, Kind, Status

_PENDING = int(Status.PENDING_CUSTOMER)


def pause_without_cause(cx: Context) -> list[Hits]:
    pol = cx.policy.pause_without_cause
    metric = cx.resolution
    if not pol.enabled or metric is None or _PENDING not in metric.pause_statuses:
        return []
    ev, log = cx.ev, cx.ev.log
    cand = np.flatnonzero(ev.is_status(_PENDING) & (ev.status_before != _PENDING) & cx.judged)
    at = log.ts[cand]
    last = ev.last_before(ev.is_reply(int(Actor.AGENT), int(Actor.CUSTOMER)))[cand]
    last_actor = np.where(last >= 0, log.actor[np.maximum(last, 0)], -1)
    by_customer = last_actor == Actor.CUSTOMER
    just_after = by_customer & (at - log.ts[np.maximum(last, 0)] <= pol.after_customer_reply_us)
    hits = [Hits.of(Rule.AFTER_CUSTOMER_REPLY, cand[just_after], last[just_after])]
    if pol.require_question:
        unasked = (last_actor != Actor.AGENT) & ~just_after
        hits.append(Hits.of(Rule.NO_QUESTION, cand[unasked], last[unasked]))
    hits.append(_kept_after_reply(cx, cand))
    near = cx.used(metric, cand, at).within_last(pol.near_due_pct)
    hits.append(Hits.of(Rule.NEAR_DUE, cand[near]))
    return hits


def _kept_after_reply(cx: Context, cand: np.ndarray) -> Hits:
    ev, log = cx.ev, cx.ev.log
    assert cx.resolution is not None
    leaves = (log.kind == Kind.STATUS) & (log.value != _PENDING)
    end = ev.next_after(leaves)[cand]
    reply = ev.next_after(ev.is_reply(int(Actor.CUSTOMER)))[cand]
    inside = (reply >= 0) & ((end < 0) | (reply < end))
    cand, end, reply = cand[inside], end[inside], reply[inside]
    until = np.where(end >= 0, log.ts[np.maximum(end, 0)], cx.as_of)
    waited = cx.business(cx.resolution, ev.priority_after[reply], log.ts[reply], until)
    kept = waited >= cx.policy.pause_without_cause.kept_after_reply_business_us
    return Hits.of(Rule.KEPT_AFTER_REPLY, cand[kept], reply[kept])
