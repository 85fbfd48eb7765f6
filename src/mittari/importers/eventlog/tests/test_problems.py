"""Bad records: each problem names file, line (or XES trace and event), field, value, and
what to do; a record with a problem emits nothing, the rest of its case is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mittari.errors import InputError, Problem
from mittari.importers.eventlog import read
from mittari.importers.eventlog.tests.conftest import SAMPLES
from mittari.importers.extract import EVENT_SCHEMA

MAPPING = SAMPLES / "desk.yaml"
HEADER = "Case;Activity;Lifecycle;Time;Team;Urgency;Agent;Service;Subject"
BAD_CSV = "\n".join(
    [
        HEADER,
        "T-1;Register;complete;2025-03-03 09:00:00;Desk;High;;Email;x",
        "T-1;Work;start;2025-13-03 09:20:00;Desk;High;anna;Email;x",
        "T-1;Work;start;yesterday;Desk;High;anna;Email;x",
        "T-1;Work;start;;Desk;High;anna;Email;x",
        ";Work;start;2025-03-03 10:00:00;Desk;High;anna;Email;x",
        "T-1;Escalate;complete;2025-03-03 10:30:00;Desk;High;anna;Email;x",
        "T-1;Work;start;2025-03-03 11:00:00;Desk;Urgent;anna;Email;x",
        "T-1;Work;start;2025-03-03 11:30:00;Desk;High;;Email;x",
        "T-1;Solve;complete;2025-03-03 12:00:00",
        "T-1;;complete;2025-03-03 12:00:00;Desk;High;;Email;x",
        "T-1;Solve;complete;2025-03-03 12:30:00;Desk;High;anna;Email;x",
    ]
)


def test_each_bad_csv_record_is_one_exact_problem(write: Callable[[str, str], Path]) -> None:
    path = write("bad.csv", BAD_CSV + "\n")
    extract = read(path, mapping=MAPPING)
    file = str(path)
    assert extract.problems == [
        Problem(file, 3, "Time", "2025-13-03 09:20:00", "no such date, time or UTC offset"),
        Problem(file, 4, "Time", "yesterday",
                "not an ISO 8601 timestamp; expected e.g. 2025-03-01T09:30:00+02:00"),
        Problem(file, 5, "Time", "", "missing timestamp"),
        Problem(file, 6, "Case", "", "missing case id"),
        Problem(file, 7, "Activity", "Escalate/complete",
                "no rule for activity 'Escalate' with lifecycle 'complete'; "
                f"add a rule to {MAPPING}"),
        Problem(file, 8, "Urgency", "Urgent",
                f"no canonical priority for this value; add it to changes.1.values in {MAPPING}"),
        Problem(file, 9, "Agent", "",
                "empty, but the rule of this activity takes its assign value from agent"),
        Problem(file, 10, "row", "T-1;Solve;complete;2025-03-03 12:00:00",
                "expected 9 fields separated by ';'"),
        Problem(file, 11, "Activity", "", "missing activity"),
    ]  # fmt: skip
    assert extract.n_read == 11
    kept = [(r["line"], r["kind"], r["value"]) for r in extract.events.to_pylist()]
    assert kept == [
        (2, "created", None),
        (2, "assign", "Desk"),
        (2, "priority", "P2"),
        (2, "status", "new"),
        (12, "status", "resolved"),
    ]


XES_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">'


def _event(activity: str, ts: str, lifecycle: str = "complete") -> str:
    return (
        f'<event><string key="concept:name" value="{activity}"/>'
        f'<string key="lifecycle:transition" value="{lifecycle}"/>'
        f'<date key="time:timestamp" value="{ts}"/>'
        '<string key="org:group" value="Desk"/><string key="urgency" value="Low"/></event>'
    )


def test_bad_xes_events_are_named_by_trace_and_event(write: Callable[[str, str], Path]) -> None:
    log = "\n".join(
        [
            XES_HEAD,
            '<trace><string key="concept:name" value="T-1"/>',
            _event("Register", "2025-03-03T09:00:00+02:00"),
            _event("Escalate", "2025-03-03T10:00:00+02:00"),
            _event("Solve", "03.03.2025 11:00"),
            "</trace>",
            "<trace>",  # no case id
            _event("Register", "2025-03-03T09:00:00+02:00"),
            "</trace></log>",
        ]
    )
    path = write("bad.xes", log)
    extract = read(path, mapping=MAPPING)
    file = str(path)
    assert extract.problems == [
        Problem(file, None, "concept:name", "Escalate/complete",
                "trace 1 event 2: no rule for activity 'Escalate' with lifecycle 'complete'; "
                f"add a rule to {MAPPING}"),
        Problem(file, None, "time:timestamp", "03.03.2025 11:00",
                "trace 1 event 3: not an ISO 8601 timestamp; expected e.g. "
                "2025-03-01T09:30:00+02:00"),
        Problem(file, None, "concept:name", "", "trace 2 event 1: missing case id"),
    ]  # fmt: skip
    assert extract.n_read == 4
    assert extract.events.column("ref").to_pylist() == ["trace 1 event 1"] * 4


def test_xml_that_is_not_well_formed_names_its_line(write: Callable[[str, str], Path]) -> None:
    path = write("broken.xes", XES_HEAD + "\n<trace>\n<event></trace>\n</log>")
    with pytest.raises(InputError) as raised:
        read(path, mapping=MAPPING)
    assert [(p.file, p.line, p.field) for p in raised.value.problems] == [(str(path), 4, "xml")]


def test_a_log_without_records_gives_empty_tables(write: Callable[[str, str], Path]) -> None:
    for path in (write("empty.csv", HEADER + "\n"), write("empty.xes", XES_HEAD + "</log>")):
        extract = read(path, mapping=MAPPING)
        assert (extract.n_read, extract.problems, extract.ignored) == (0, [], {})
        assert extract.events.schema == EVENT_SCHEMA and extract.events.num_rows == 0
        assert extract.tickets.num_rows == 0
