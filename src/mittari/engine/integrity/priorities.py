"""Late downgrade and scope escape: changes that move a ticket to an easier target.

Only changes made while the ticket is active (its status before the change is not
resolved, closed or cancelled) are judged: after a stop the clock's outcome is settled.

- late downgrade: a priority event that lowers the priority (a larger number than the one in
  force, which must be known) once at least `after_used_pct` of the resolution target of the
  priority in force was used (LATE); or one whose next priority event raises it again
  (RAISED_AGAIN), whenever that comes.
- scope escape: a priority event to a priority without a resolution target, from one with a
  target (PRIORITY_WITHOUT_TARGET); a category event into one of the out-of-scope categories
  from a category outside that list (OUT_OF_SCOPE_CATEGORY). A ticket's first priority or
  category is its classification, not a change, so it is never judged. Services have no
  history in the canonical log, so a change of service cannot be seen; a looser priority at
  any time is a downgrade, and only a late one is judged (above), since early
  re-prioritisation is ordinary triage.
"""

from __future__ import annotations

import numpy as np

from mittari.engine.integrity.columns import TERMINAL
from mittari.engine.integrity.context import Context, Hits
from mittari.engine.integrity.policy import Rule
from mittari.engine.types import NO_VALUE, PRIORITIES, BoolArr, Kind


def _active_change(cx: Context, kind: Kind) -> BoolArr:
    ev = cx.ev
    found: BoolArr = (ev.log.kind == kind) & ~np.isin(ev.status_before, TERMINAL)
    return found & cx.judged


def late_downgrade(cx: Context) -> list[Hits]:
    pol = cx.policy.late_downgrade
    if not pol.enabled:
        return []
    ev, log = cx.ev, cx.ev.log
    lowered = _active_change(cx, Kind.PRIORITY) & (ev.priority_before != NO_VALUE)
    lowered &= log.value > ev.priority_before
    cand = np.flatnonzero(lowered)
    nxt = ev.next_after(log.kind == Kind.PRIORITY)[cand]
    raised = (nxt >= 0) & (log.value[np.maximum(nxt, 0)] < log.value[cand])
    hits = [Hits.of(Rule.RAISED_AGAIN, cand[raised], nxt[raised])]
    if cx.resolution is not None:
        late = cx.used(cx.resolution, cand, log.ts[cand]).at_least(pol.after_used_pct)
        hits.append(Hits.of(Rule.LATE, cand[late]))
    return hits


def scope_escape(cx: Context) -> list[Hits]:
    pol = cx.policy.scope_escape
    if not pol.enabled:
        return []
    hits = [_category_escape(cx)]
    metric = cx.resolution
    if metric is not None:
        ev, log = cx.ev, cx.ev.log
        # One slot more than priorities: NO_VALUE (-1) indexes it, and it stays False.
        has_target = np.zeros(max(PRIORITIES) + 2, dtype=bool)
        has_target[list(metric.targets)] = True
        escape = _active_change(cx, Kind.PRIORITY) & has_target[ev.priority_before]
        escape &= ~has_target[np.clip(log.value, 0, max(PRIORITIES))]
        hits.append(Hits.of(Rule.PRIORITY_WITHOUT_TARGET, np.flatnonzero(escape)))
    return hits


def _category_escape(cx: Context) -> Hits:
    ev, log = cx.ev, cx.ev.log
    names = cx.policy.scope_escape.categories
    codes = [i for i, s in enumerate(log.strings) if s in names]
    is_category = log.kind == Kind.CATEGORY
    outside = is_category & np.isin(log.value, codes)
    previous = ev.last_before(is_category)
    was_inside = (previous >= 0) & ~outside[np.maximum(previous, 0)]
    cand = np.flatnonzero(outside & _active_change(cx, Kind.CATEGORY) & was_inside)
    return Hits.of(Rule.OUT_OF_SCOPE_CATEGORY, cand, previous[cand])
