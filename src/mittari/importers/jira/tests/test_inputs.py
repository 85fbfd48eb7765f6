"""Input shapes: directories, arrays, JSON Lines, bad JSON, time zones, partial changelogs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mittari.errors import InputError, Problem
from mittari.importers.jira import read
from mittari.importers.jira.tests import SAMPLES, history, issue, rows, status_item

CREATED = "test__webhook__issue_created.json"
UPDATED = "test__webhook__issue_updated_status_updated.json"


def _sample(name: str) -> object:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def test_a_directory_is_read_file_by_file_in_order_of_name(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / CREATED, tmp_path / "b_created.json")
    (tmp_path / "a_updated.jsonl").write_text(json.dumps(_sample(UPDATED)) + "\n")
    (tmp_path / "notes.txt").write_text("not read")
    extract = read(tmp_path)
    assert [(r[0], r[2], r[6]) for r in rows(extract)] == [
        ("TEST-11", "status", "TEST-11 changelog 10202 item 1"),
        ("TEST-4", "created", "TEST-4 fields.created"),
        ("TEST-4", "status", "TEST-4 fields.status"),
        ("TEST-4", "priority", "TEST-4 fields.priority"),
    ]
    assert extract.events.column("file").to_pylist() == [
        str(tmp_path / "a_updated.jsonl"),
        *[str(tmp_path / "b_created.json")] * 3,
    ]
    assert (extract.n_read, extract.problems) == (2, [])


def test_an_empty_directory_is_a_problem(tmp_path: Path) -> None:
    extract = read(tmp_path)
    message = "no .json or .jsonl files here"
    assert extract.problems == [Problem(str(tmp_path), None, "path", None, message)]


def test_a_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        read(tmp_path / "nowhere.json")


def test_a_json_array_holds_documents_of_any_shape(tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([_sample(UPDATED), _sample(CREATED), {"hello": 1}]))
    extract = read(path)
    assert [r[0] for r in rows(extract)] == ["TEST-11", "TEST-4", "TEST-4", "TEST-4"]
    expected = "not a Jira document; expected a search result, an issue, a webhook body,"
    assert [p.message.startswith(expected) for p in extract.problems] == [True]
    assert extract.n_read == 3


def test_json_lines_give_each_event_and_problem_its_line(tmp_path: Path) -> None:
    path = tmp_path / "hooks.json"  # not one JSON value: read as JSON Lines
    lines = [json.dumps(_sample(CREATED)), "", json.dumps(_sample(UPDATED)), "{broken"]
    path.write_text("\n".join(lines) + "\n")
    extract = read(path)
    assert extract.events.column("line").to_pylist() == [1, 1, 1, 3]
    (problem,) = extract.problems
    assert (problem.line, problem.field) == (4, "json")


def test_a_file_that_is_not_json_is_a_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "issues": [\n    {"key": }\n  ]\n}\n')
    extract = read(path)
    assert [(p.line, p.field) for p in extract.problems] == [(3, "json")]
    assert extract.problems[0].message.startswith("not JSON: ")


def test_a_timestamp_without_offset_needs_a_time_zone(tmp_path: Path) -> None:
    path = tmp_path / "naive.json"
    path.write_text(json.dumps(issue("X-1", created="2025-03-30T03:30:00.000")))
    extract = read(path)
    assert rows(extract) == []
    message = "X-1 fields.created: timestamp without a UTC offset; name the export's time zone"
    assert extract.problems == [
        Problem(str(path), None, "created", "2025-03-30T03:30:00.000", message)
    ]
    local = read(path, timezone="Europe/Helsinki")
    # 03:30 does not exist that night in Helsinki: the transition instant, 04:00 EEST
    assert {r[1] for r in rows(local)} == {"2025-03-30T01:00:00.000Z"}
    assert local.problems == []


def test_an_unknown_time_zone_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown IANA time zone"):
        read(SAMPLES / CREATED, timezone="Mars/Olympus")


def test_a_partial_changelog_is_a_problem(tmp_path: Path) -> None:
    moved = history("5", "2025-03-03T10:00:00.000+0200", status_item(("1", "To Do"), ("3", "Done")))
    document = issue("X-2", moved)
    document["changelog"]["total"] = 140  # type: ignore[index]
    path = tmp_path / "partial.json"
    path.write_text(json.dumps({"startAt": 0, "maxResults": 50, "total": 1, "issues": [document]}))
    extract = read(path)
    assert [r[2] for r in rows(extract)] == ["created", "status", "priority", "status"]
    message = (
        "X-2: the changelog holds 1 of 140 histories, so events are missing;"
        " read all of /rest/api/2/issue/X-2/changelog"
    )
    assert extract.problems == [Problem(str(path), None, "changelog", 140, message)]


def test_histories_are_put_in_time_order(tmp_path: Path) -> None:
    # Jira Cloud may list histories newest first: the first status item is the oldest one
    late = history("12", "2025-03-03T12:00:00.000+0200", status_item(("3", "B"), ("4", "Done")))
    early = history("11", "2025-03-03T10:00:00.000+0200", status_item(("2", "Open"), ("3", "B")))
    path = tmp_path / "reversed.json"
    path.write_text(json.dumps(issue("X-3", late, early, status={"name": "Done"})))
    extract = read(path)
    statuses = [(r[3], r[5]) for r in rows(extract) if r[2] == "status"]
    assert statuses == [("open", "Open"), ("resolved", "Done")]
    (problem,) = extract.problems  # "B" is neither listed nor of a known category
    assert (problem.field, problem.value) == ("status", "B")
