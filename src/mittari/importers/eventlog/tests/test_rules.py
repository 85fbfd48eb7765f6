"""Rule semantics: exact rules before activity-wide ones, several events or none per
record, `created` from a rule, changes on a field's first value or on every change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mittari.errors import Problem
from mittari.importers.eventlog import read

Write = Callable[[str, str], Path]
LOG = """\
Case,Activity,Lifecycle,Time,Team,Impact
A,Open,,2025-03-03T09:00:00Z,L1,High
A,Work,start,2025-03-03T09:10:00Z,L1,High
A,Work,suspend,2025-03-03T09:20:00Z,L2,Low
A,Ping,x,2025-03-03T09:25:00Z,L2,n/a
A,Work,complete,2025-03-03T09:30:00Z,L1,Low
B,Work,start,2025-03-03T10:00:00Z,,
"""


def _read(write: Write, extra: str) -> tuple[list[tuple[str, int, str, str | None]], list[Problem]]:
    mapping = write("m.yaml", f"""\
name: rules
csv:
  case: Case
  fields: {{ activity: Activity, lifecycle: Lifecycle, timestamp: Time, team: Team,
            impact: Impact }}
rules:
  - {{ activity: Open, emit: [{{ kind: created }}, {{ kind: status, value: new }}] }}
  - {{ activity: Work, emit: [{{ kind: status, value: open }}] }}
  - {{ activity: Work, lifecycle: suspend, emit: [{{ kind: status, value: on_hold }}] }}
  - {{ activity: Ping, emit: [] }}
{extra}""")  # fmt: skip
    extract = read(write("log.csv", LOG), mapping=mapping)
    events = [
        (e["ticket_id"], e["line"], e["kind"], e["value"]) for e in extract.events.to_pylist()
    ]
    return events, extract.problems


def test_created_by_rule_and_exact_rules_before_activity_wide_ones(write: Write) -> None:
    events, problems = _read(write, "created: rule\n")
    assert events == [
        ("A", 2, "created", None),
        ("A", 2, "status", "new"),
        ("A", 3, "status", "open"),
        ("A", 4, "status", "on_hold"),  # the exact rule, not Work's activity-wide one
        ("A", 6, "status", "open"),
        ("B", 7, "status", "open"),
    ]
    message = "no record of this case maps to created (created: rule), so it has no created event"
    assert [(p.line, p.field, p.value, p.message) for p in problems] == [(7, "Case", "B", message)]


def test_changes_on_every_change_and_on_the_first_value_only(write: Write) -> None:
    changes = """\
created: rule
changes:
  - { field: team, kind: assign }
  - field: impact
    kind: priority
    when: first
    values: { High: P2, Low: P4, n/a: null }
"""
    events, _ = _read(write, changes)
    assign = [(line, value) for _, line, kind, value in events if kind == "assign"]
    priority = [(line, value) for _, line, kind, value in events if kind == "priority"]
    assert assign == [(2, "L1"), (4, "L2"), (6, "L1")]  # line 5 (Ping) is ignored: no change
    assert priority == [(2, "P2")]  # B has no impact: no event


def test_a_null_canonical_value_gives_no_event_but_is_no_problem(write: Write) -> None:
    changes = """\
created: rule
changes:
  - { field: impact, kind: priority, values: { High: P2, Low: P4, n/a: null } }
"""
    events, problems = _read(write, changes)
    priority = [(line, value) for _, line, kind, value in events if kind == "priority"]
    assert priority == [(2, "P2"), (4, "P4")]  # line 5 is ignored by its rule anyway
    assert [p.field for p in problems] == ["Case"]  # only B's missing created
