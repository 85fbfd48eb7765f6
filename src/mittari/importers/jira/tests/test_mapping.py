"""Mapping files: a custom one changes the mapping; a bad one is an error with its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mittari.errors import InputError
from mittari.importers.jira import read
from mittari.importers.jira.tests import SAMPLES, history, issue, rows, tickets

CUSTOM = """\
statuses:
  Waiting for support: new
  Waiting for customer: pending_customer
  Pending: on_hold
  Resolved: resolved
  Closed: closed
  Canceled: cancelled
priorities:
  Highest: P1
  High: P1
  Medium: P2
  Low: P3
automation_accounts: [agent b]
service_fields: [customfield_10010, components]
"""


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_custom_mapping_replaces_the_default(tmp_path: Path) -> None:
    extract = read(SAMPLES / "search_result.json", mapping=_mapping(tmp_path, CUSTOM))
    sd_5 = [(r[2], r[3], r[4]) for r in rows(extract) if r[0] == "SD-5"]
    assert sd_5[:3] == [("created", None, None), ("status", "new", None), ("priority", "P1", None)]
    assert ("status", "on_hold", None) in sd_5  # Pending
    sd_3 = [(r[2], r[4], r[6]) for r in rows(extract) if r[0] == "SD-3"]
    assert ("note", "system", "SD-3 comment 20300") in sd_3  # Agent B counts as automation
    # "Investigating" is mapped by its category, which the custom file still maps
    assert [r[3] for r in rows(extract) if r[5] == "Investigating"] == ["open"]
    # no category fields: the component change is counted instead
    assert "category" not in {r[2] for r in rows(extract)}
    found = tickets(extract)
    assert (found["SD-3"]["ignored_changes"], found["SD-4"]["service"]) == (
        "2",  # both items of the component change
        "Request new hardware",  # the JSM request type
    )
    assert extract.problems == []


def test_group_fields_give_assign_events(tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, CUSTOM + "group_fields:\n  Assigned Group: customfield_10050\n")
    moved: dict[str, object] = {
        "field": "Assigned Group",
        "fieldtype": "custom",
        "from": "1",
        "fromString": "Service Desk",
        "to": "2",
        "toString": "Network Team",
    }
    document = issue(
        "X-1",
        history("5", "2025-03-03T10:00:00.000+0200", moved),
        customfield_10050={"name": "Network Team"},
    )
    path = tmp_path / "issue.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assigned = [(r[1], r[3], r[6]) for r in rows(read(path, mapping=mapping)) if r[2] == "assign"]
    assert assigned == [
        ("2025-03-03T07:00:00.000Z", "Service Desk", "X-1 changelog 5 item 0 from"),
        ("2025-03-03T08:00:00.000Z", "Network Team", "X-1 changelog 5 item 0"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "field", "value"),
    [
        (
            "statuses:\n  Open: open\n  Waiting for customer: paused\npriorities: {}\n",
            3,
            "statuses.Waiting for customer",
            "paused",
        ),
        ("statuses: {}\npriorities:\n  High: P2\ncolours: {}\n", 4, "colours", None),
        ("statuses: {}\npriorities:\n  High: 2\n", 3, "priorities.High", 2),
        ("statuses:\n  Done: resolved\n  done: closed\npriorities: {}\n", 1, "statuses", None),
        ("statuses: {}\n", 1, "priorities", None),
        ("statuses: {}\npriorities:\n  High: [P2\n", 3, "mapping", None),
    ],
    ids=["not-canonical", "unknown-key", "not-text", "twice", "missing", "yaml-syntax"],
)
def test_a_bad_mapping_file_names_its_line(
    tmp_path: Path, text: str, line: int, field: str, value: object
) -> None:
    path = _mapping(tmp_path, text)
    with pytest.raises(InputError) as raised:
        read(SAMPLES / "search_result.json", mapping=path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.field, problem.value) == (
        str(path),
        line,
        field,
        value,
    )
