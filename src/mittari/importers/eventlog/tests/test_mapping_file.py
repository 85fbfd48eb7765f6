"""Mapping files: a bad one is refused with its file, line, field and value; the read
itself refuses what the mapping cannot serve (no mapping, no section, no zone)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mittari.errors import InputError, Problem
from mittari.importers.eventlog import load, read, shipped
from mittari.importers.eventlog.tests.conftest import SAMPLES

HEAD = """\
name: a test mapping
csv:
  case: Case
  fields: { activity: Activity, timestamp: Time, agent: Agent }
"""


def _problems(path: Path) -> list[tuple[int | None, str, object, str]]:
    with pytest.raises(InputError) as raised:
        load(path)
    return [(p.line, p.field, p.value, p.message) for p in raised.value.problems]


def test_a_status_that_is_not_canonical_points_at_its_line(
    write: Callable[[str, str], Path],
) -> None:
    path = write("m.yaml", HEAD + "rules:\n  - activity: Work\n    emit:\n"
                 "      - { kind: status, value: pending_custmer }\n")  # fmt: skip
    [(line, field, _, message)] = _problems(path)
    assert (line, field) == (8, "rules.0.emit.0")
    assert "not a canonical status (did you mean 'pending_customer'?)" in message


def test_an_unknown_key_points_at_its_line(write: Callable[[str, str], Path]) -> None:
    path = write("m.yaml", HEAD + "rules:\n  - activity: Work\n    emits: []\n")
    assert _problems(path) == [
        (6, "rules.0.emit", None, "Field required"),
        (7, "rules.0.emits", None, "Extra inputs are not permitted"),
    ]


def test_a_second_rule_for_the_same_pair_points_at_the_second(
    write: Callable[[str, str], Path],
) -> None:
    rules = "rules:\n  - activity: Work\n    emit: []\n  - activity: Work\n    emit: []\n"
    path = write("m.yaml", HEAD + rules)
    message = "a second rule for this activity and lifecycle (the first is rules.0)"
    assert _problems(path) == [(8, "rules.1.activity", "Work", message)]


def test_a_field_no_section_declares_points_at_its_use(
    write: Callable[[str, str], Path],
) -> None:
    rules = (
        "rules:\n  - activity: Work\n    emit:\n      - kind: assign\n        value_from: agnt\n"
    )
    path = write("m.yaml", HEAD + rules)
    message = (
        "unknown field (did you mean 'agent'?); the csv section declares activity, agent, timestamp"
    )
    assert _problems(path) == [(9, "rules.0.emit.0.value_from", "agnt", message)]


def test_created_by_rule_needs_a_rule_that_emits_it(write: Callable[[str, str], Path]) -> None:
    path = write("m.yaml", HEAD + "created: rule\nrules: []\n")
    message = "created: rule, but no rule emits a created event"
    assert _problems(path) == [(5, "created", "rule", message)]


def test_an_xes_field_named_twice(write: Callable[[str, str], Path]) -> None:
    xes = """\
name: twice
xes:
  fields: { activity: concept:name, timestamp: time:timestamp, team: org:group }
  trace_fields: { team: team }
rules: []
"""
    [(line, field, _, message)] = _problems(write("m.yaml", xes))
    assert (line, field) == (2, "xes") and message.endswith(
        "team: named in both fields and trace_fields"
    )


def test_invalid_yaml_names_its_line(write: Callable[[str, str], Path]) -> None:
    path = write("m.yaml", HEAD + "rules: [\n  - activity: Work\n")
    [(line, field, _, message)] = _problems(path)
    assert (line, field) == (6, "mapping") and message.startswith("invalid YAML")


def test_the_shipped_mappings_load_by_path_or_by_name() -> None:
    for name in ("bpic2013-volvo", "helpdesk"):
        assert load(shipped(name)).spec.rules
        assert load(name) == load(shipped(name))


def test_a_read_without_mapping_names_the_option() -> None:
    with pytest.raises(InputError) as raised:
        read(SAMPLES / "desk.csv")
    [problem] = raised.value.problems
    assert problem.field == "--mapping"
    assert "needs a mapping file: pass --mapping FILE" in problem.message


def test_a_mapping_without_the_files_section(write: Callable[[str, str], Path]) -> None:
    path = write("m.yaml", HEAD + "rules: []\n")
    with pytest.raises(InputError) as raised:
        read(SAMPLES / "desk.xes", mapping=path)
    assert raised.value.problems == [
        Problem(str(path), None, "xes", None,
                "the mapping has no xes section, so it cannot read desk.xes")
    ]  # fmt: skip


def test_a_column_the_header_lacks(write: Callable[[str, str], Path]) -> None:
    mapping = write("m.yaml", HEAD + "rules: []\n")
    log = write("log.csv", "Case,Activity,When\nT-1,Work,2025-03-03T09:00:00Z\n")
    with pytest.raises(InputError) as raised:
        read(log, mapping=mapping)
    message = (
        f"the column of `timestamp` in {mapping} is not in the header; "
        "it has 'Case', 'Activity', 'When'"
    )
    assert [(p.line, p.field, p.message) for p in raised.value.problems] == [
        (1, "Time", message),
        (1, "Agent", message.replace("`timestamp`", "`agent`")),
    ]


def test_ignoring_offsets_needs_a_zone(write: Callable[[str, str], Path]) -> None:
    path = write(
        "m.yaml", HEAD.replace("csv:", "timestamps: { offset: ignore }\ncsv:") + "rules: []\n"
    )
    with pytest.raises(InputError) as raised:
        read(SAMPLES / "desk.csv", mapping=path)
    [problem] = raised.value.problems
    assert (problem.file, problem.field) == (str(path), "timestamps.zone")


def test_an_unknown_timezone_argument() -> None:
    with pytest.raises(InputError) as raised:
        read(SAMPLES / "desk.csv", mapping=SAMPLES / "desk.yaml", timezone="Europe/Helsingfors")
    [problem] = raised.value.problems
    assert (problem.field, problem.value) == ("timezone", "Europe/Helsingfors")
