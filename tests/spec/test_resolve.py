"""A valid contract resolves to the engine's frozen policy objects, defaults applied."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime

from mittari.engine.types import Actor as A
from mittari.engine.types import Condition as C
from mittari.engine.types import (
    ContractPolicy,
    MetricPolicy,
    PriorityRule,
    ReopenPolicy,
    Status,
    Target,
    Trigger,
)
from mittari.spec import load_contract

from .conftest import VALID, WriteYaml, variant

CREATED = C(Trigger.CREATED)
RESOLVED, CLOSED = C(Trigger.STATUS, Status.RESOLVED), C(Trigger.STATUS, Status.CLOSED)


def _us(year: int, month: int, day: int, hour: int) -> int:
    return int(datetime(year, month, day, hour, tzinfo=UTC).timestamp()) * 1_000_000


def _only(write_yaml: WriteYaml, text: str = VALID) -> ContractPolicy:
    (policy,) = load_contract(write_yaml(text))
    return policy


def test_contract_header_and_effective_instants(write_yaml: WriteYaml) -> None:
    policy = _only(write_yaml)
    assert (policy.customer, policy.version, policy.timezone) == (
        "acme",
        "2026.1",
        "Europe/Helsinki",
    )
    # local midnight in Helsinki (UTC+2 in winter) as µs UTC
    assert policy.effective_from_us == _us(2025, 12, 31, 22)
    assert policy.effective_to_us == _us(2026, 12, 31, 22)


def test_open_ended_version(write_yaml: WriteYaml) -> None:
    policy = _only(write_yaml, variant("    to: 2027-01-01\n", ""))
    assert policy.effective_to_us is None


def test_metrics_resolve_to_expected_policies(write_yaml: WriteYaml) -> None:
    policy = _only(write_yaml)
    assert policy.metrics == (
        MetricPolicy(
            name="first_response",
            start=(CREATED,),
            stop=(C(Trigger.REPLY, A.AGENT), RESOLVED, CLOSED),
            pause_statuses=frozenset(),
            reopen=ReopenPolicy.IGNORE,
            priority_rule=PriorityRule.CURRENT,
            targets={1: Target(1800, "always"), 2: Target(3600, "office")},
            objective_pct=95.0,
            default_priority=2,
        ),
        MetricPolicy(
            name="resolution",
            start=(CREATED,),
            stop=(RESOLVED, CLOSED),
            pause_statuses=frozenset({Status.PENDING_CUSTOMER, Status.PENDING_VENDOR}),
            reopen=ReopenPolicy.RESUME,
            priority_rule=PriorityRule.CURRENT,
            targets={1: Target(4 * 3600, "always"), 2: Target(8 * 3600, "office")},
            objective_pct=90.0,
            default_priority=2,
        ),
        MetricPolicy(
            name="vendor_wait",
            start=(C(Trigger.STATUS, Status.PENDING_VENDOR),),
            stop=(RESOLVED, CLOSED),
            pause_statuses=frozenset(
                {Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD}
            ),
            reopen=ReopenPolicy.RESUME,
            priority_rule=PriorityRule.CURRENT,
            targets={2: Target(16 * 3600, "office")},
            objective_pct=80.0,
            default_priority=2,
        ),
    )


def test_calendars_resolve(write_yaml: WriteYaml) -> None:
    calendars = _only(write_yaml).calendars
    office, always = calendars["office"], calendars["always"]
    assert (office.name, office.timezone, office.always_open) == (
        "office",
        "Europe/Helsinki",
        False,
    )
    assert office.weekly == ((((480, 960),),) * 5) + ((), ())
    assert office.closures == ((date(2026, 12, 23), 720, 1440),)
    assert {date(2026, 12, 6), date(2026, 12, 24)} <= office.holidays(2026)
    assert always.always_open
    assert always.holidays(2026) == frozenset()


STOCK_DEFAULTS = """\
    first_response:
      type: first_response
      objective: 95
      countSystemReplies: true
      priorityRule: highest
      targets: {P4: {within: 8h, calendar: office}, P1: {within: 30m, calendar: always}}
    resolution:
      type: resolution
      objective: 99.5%
      targets: {P3: {within: 8h, calendar: office}}
    waiting:
      type: custom
      objective: 50%
      start: [reopened, "status:open", reopened, assign, category, "priority:P1"]
      stop: ["reply:customer", "status:closed"]
      targets: {P5: {within: 1h30m15s, calendar: office}}
"""


def _with_metrics(metrics: str) -> str:
    head = VALID[: VALID.index("    first_response:")]
    return head + metrics


def test_defaults_of_stock_and_custom_metrics(write_yaml: WriteYaml) -> None:
    first, resolution, waiting = _only(write_yaml, _with_metrics(STOCK_DEFAULTS)).metrics
    assert first.stop == (C(Trigger.REPLY, A.AGENT), RESOLVED, CLOSED, C(Trigger.REPLY, A.SYSTEM))
    assert first.priority_rule == PriorityRule.HIGHEST
    assert (first.objective_pct, first.default_priority) == (95.0, 4)
    assert resolution.pause_statuses == {Status.PENDING_CUSTOMER, Status.PENDING_VENDOR}
    assert (resolution.reopen, resolution.priority_rule) == (
        ReopenPolicy.RESUME,
        PriorityRule.CURRENT,
    )
    assert resolution.objective_pct == 99.5
    assert waiting.start == (  # written order, the repeated `reopened` dropped
        C(Trigger.REOPENED),
        C(Trigger.STATUS, Status.OPEN),
        C(Trigger.ASSIGN),
        C(Trigger.CATEGORY),
        C(Trigger.PRIORITY, 1),
    )
    assert waiting.stop == (C(Trigger.REPLY, A.CUSTOMER), CLOSED)
    assert (waiting.pause_statuses, waiting.reopen) == (frozenset(), ReopenPolicy.RESUME)
    assert waiting.targets == {5: Target(5415, "office")}


def test_default_priority_of_the_contract_applies_to_every_metric(write_yaml: WriteYaml) -> None:
    text = variant("  calendars:\n", "  defaultPriority: P1\n  calendars:\n")
    assert {m.default_priority for m in _only(write_yaml, text).metrics} == {1}


def test_policies_pickle_for_worker_processes(write_yaml: WriteYaml) -> None:
    policy = _only(write_yaml)
    copy = pickle.loads(pickle.dumps(policy))
    assert copy == policy
    assert copy.calendars["office"].holidays(2026) == policy.calendars["office"].holidays(2026)
