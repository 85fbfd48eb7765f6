"""Statuses not named in the mapping: their status category, else a problem."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mittari.errors import Problem
from mittari.importers.jira import DEFAULT_MAPPING, read
from mittari.importers.jira.tests import SAMPLES, Row, history, issue, rows, status_item

AT = "2025-03-03T10:00:00.000+0200"


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _statuses(extract_rows: list[Row]) -> list[tuple[str | None, str | None, str]]:
    return [(r[3], r[5], r[6]) for r in extract_rows if r[2] == "status"]


def test_a_status_category_in_the_payload_maps_an_unlisted_status(tmp_path: Path) -> None:
    current = {"id": "10700", "name": "Triaging", "statusCategory": {"key": "indeterminate"}}
    moved = history("5", AT, status_item(("10000", "To Do"), ("10700", "Triaging")))
    path = _write(tmp_path / "one.json", issue("X-1", moved, status=current))
    extract = read(path)
    assert _statuses(rows(extract)) == [
        ("new", "To Do", "X-1 changelog 5 item 0 from"),
        ("open", "Triaging", "X-1 changelog 5 item 0"),
    ]
    assert extract.problems == []


def test_statuses_metadata_given_with_the_issues_maps_by_id_then_name(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "all_statuses.json", tmp_path / "a_statuses.json")
    to_qa = history("5", AT, status_item(("10400", "To Do"), ("10004", "QA")))
    by_name = history("6", "2025-03-03T11:00:00.000+0200", status_item(("", "QA"), ("", "Icebox")))
    done = {"id": "10601", "name": "Done", "statusCategory": {"key": "done"}}
    _write(tmp_path / "b_issue.json", issue("X-2", to_qa, by_name, status=done))
    extract = read(tmp_path)
    assert _statuses(rows(extract)) == [
        ("new", "To Do", "X-2 changelog 5 item 0 from"),
        ("open", "QA", "X-2 changelog 5 item 0"),  # 10004: indeterminate
        ("new", "Icebox", "X-2 changelog 6 item 0"),  # no id: by name, category new
    ]
    assert (extract.problems, extract.n_read) == ([], 1)


def test_an_unknown_status_is_a_problem_naming_where_and_what(tmp_path: Path) -> None:
    moved = history("5", AT, status_item(("10000", "To Do"), ("77777", "Limbo")))
    path = _write(tmp_path / "one.json", issue("X-3", moved))
    extract = read(path)
    assert _statuses(rows(extract)) == [("new", "To Do", "X-3 changelog 5 item 0 from")]
    message = (
        f"X-3 changelog 5 item 0: status 'Limbo' is not listed under `statuses` in"
        f" {DEFAULT_MAPPING} and has no known status category; add it there, or give the"
        " statuses of /rest/api/2/status with the input"
    )
    assert extract.problems == [Problem(str(path), None, "status", "Limbo", message)]


def test_a_status_of_an_unmapped_category_is_a_problem(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "all_statuses.json", tmp_path / "a_statuses.json")
    moved = history("5", AT, status_item(("10400", "To Do"), ("10000", "Archived")))
    _write(tmp_path / "b_issue.json", issue("X-4", moved))
    (problem,) = read(tmp_path).problems
    assert (problem.file, problem.field, problem.value) == (
        str(tmp_path / "b_issue.json"),
        "status",
        "Archived",
    )
    assert "its status category 'undefined' is not mapped" in problem.message


def test_an_unknown_priority_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.json", issue("X-5", priority={"id": "9", "name": "Urgent"}))
    extract = read(path)
    assert [r[2] for r in rows(extract)] == ["created", "status"]
    message = "X-5 fields.priority: priority 'Urgent' is not listed under `priorities` in"
    (problem,) = extract.problems
    assert (problem.field, problem.value) == ("priority", "Urgent")
    assert problem.message == f"{message} {DEFAULT_MAPPING}; add it"
