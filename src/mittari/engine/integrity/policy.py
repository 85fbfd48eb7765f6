"""Integrity vocabulary: the flags, their rules, the thresholds and the columnar result.

A *flag* is a kind of gaming (premature resolve, late downgrade …); a *rule* is one precise
way a flag fires (a premature resolve followed by a reopen, or by a follow-up ticket). Each
hit is one row: the ticket, the rule, the instant, and its evidence, the indexes of the
events in the caller's log that triggered it. docs/integrity.md states every rule exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from mittari.engine.errors import EngineError
from mittari.engine.types import I64, US

MINUTE = 60 * US
HOUR = 60 * MINUTE
DAY = 24 * HOUR


class Flag(IntEnum):
    PREMATURE_RESOLVE = 0
    LATE_DOWNGRADE = 1
    PAUSE_WITHOUT_CAUSE = 2
    HOLLOW_FIRST_RESPONSE = 3
    CLONE_TO_RESTART = 4
    SCOPE_ESCAPE = 5
    DEADLINE_BUNCHING = 6  # per team and month (bunching.py), never a per-ticket row


class Rule(IntEnum):
    REOPENED = 0
    FOLLOW_UP = 1
    LATE = 2
    RAISED_AGAIN = 3
    NO_QUESTION = 4
    AFTER_CUSTOMER_REPLY = 5
    KEPT_AFTER_REPLY = 6
    NEAR_DUE = 7
    SYSTEM_REPLY = 8
    QUICK_THEN_SILENT = 9
    LINKED_SUCCESSOR = 10
    MARKED_DUPLICATE = 11
    PRIORITY_WITHOUT_TARGET = 12
    OUT_OF_SCOPE_CATEGORY = 13


FLAG_OF = {
    Rule.REOPENED: Flag.PREMATURE_RESOLVE,
    Rule.FOLLOW_UP: Flag.PREMATURE_RESOLVE,
    Rule.LATE: Flag.LATE_DOWNGRADE,
    Rule.RAISED_AGAIN: Flag.LATE_DOWNGRADE,
    Rule.NO_QUESTION: Flag.PAUSE_WITHOUT_CAUSE,
    Rule.AFTER_CUSTOMER_REPLY: Flag.PAUSE_WITHOUT_CAUSE,
    Rule.KEPT_AFTER_REPLY: Flag.PAUSE_WITHOUT_CAUSE,
    Rule.NEAR_DUE: Flag.PAUSE_WITHOUT_CAUSE,
    Rule.SYSTEM_REPLY: Flag.HOLLOW_FIRST_RESPONSE,
    Rule.QUICK_THEN_SILENT: Flag.HOLLOW_FIRST_RESPONSE,
    Rule.LINKED_SUCCESSOR: Flag.CLONE_TO_RESTART,
    Rule.MARKED_DUPLICATE: Flag.CLONE_TO_RESTART,
    Rule.PRIORITY_WITHOUT_TARGET: Flag.SCOPE_ESCAPE,
    Rule.OUT_OF_SCOPE_CATEGORY: Flag.SCOPE_ESCAPE,
}
FLAG_NAMES = [f.name.lower() for f in Flag]
RULE_NAMES = [r.name.lower() for r in Rule]


# --- thresholds (the contract's `integrity:` section, resolved) -------------------------
# Shares are percentages of a target; windows (`*_us`) are wall-clock µs unless the name
# says business: those are counted in the calendar of the ticket's target.


@dataclass(frozen=True)
class PrematureResolvePolicy:
    enabled: bool = True
    last_share_pct: float = 10.0  # resolved within the last 10 % of the target
    reopen_within_us: int = 7 * DAY  # … then reopened (or followed up) within this


@dataclass(frozen=True)
class LateDowngradePolicy:
    enabled: bool = True
    after_used_pct: float = 80.0  # lowered once this share of the original target was used


@dataclass(frozen=True)
class PausePolicy:
    enabled: bool = True
    require_question: bool = True  # a pause needs an agent reply before it
    after_customer_reply_us: int = 10 * MINUTE  # paused this soon after a customer reply
    kept_after_reply_business_us: int = HOUR  # still paused this long after the customer replied
    near_due_pct: float = 10.0  # paused within the last 10 % of the target


@dataclass(frozen=True)
class HollowResponsePolicy:
    enabled: bool = True
    within_us: int = MINUTE  # an agent reply this soon after creation …
    silent_for_business_us: int = 4 * HOUR  # … then no action for this long


@dataclass(frozen=True)
class ClonePolicy:
    enabled: bool = True
    last_share_pct: float = 20.0  # closed within the last 20 % of the target (or after it)
    successor_within_us: int = 8 * HOUR  # successor created this close to the close
    categories: frozenset[str] = frozenset({"duplicate", "split"})  # "closed as" markers


@dataclass(frozen=True)
class ScopeEscapePolicy:
    enabled: bool = True
    categories: frozenset[str] = frozenset()  # categories outside the contract or looser


@dataclass(frozen=True)
class BunchingPolicy:
    enabled: bool = True
    window_pct: float = 10.0  # the last 10 % before due, against the 10 % before it
    min_resolutions: int = 20  # per team and month, else no test
    alpha_pct: float = 1.0  # one-sided binomial test at this level


@dataclass(frozen=True)
class IntegrityPolicy:
    """Thresholds of every flag; the metrics they read (None: flags needing it never fire)."""

    resolution_metric: str | None = "resolution"
    response_metric: str | None = "first_response"
    premature_resolve: PrematureResolvePolicy = field(default_factory=PrematureResolvePolicy)
    late_downgrade: LateDowngradePolicy = field(default_factory=LateDowngradePolicy)
    pause_without_cause: PausePolicy = field(default_factory=PausePolicy)
    hollow_first_response: HollowResponsePolicy = field(default_factory=HollowResponsePolicy)
    clone_to_restart: ClonePolicy = field(default_factory=ClonePolicy)
    scope_escape: ScopeEscapePolicy = field(default_factory=ScopeEscapePolicy)
    deadline_bunching: BunchingPolicy = field(default_factory=BunchingPolicy)


# --- inputs and outputs --------------------------------------------------------------------


@dataclass(frozen=True)
class TicketFacts:
    """Per ticket index of the log: codes of requester and service (-1: unknown), and the
    index of the ticket it was split or cloned from (`origin`, -1: none)."""

    requester: I64
    service: I64
    origin: I64

    @staticmethod
    def unknown(n_tickets: int) -> TicketFacts:
        none = np.full(n_tickets, -1, dtype=np.int64)
        return TicketFacts(none, none.copy(), none.copy())


@dataclass(frozen=True)
class Flags:
    """One row per hit, sorted by (ticket, at, rule, first evidence).

    Evidence is a CSR pair: the events of hit i are `evidence[offsets[i]:offsets[i + 1]]`,
    indexes into the caller's log, the main event first (the one whose instant is `at`).
    An event of another ticket (a follow-up's or successor's `created`) may be among them.
    """

    ticket: I64
    rule: I64
    at: I64
    offsets: I64
    evidence: I64

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.ticket) + 1:
            raise EngineError("Flags.offsets must have one entry more than the rows")

    def __len__(self) -> int:
        return len(self.ticket)

    def events_of(self, i: int) -> I64:
        return self.evidence[self.offsets[i] : self.offsets[i + 1]]

    def of_rule(self, *rules: Rule) -> I64:
        """Row numbers of the hits of these rules."""
        return np.flatnonzero(np.isin(self.rule, [int(r) for r in rules]))

    def evidence_column(self, k: int) -> I64:
        """The k-th evidence event of every row (-1 where a row has fewer)."""
        sizes = np.diff(self.offsets)
        out = np.full(len(self), -1, dtype=np.int64)
        has = sizes > k
        out[has] = self.evidence[self.offsets[:-1][has] + k]
        return out
