"""Integrity flags: where SLA figures were gamed, each hit with the events that show it,
and the honest log on which `measure` gives the figures with that behaviour undone.

    find_flags(log, metrics, calendars, policy, facts, judged, as_of)  -> Flags
    honest_log(log, flags)                                              -> EventLog
    deadline_bunching(group, month, state, elapsed, target, policy)     -> Bunching

docs/integrity.md states every rule; `engine/reference_integrity.py` is the slow twin of
the per-ticket rules.
"""

from mittari.engine.integrity.bunching import Bunching, binomial_tail, deadline_bunching
from mittari.engine.integrity.flags import find_flags, metric_named
from mittari.engine.integrity.honest import honest_log
from mittari.engine.integrity.policy import (
    FLAG_NAMES,
    FLAG_OF,
    RULE_NAMES,
    BunchingPolicy,
    ClonePolicy,
    Flag,
    Flags,
    HollowResponsePolicy,
    IntegrityPolicy,
    LateDowngradePolicy,
    PausePolicy,
    PrematureResolvePolicy,
    Rule,
    ScopeEscapePolicy,
    TicketFacts,
)

__all__ = [
    "FLAG_NAMES",
    "FLAG_OF",
    "RULE_NAMES",
    "Bunching",
    "BunchingPolicy",
    "ClonePolicy",
    "Flag",
    "Flags",
    "HollowResponsePolicy",
    "IntegrityPolicy",
    "LateDowngradePolicy",
    "PausePolicy",
    "PrematureResolvePolicy",
    "Rule",
    "ScopeEscapePolicy",
    "TicketFacts",
    "binomial_tail",
    "deadline_bunching",
    "find_flags",
    "honest_log",
    "metric_named",
]
