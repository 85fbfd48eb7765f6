"""Hollow first response: a first response that answered nothing.

The response is the first event after the ticket's `created` that stops the stock
first_response clock: an agent reply, a resolved/closed/cancelled status, or a system
reply where the response metric counts those.

- SYSTEM_REPLY: that event is a system reply (so only where the response metric counts
  system replies: elsewhere it stopped nothing).
- QUICK_THEN_SILENT: that event is an agent reply at most `within_us` (wall-clock) after
  `created`, and the next action after it (a status, priority, assign or category event, or
  an agent reply or note; a customer's or system's words are no action) comes only after at
  least `silent_for_business_us` of business time in the calendar of the response target of
  the priority in force at the reply, or not before as-of.
"""

from __future__ import annotations

import numpy as np

from mittari.engine.integrity.context import Context, Hits
from mittari.engine.integrity.policy import Rule
from mittari.engine.types import I64, Actor, Condition, Kind, Status, Trigger

_SYSTEM_STOP = Condition(Trigger.REPLY, int(Actor.SYSTEM))
_ENDS = (int(Status.RESOLVED), int(Status.CLOSED), int(Status.CANCELLED))
_ACTIONS = (int(Kind.STATUS), int(Kind.PRIORITY), int(Kind.ASSIGN), int(Kind.CATEGORY))


def first_response_events(cx: Context, counts_system: bool) -> I64:
    """Per ticket index: the event that stopped its first response clock, or -1."""
    ev = cx.ev
    actors = (int(Actor.AGENT), int(Actor.SYSTEM)) if counts_system else (int(Actor.AGENT),)
    stops = ev.is_reply(*actors) | ev.is_status(*_ENDS)
    first = ev.next_where(stops)
    created = ev.created_idx
    return np.where(created >= 0, first[np.maximum(created, 0)], -1)


def hollow_first_response(cx: Context) -> list[Hits]:
    pol = cx.policy.hollow_first_response
    metric = cx.response
    if not pol.enabled or metric is None:
        return []
    ev, log = cx.ev, cx.ev.log
    counts_system = _SYSTEM_STOP in metric.stop
    first = first_response_events(cx, counts_system)
    first = first[first >= 0]
    first = first[cx.judged[first] & (log.kind[first] == Kind.REPLY)]
    hits = [Hits.of(Rule.SYSTEM_REPLY, first[log.actor[first] == Actor.SYSTEM])]
    reply = first[log.actor[first] == Actor.AGENT]
    quick = log.ts[reply] - ev.created_at[log.ticket[reply]] <= pol.within_us
    reply = reply[quick]
    action = np.isin(log.kind, _ACTIONS)
    action |= np.isin(log.kind, (int(Kind.REPLY), int(Kind.NOTE))) & (log.actor == Actor.AGENT)
    nxt = ev.next_after(action)[reply]
    until = np.where(nxt >= 0, log.ts[np.maximum(nxt, 0)], cx.as_of)
    silent = cx.business(metric, ev.priority_after[reply], log.ts[reply], until)
    slow = silent >= pol.silent_for_business_us
    hits.append(Hits.of(Rule.QUICK_THEN_SILENT, reply[slow], nxt[slow]))
    return hits
