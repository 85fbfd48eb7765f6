"""Table API snapshots: what one state per incident gives, in the three shapes of values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mittari.errors import InputError
from mittari.importers.servicenow import read
from mittari.importers.servicenow.tests import SAMPLES, events_of, expected, problems_of


def test_the_snapshot_sample_gives_these_events() -> None:
    extract = read(SAMPLES / "incidents.json")
    assert (extract.source, extract.n_read, extract.problems) == ("servicenow", 6, [])
    assert events_of(extract) == expected("incidents.csv")


def test_the_snapshot_sample_gives_these_tickets() -> None:
    tickets = read(SAMPLES / "incidents.json").tickets.to_pylist()
    assert [t["ticket_id"] for t in tickets] == [f"INC001000{i}" for i in range(1, 7)]
    assert tickets[2] == {
        "ticket_id": "INC0010003",
        "customer": None,
        "service": "f60718293a4b5c6d7e8f900112233445",  # no business_service: the cmdb_ci
        "type": "incident",
        "requester": "0718293a4b5c6d7e8f90011223340031",  # caller_id: an opaque sys_id
        "subject": "Spreadsheet add-in crashes on start",
        "category": "software",
        "made_sla": "true",
        "reopen_count": "1",
        "sys_id": "3c4d5e6f708192a3b4c5d6e7f8011223",
    }
    assert tickets[0]["service"] == "d4e5f60718293a4b5c6d7e8f90011223"  # business_service


def test_display_value_all_reads_codes_and_utc_values_and_shows_display_text() -> None:
    extract = read(SAMPLES / "incidents_display_all.json")
    assert (extract.n_read, extract.problems) == (3, [])
    assert events_of(extract) == expected("incidents_display_all.csv")
    tickets = extract.tickets.to_pylist()
    assert (tickets[0]["service"], tickets[0]["requester"]) == (
        "VPN",
        "0718293a4b5c6d7e8f90011223340061",  # the value, not the display name
    )


def _write(tmp_path: Path, result: object, name: str = "incidents.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"result": result}), encoding="utf-8")
    return path


def _incident(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "number": "INC1",
        "state": "2",
        "opened_at": "2026-03-02 08:00:00",
        "sys_created_on": "2026-03-02 07:59:58",
        "sys_updated_on": "2026-03-02 12:00:00",
    }
    return base | fields


def test_one_record_as_returned_by_a_get_of_its_sys_id(tmp_path: Path) -> None:
    path = _write(tmp_path, _incident(state="8"))
    assert [e[2:4] for e in events_of(read(path))] == [("created", None), ("status", "cancelled")]


def test_a_resolved_incident_without_resolved_at_is_resolved_at_its_last_update(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, [_incident(state="6", resolved_at="")])
    assert events_of(read(path))[-1][1:5] == ("2026-03-02T12:00:00Z", "status", "resolved", "6")


def test_a_stale_hold_reason_of_a_resolved_incident_is_ignored(tmp_path: Path) -> None:
    path = _write(
        tmp_path, [_incident(state="6", hold_reason="1", resolved_at="2026-03-02 11:00:00")]
    )
    assert events_of(read(path))[-1][3:5] == ("resolved", "6")


def test_without_opened_at_created_is_at_sys_created_on(tmp_path: Path) -> None:
    path = _write(tmp_path, [_incident(opened_at="")])
    assert events_of(read(path))[0][1:3] == ("2026-03-02T07:59:58Z", "created")


def test_an_incident_without_number_or_creation_time_is_a_problem(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            _incident(number=""),
            _incident(number="INC2", opened_at="soon", sys_created_on=""),
            "not an object",
            _incident(number="INC4"),
        ],
    )
    extract = read(path)
    assert problems_of(extract) == [
        (None, "result[0].number", None),
        (None, "result[1].opened_at", "soon"),
        (None, "result[1].opened_at", None),
        (None, "result[2]", None),
    ]
    assert "set json_utc: false in the mapping" in extract.problems[1].message
    assert extract.problems[2].message == "no opened_at nor sys_created_on; incident skipped"
    assert {e[0] for e in events_of(extract)} == {"INC4"}
    assert extract.n_read == 4


def test_an_unknown_state_in_json_names_its_path_and_the_mapping(tmp_path: Path) -> None:
    path = _write(tmp_path, [_incident(state={"display_value": "Parked", "value": "42"})])
    extract = read(path)
    assert problems_of(extract) == [(None, "result[0].state", "Parked")]
    assert extract.problems[0].message.startswith("unknown state (code '42'): add it to `states:`")
    assert [e[2] for e in events_of(extract)] == ["created"]


def test_display_strings_are_local_times_when_json_utc_is_off(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    default = (SAMPLES.parent / "mapping.yaml").read_text(encoding="utf-8")
    mapping.write_text(default.replace("json_utc: true", "json_utc: false"), encoding="utf-8")
    fetched = _incident(  # sysparm_display_value=true, by a user in Helsinki, dd/MM/yyyy
        state="On Hold",
        hold_reason="Awaiting Caller",
        opened_at="02/03/2026 10:00:00",
        sys_updated_on="02/03/2026 14:00:00",
        assignment_group="Service Desk",
        priority="3 - Moderate",
    )
    path = _write(tmp_path, [fetched])
    extract = read(path, mapping=mapping, timezone="Europe/Helsinki")
    assert [e[1:5] for e in events_of(extract)] == [
        ("2026-03-02T08:00:00Z", "created", None, None),
        ("2026-03-02T08:00:00Z", "priority", "P3", "3 - Moderate"),
        ("2026-03-02T08:00:00Z", "assign", "Service Desk", "Service Desk"),
        ("2026-03-02T12:00:00Z", "status", "pending_customer", "On Hold / Awaiting Caller"),
    ]
    without_zone = read(path, mapping=mapping)
    assert problems_of(without_zone)[0] == (None, "result[0].opened_at", "02/03/2026 10:00:00")


def test_a_file_that_is_not_a_table_api_response_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"records": []}', encoding="utf-8")
    with pytest.raises(InputError, match="Table API response"):
        read(path)
    path.write_text('{"result": [\n  {"number": }\n]}', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read(path)
    assert raised.value.problems[0].line == 2


def test_json_is_recognised_by_its_content_when_the_suffix_says_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, [_incident()], name="download.txt")
    assert read(path).n_read == 1
