"""The mapping file: the shipped default, a user's replacement, and bad files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mittari.errors import InputError
from mittari.importers.mapping import CANONICAL_PRIORITIES, CANONICAL_STATUSES
from mittari.importers.servicenow import DEFAULT_MAPPING, read
from mittari.importers.servicenow.settings import (
    Vocabulary,
    load_settings,
)
from mittari.importers.servicenow.tests import events_of, problems_of

HistoryCsv = Callable[..., Path]

CUSTOM = """\
states:
  Logged: new
  Working: open
  Waiting for supplier: pending_vendor
  Done: resolved
priorities:
  Urgent: P1
  Normal: P3
columns:
  number: [Ticket]
  state: [Status]
  updated: [Changed]
  opened_at: [Raised]
  priority: [Urgency class]
timestamp_format: "%Y%m%d %H%M"
"""


def test_the_canonical_names_are_the_engines() -> None:
    from mittari.engine.types import PRIORITIES, STATUS_NAMES

    assert list(CANONICAL_STATUSES) == list(STATUS_NAMES)
    assert list(CANONICAL_PRIORITIES) == [f"P{p}" for p in PRIORITIES]


def test_the_shipped_mapping_knows_every_state_hold_reason_and_priority_code() -> None:
    settings, file = load_settings(None)
    assert file == str(DEFAULT_MAPPING)
    words = Vocabulary(settings)
    codes = {
        "1": "new",
        "2": "open",
        "3": "on_hold",
        "6": "resolved",
        "7": "closed",
        "8": "cancelled",
    }
    assert {code: words.state(code) for code in codes} == codes
    holds = {"1": "pending_customer", "3": "on_hold", "4": "pending_vendor", "5": "on_hold"}
    assert {code: words.hold_reason(code) for code in holds} == holds
    assert [words.priority(str(n)) for n in range(1, 6)] == list(CANONICAL_PRIORITIES)
    assert words.priority("5 - Planning") == "P5"
    assert words.state("  in   PROGRESS ") == "open"  # trimmed, spaces collapsed, any case


def test_a_custom_mapping_replaces_the_default(tmp_path: Path, history_csv: HistoryCsv) -> None:
    mapping = tmp_path / "acme.yaml"
    mapping.write_text(CUSTOM, encoding="utf-8")
    path = history_csv(
        "A-1,Logged,20260302 0900,20260302 0900,Normal",
        "A-1,Waiting for supplier,20260302 1000,20260302 0900,Urgent",
        "A-1,Resolved,20260302 1100,20260302 0900,Urgent",  # the default's word, not this one's
        header="Ticket,Status,Changed,Raised,Urgency class",
    )
    extract = read(path, mapping=mapping, timezone="UTC")
    assert [e[1:5] for e in events_of(extract)] == [
        ("2026-03-02T09:00:00Z", "created", None, None),
        ("2026-03-02T09:00:00Z", "status", "new", "Logged"),
        ("2026-03-02T09:00:00Z", "priority", "P3", "Normal"),
        ("2026-03-02T10:00:00Z", "status", "pending_vendor", "Waiting for supplier"),
        ("2026-03-02T10:00:00Z", "priority", "P1", "Urgent"),
    ]
    assert problems_of(extract) == [(4, "Status", "Resolved")]
    assert f"add it to `states:` in {mapping}" in extract.problems[0].message


@pytest.mark.parametrize(
    ("text", "line", "field", "value"),
    [
        (CUSTOM.replace("Done: resolved", "Done: finished"), 5, "states.Done", "finished"),
        (CUSTOM.replace("Urgent: P1", "Urgent: P0"), 7, "priorities.Urgent", "P0"),
        (CUSTOM + "timezone: Europe/Helsinki\n", 16, "timezone", "Europe/Helsinki"),
        (CUSTOM.replace("  number: [Ticket]\n", ""), 9, "columns.number", None),
        (CUSTOM.replace("  number: [Ticket]", "  number: []"), 10, "columns.number", None),
        (CUSTOM + "delimiter: ';;'\n", 16, "delimiter", ";;"),
    ],
)
def test_a_bad_mapping_is_an_input_error_with_its_line(
    tmp_path: Path, text: str, line: int, field: str, value: object
) -> None:
    mapping = tmp_path / "bad.yaml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read(tmp_path / "never-read.csv", mapping=mapping)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.field, problem.value) == (
        str(mapping),
        line,
        field,
        value,
    )


def test_a_mapping_that_is_not_yaml_is_an_input_error_with_its_line(tmp_path: Path) -> None:
    mapping = tmp_path / "broken.yaml"
    mapping.write_text("states:\n  New: new\n priorities: [\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read(tmp_path / "never-read.csv", mapping=mapping)
    assert raised.value.problems[0].line == 3


def test_unquoted_numeric_codes_are_codes(tmp_path: Path, history_csv: HistoryCsv) -> None:
    mapping = tmp_path / "codes.yaml"
    text = CUSTOM.replace("  Logged: new", "  1: new").replace("  Normal: P3", "  3: P3")
    mapping.write_text(text, encoding="utf-8")
    path = history_csv(
        "A-1,1,20260302 0900,20260302 0900,3", header="Ticket,Status,Changed,Raised,Urgency class"
    )
    extract = read(path, mapping=mapping, timezone="UTC")
    assert [e[3] for e in events_of(extract)] == [None, "new", "P3"]
