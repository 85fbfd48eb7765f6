"""What is wrong in an export is a Problem naming file, place, value and what to do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mittari.errors import InputError
from mittari.importers.zendesk import DEFAULT_MAPPING, read
from mittari.importers.zendesk.tests import SAMPLES
from mittari.importers.zendesk.tests.conftest import audit, change, comment, events_of, ticket

Export = Callable[..., Path]
BAD = SAMPLES / "bad_audits.json"


def test_the_bad_sample_lists_each_problem_with_its_place() -> None:
    extract = read(BAD)
    found = [(p.file, p.line, p.field, p.value) for p in extract.problems]
    assert found == [
        (str(BAD), None, "audits[0].events[1].value", "escalated"),
        (str(BAD), None, "audits[1].created_at", "2025-03-20 10:30:00"),
        (str(BAD), None, "audits[2].ticket_id", None),
        (str(BAD), None, "audits[3].created_at", "20/03/2025 10:00"),
        (str(BAD), None, "audits[4].events[0].value", "critical"),
    ]
    messages = [p.message for p in extract.problems]
    assert messages[0] == (
        f"status 'escalated' is not mapped; add it under `statuses:` in {DEFAULT_MAPPING}"
    )
    assert messages[1].startswith("a timestamp without a UTC offset; name the export's time zone")
    assert messages[2] == "no ticket_id; its event is skipped"
    assert messages[3].startswith("not a timestamp; expected ISO 8601")
    assert messages[4] == (
        f"priority 'critical' is not mapped; add it under `priorities:` in {DEFAULT_MAPPING}"
    )
    # Everything else is kept: the ticket is created, its known priority set.
    assert events_of(extract) == [
        ("201", "2025-03-20T08:00:00Z", "created", None, None),
        ("201", "2025-03-20T08:00:00Z", "priority", "P3", None),
    ]
    assert extract.n_read == 5


def test_a_named_zone_reads_timestamps_without_an_offset() -> None:
    extract = read(BAD, timezone="Europe/Helsinki")
    assert [p.field for p in extract.problems] == [
        "audits[0].events[1].value",
        "audits[2].ticket_id",
        "audits[3].created_at",
        "audits[4].events[0].value",
    ]
    assert events_of(extract)[2] == ("201", "2025-03-20T08:30:00Z", "status", "open", None)


def test_an_unknown_status_of_a_ticket_record(export: Export) -> None:
    folder = export(page={"tickets": [ticket(7, status="escalated")]})
    extract = read(folder)
    [problem] = extract.problems
    assert (problem.file, problem.field, problem.value) == (
        str(folder / "page.json"),
        "tickets[0].status",
        "escalated",
    )
    assert "statuses:" in problem.message and str(DEFAULT_MAPPING) in problem.message
    assert [row[2] for row in events_of(extract)] == ["created", "priority"]


def test_a_file_that_is_not_json_names_its_line(export: Export) -> None:
    folder = export(good={"tickets": [ticket(7)]})
    (folder / "broken.json").write_text('{"tickets": [\n  {"id": 8,}\n]}', encoding="utf-8")
    extract = read(folder)
    [problem] = extract.problems
    assert (problem.file, problem.line, problem.field) == (str(folder / "broken.json"), 2, "json")
    assert extract.tickets.column("ticket_id").to_pylist() == ["7"]


def test_files_that_are_not_export_pages(export: Export) -> None:
    folder = export(
        other={"results": []},
        events={"ticket_events": [], "end_of_stream": True},
        listed=[{"id": 1}],
    )
    found = [(Path(p.file).name, p.field) for p in read(folder).problems]
    assert found == [
        ("events.json", "ticket_events"),
        ("listed.json", "file"),
        ("other.json", "file"),
    ]


def test_records_that_are_not_objects_or_lack_ids(export: Export) -> None:
    folder = export(page={"tickets": ["7", {"status": "open"}], "audits": [audit(1, 7, "x", 1)]})
    found = [(p.field, p.value) for p in read(folder).problems]
    assert found == [
        ("audits[0].created_at", "x"),
        ("tickets[0]", None),
        ("tickets[1].id", None),
    ]


def test_a_ticket_whose_creation_is_unknown(export: Export) -> None:
    later = audit(5, 7, "2025-03-03T09:00:00Z", 8001, change(51, "status", "solved", "open"))
    extract = read(export(a={"audits": [later]}))
    [problem] = extract.problems
    assert (problem.field, problem.value) == ("audits[0].ticket_id", "7")
    assert "creation is unknown" in problem.message
    assert [row[2] for row in events_of(extract)] == ["status"]  # kept: ingest decides


def test_an_audit_without_events_and_a_comment_of_unknown_privacy(export: Export) -> None:
    broken = audit(1, 7, "2025-03-03T09:00:00Z", 8001, comment(11, 8001, public="yes"))
    no_events = dict(audit(2, 7, "2025-03-03T10:00:00Z", 8001), events=None)
    extract = read(export(a={"tickets": [ticket(7)], "audits": [broken, no_events]}))
    assert [(p.field, p.value) for p in extract.problems] == [
        ("audits[0].events[0].public", "yes"),
        ("audits[1].events", None),
    ]


def test_what_cannot_be_read_at_all_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing")
    with pytest.raises(InputError, match=r"no \*\.json files"):
        read(tmp_path)
    with pytest.raises(InputError) as raised:
        read(BAD, timezone="Mars/Olympus_Mons")
    assert raised.value.problems[0].field == "timezone"
