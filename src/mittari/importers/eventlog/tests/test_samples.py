"""The made-up samples, read from CSV and from XES, against a hand-worked list of events.

desk.csv writes Helsinki wall-clock times (EET +02:00 in winter, EEST +03:00 in summer);
desk.xes writes the same instants with offsets. T-2 opens at 03:30 on 2025-03-30, inside
the spring-forward gap (03:00 → 04:00): the end of the gap, 01:00Z. T-3 opens at 03:30 on
2025-10-26, inside the fall-back overlap (03:00-04:00 twice): the earlier, 00:30Z.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pytest

from mittari.importers.eventlog import read
from mittari.importers.eventlog.tests.conftest import SAMPLES
from mittari.importers.extract import EVENT_SCHEMA

MAPPING = SAMPLES / "desk.yaml"

# ticket, ts (UTC), kind, value, actor, raw_value, CSV line, XES ref
EXPECTED = [
    ("T-1", "2025-03-03T07:00:00", "created", None, None, "Register/complete", 2, "1 1"),
    ("T-1", "2025-03-03T07:00:00", "assign", "Service Desk", None, "Service Desk", 2, "1 1"),
    ("T-1", "2025-03-03T07:00:00", "priority", "P2", None, "High", 2, "1 1"),
    ("T-1", "2025-03-03T07:00:00", "status", "new", None, "Register/complete", 2, "1 1"),
    ("T-1", "2025-03-03T07:20:00", "status", "open", None, "Work/start", 3, "1 2"),
    ("T-1", "2025-03-03T07:20:00", "assign", "anna", None, "Work/start", 3, "1 2"),
    (
        "T-1",
        "2025-03-03T07:40:00",
        "status",
        "pending_customer",
        None,
        "Ask user/complete",
        4,
        "1 3",
    ),
    ("T-1", "2025-03-03T07:40:00", "reply", None, "agent", "Ask user/complete", 4, "1 3"),
    ("T-1", "2025-03-03T11:05:00", "assign", "Messaging", None, "Messaging", 5, "1 4"),
    ("T-1", "2025-03-03T11:05:00", "priority", "P1", None, "Critical", 5, "1 4"),
    ("T-1", "2025-03-03T11:05:00", "status", "open", None, "Work/start", 5, "1 4"),
    ("T-1", "2025-03-03T11:05:00", "assign", "ben", None, "Work/start", 5, "1 4"),
    ("T-1", "2025-03-03T12:00:00", "status", "resolved", None, "Solve/complete", 6, "1 5"),
    ("T-1", "2025-03-06T12:00:00", "status", "closed", None, "Close/complete", 7, "1 6"),
    ("T-2", "2025-03-30T01:00:00", "created", None, None, "Register/complete", 8, "2 1"),
    ("T-2", "2025-03-30T01:00:00", "assign", "Service Desk", None, "Service Desk", 8, "2 1"),
    ("T-2", "2025-03-30T01:00:00", "priority", "P4", None, "Low", 8, "2 1"),
    ("T-2", "2025-03-30T01:00:00", "status", "new", None, "Register/complete", 8, "2 1"),
    # line 9 / event 2: Heartbeat, ignored
    ("T-2", "2025-03-31T07:00:00", "assign", "Network", None, "Network", 10, "2 3"),
    ("T-2", "2025-03-31T07:00:00", "status", "pending_vendor", None, "Vendor/complete", 10, "2 3"),
    ("T-2", "2025-04-01T05:15:30", "status", "cancelled", None, "Cancel/complete", 11, "2 4"),
    # line 12 is blank; T-3's first record spans lines 13-14 (a quoted line break)
    ("T-3", "2025-10-26T00:30:00", "created", None, None, "Register/complete", 13, "3 1"),
    ("T-3", "2025-10-26T00:30:00", "assign", "Service Desk", None, "Service Desk", 13, "3 1"),
    ("T-3", "2025-10-26T00:30:00", "priority", "P3", None, "Normal", 13, "3 1"),
    ("T-3", "2025-10-26T00:30:00", "status", "new", None, "Register/complete", 13, "3 1"),
    ("T-3", "2025-10-26T00:30:01", "reply", None, "system", "Auto reply/complete", 15, "3 2"),
    ("T-3", "2025-10-26T07:00:00", "note", None, "agent", "Comment/complete", 16, "3 3"),
    ("T-3", "2025-10-27T06:00:00", "status", "open", None, "Work/start", 17, "3 4"),
    ("T-3", "2025-10-27T06:00:00", "assign", "anna", None, "Work/start", 17, "3 4"),
    ("T-3", "2025-10-27T06:30:00", "status", "resolved", None, "Solve/complete", 18, "3 5"),
]
TICKETS = [
    {"ticket_id": "T-1", "service": "Email", "subject": "Mailbox full", "last_agent": "ben"},
    {"ticket_id": "T-2", "service": "VPN", "subject": "Cannot connect", "last_agent": "carl"},
    {"ticket_id": "T-3", "service": "Printing", "subject": "Printer jams;\n on floor 2",
     "last_agent": "anna"},
]  # fmt: skip


def _events(table: pa.Table) -> list[tuple[object, ...]]:
    return [
        (r["ticket_id"], r["ts"].strftime("%Y-%m-%dT%H:%M:%S"), r["kind"], r["value"],
         r["actor"], r["raw_value"])
        for r in table.to_pylist()
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["desk.csv", "desk.xes"])
def test_the_sample_gives_the_hand_worked_events(name: str) -> None:
    extract = read(SAMPLES / name, mapping=MAPPING)
    assert extract.problems == []
    assert extract.source == "eventlog"
    assert extract.events.schema == EVENT_SCHEMA
    assert _events(extract.events) == [row[:6] for row in EXPECTED]
    assert extract.n_read == 15
    assert extract.ignored == {"Heartbeat": 1}
    assert set(extract.events.column("file").to_pylist()) == {str(SAMPLES / name)}


def test_csv_events_carry_their_lines_and_no_ref() -> None:
    events = read(SAMPLES / "desk.csv", mapping=MAPPING).events
    assert events.column("line").to_pylist() == [row[6] for row in EXPECTED]
    assert events.column("ref").null_count == len(EXPECTED)


def test_xes_events_carry_their_trace_and_event_and_no_line() -> None:
    events = read(SAMPLES / "desk.xes", mapping=MAPPING).events
    refs = [f"trace {t} event {e}" for t, e in (str(row[7]).split() for row in EXPECTED)]
    assert events.column("ref").to_pylist() == refs
    assert events.column("line").null_count == len(EXPECTED)


@pytest.mark.parametrize("name", ["desk.csv", "desk.xes"])
def test_the_sample_tickets(name: str) -> None:
    tickets = read(SAMPLES / name, mapping=MAPPING).tickets
    assert tickets.column_names == [
        "ticket_id", "customer", "service", "type", "requester", "subject", "last_agent"
    ]  # fmt: skip
    expected = [
        {"customer": None, "type": "incident", "requester": None, **ticket} for ticket in TICKETS
    ]
    assert tickets.to_pylist() == [
        {name: row[name] for name in tickets.column_names} for row in expected
    ]


def test_a_gzipped_xes_is_read_like_the_plain_one(tmp_path: Path) -> None:
    packed = tmp_path / "desk.xes.gz"
    packed.write_bytes(gzip.compress((SAMPLES / "desk.xes").read_bytes()))
    assert _events(read(packed, mapping=MAPPING).events) == [row[:6] for row in EXPECTED]


def test_the_timezone_argument_overrides_the_mapping_zone() -> None:
    events = read(SAMPLES / "desk.csv", mapping=MAPPING, timezone="UTC").events
    assert events.column("ts")[0].as_py().strftime("%H:%M") == "09:00"  # not 07:00Z
