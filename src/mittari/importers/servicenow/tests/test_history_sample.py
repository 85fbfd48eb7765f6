"""The history export sample (display labels, day-first times in Helsinki) event by event."""

from __future__ import annotations

import pyarrow as pa

from mittari.importers.servicenow import read
from mittari.importers.servicenow.tests import SAMPLES, events_of, expected, problems_of

ZONE = "Europe/Helsinki"  # UTC+2 in November 2026: every wall time below is 2 h ahead of UTC


def test_the_history_sample_gives_these_events() -> None:
    extract = read(SAMPLES / "incident_history.csv", timezone=ZONE)
    assert (extract.source, extract.n_read, extract.problems) == ("servicenow", 27, [])
    assert events_of(extract) == expected("incident_history.csv")
    assert set(extract.events.column("file").to_pylist()) == {str(SAMPLES / "incident_history.csv")}
    assert extract.events.schema.field("ts").type == pa.timestamp("us", tz="UTC")


def test_the_history_sample_gives_the_tickets_as_of_their_last_row() -> None:
    tickets = read(SAMPLES / "incident_history.csv", timezone=ZONE).tickets.to_pylist()
    assert [t["ticket_id"] for t in tickets] == [f"INC002000{i}" for i in range(1, 7)]
    assert tickets[1] == {
        "ticket_id": "INC0020002",
        "customer": None,
        "service": "WAN",
        "type": "incident",
        "requester": "user23",
        "subject": "Branch office offline, all users",
        "category": "Network",
        "made_sla": "false",  # the last row's: the breach is recorded on resolution
        "reopen_count": "0",
    }
    assert tickets[2]["reopen_count"] == "1"
    assert tickets[3]["service"] is None  # never filled
    assert tickets[5]["subject"] == 'Request: "how do I" share a calendar'


def test_times_without_a_zone_are_problems_when_no_zone_is_named() -> None:
    extract = read(SAMPLES / "incident_history.csv")
    assert len(extract.events) == 0
    assert len(extract.problems) == 27  # one per data row: its update time cannot be placed
    first = extract.problems[0]
    assert (first.line, first.field, first.value) == (2, "Updated", "02/11/2026 09:00:00")
    assert first.message.startswith("no UTC offset")
    assert "name the zone with --timezone" in first.message


def test_the_errors_sample_names_each_problem_and_keeps_the_rest() -> None:
    extract = read(SAMPLES / "incident_history_errors.csv", timezone=ZONE)
    assert extract.n_read == 9
    assert problems_of(extract) == [
        (3, "Updated", "31/02/2026 09:30:00"),
        (4, "Incident state", "Awaiting Godot"),
        (5, "Number", None),
        (6, "Priority", "6 - Whenever"),
        (7, "On hold reason", "Awaiting Lunch"),
        (8, "row", "INC0030001,Resolved,,12/11/2026 12:00:00"),
        (9, "Opened", "noon-ish"),
    ]
    messages = [p.message for p in extract.problems]
    assert messages[0] == (
        "not a timestamp; expected e.g. 24/11/2026 09:30:00 (no such date or time); row skipped"
    )
    assert "add it to `states:` in " in messages[1] and messages[1].endswith(
        "mapping.yaml; no status event from it"
    )
    assert messages[2] == "missing number; row skipped"
    assert "add it to `priorities:`" in messages[3]
    assert "add it to `hold_reasons:`" in messages[4] and messages[4].endswith("taken as on_hold")
    assert messages[5] == "expected 10 ','-separated fields, found 4"
    assert messages[6].endswith("created is taken at the row's update time instead")
    assert events_of(extract) == expected("incident_history_errors.csv")
