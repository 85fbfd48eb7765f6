"""The diffing rules of a history export, one by one, on tiny files (times in UTC)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mittari.errors import InputError
from mittari.importers.servicenow import read
from mittari.importers.servicenow.tests import events_of, problems_of

HistoryCsv = Callable[..., Path]
OPEN = "2026-03-02 08:00:00"


def _kinds(path: Path) -> list[tuple[str, str, str, str | None]]:
    """(ticket, ts, kind, value) of each event, ts as written in the file (UTC)."""
    return [
        (ticket, ts.replace("T", " ").rstrip("Z"), kind, value)
        for ticket, ts, kind, value, *_ in events_of(read(path, timezone="UTC"))
    ]


def test_the_first_row_gives_created_and_the_initial_values_at_opened_at(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv(f"INC1,New,,2026-03-02 08:05:00,{OPEN},3 - Moderate,Service Desk,Software")
    assert events_of(read(path, timezone="UTC")) == [
        ("INC1", "2026-03-02T08:00:00Z", "created", None, None, 2, "opened_at"),
        ("INC1", "2026-03-02T08:00:00Z", "status", "new", "New", 2, "incident_state"),
        ("INC1", "2026-03-02T08:00:00Z", "priority", "P3", "3 - Moderate", 2, "priority"),
        (
            "INC1",
            "2026-03-02T08:00:00Z",
            "assign",
            "Service Desk",
            "Service Desk",
            2,
            "assignment_group",
        ),
        ("INC1", "2026-03-02T08:00:00Z", "category", "Software", "Software", 2, "category"),
    ]


def test_a_row_that_changes_nothing_gives_no_event(history_csv: HistoryCsv) -> None:
    path = history_csv(
        f"INC1,New,,{OPEN},{OPEN},3,SD,",
        f"INC1,New,,2026-03-02 09:00:00,{OPEN},3,SD,",
    )
    assert len(_kinds(path)) == 4  # created, status, priority, assign: all from line 2


def test_a_changed_state_is_a_status_event_at_the_rows_update_time(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv(
        f"INC1,New,,{OPEN},{OPEN},,,", f"INC1,In Progress,,2026-03-02 09:00:00,{OPEN},,,"
    )
    assert _kinds(path)[-1] == ("INC1", "2026-03-02 09:00:00", "status", "open")


def test_a_new_state_with_the_same_canonical_status_gives_no_event(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv(
        f"INC1,Awaiting User Info,,{OPEN},{OPEN},,,",  # legacy state model
        f"INC1,On Hold,Awaiting Caller,2026-03-02 09:00:00,{OPEN},,,",  # its Helsinki+ twin
    )
    assert [kind[2:] for kind in _kinds(path)] == [
        ("created", None),
        ("status", "pending_customer"),
    ]


def test_a_new_hold_reason_while_on_hold_is_a_status_event(history_csv: HistoryCsv) -> None:
    path = history_csv(
        f"INC1,On Hold,Awaiting Caller,{OPEN},{OPEN},,,",
        f"INC1,On Hold,Awaiting Vendor,2026-03-02 09:00:00,{OPEN},,,",
        f"INC1,On Hold,Awaiting Change,2026-03-02 10:00:00,{OPEN},,,",
        f"INC1,On Hold,,2026-03-02 11:00:00,{OPEN},,,",
    )
    statuses = [(ts[11:], value) for _, ts, kind, value in _kinds(path) if kind == "status"]
    assert statuses == [
        ("08:00:00", "pending_customer"),
        ("09:00:00", "pending_vendor"),
        ("10:00:00", "on_hold"),  # Awaiting Change: on hold, not a customer or vendor wait
    ]  # 11:00, no reason: still on_hold, no event


def test_a_hold_reason_counts_only_while_on_hold(history_csv: HistoryCsv) -> None:
    path = history_csv(
        f"INC1,On Hold,Awaiting Vendor,{OPEN},{OPEN},,,",
        f"INC1,In Progress,Awaiting Vendor,2026-03-02 09:00:00,{OPEN},,,",  # a stale reason
    )
    assert _kinds(path)[-1][2:] == ("status", "open")


def test_state_and_hold_reason_codes_map_like_their_labels(history_csv: HistoryCsv) -> None:
    path = history_csv(
        f"INC1,1,,{OPEN},{OPEN},1,,",
        f"INC1,2,,2026-03-02 09:00:00,{OPEN},1,,",
        f"INC1,3,4,2026-03-02 10:00:00,{OPEN},1,,",
        f"INC1,8,,2026-03-02 11:00:00,{OPEN},1,,",
    )
    extract = read(path, timezone="UTC")
    statuses = [(e[3], e[4]) for e in events_of(extract) if e[2] == "status"]
    assert statuses == [
        ("new", "1"),
        ("open", "2"),
        ("pending_vendor", "3 / 4"),
        ("cancelled", "8"),
    ]


def test_a_changed_priority_is_a_priority_event(history_csv: HistoryCsv) -> None:
    path = history_csv(
        f"INC1,2,,{OPEN},{OPEN},2 - High,,",
        f"INC1,2,,2026-03-02 09:00:00,{OPEN},2,,",  # the same priority as a code: no event
        f"INC1,2,,2026-03-02 10:00:00,{OPEN},1 - Critical,,",
    )
    priorities = [(ts[11:], v) for _, ts, kind, v in _kinds(path) if kind == "priority"]
    assert priorities == [("08:00:00", "P2"), ("10:00:00", "P1")]


def test_reassignments_are_assign_events_and_an_emptied_group_is_none(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv(
        f"INC1,2,,{OPEN},{OPEN},,Service Desk,",
        f"INC1,2,,2026-03-02 09:00:00,{OPEN},,Network,",
        f"INC1,2,,2026-03-02 10:00:00,{OPEN},,,",  # emptied: no event
        f"INC1,2,,2026-03-02 11:00:00,{OPEN},,Network,",  # filled again: an event
    )
    groups = [(ts[11:], v) for _, ts, kind, v in _kinds(path) if kind == "assign"]
    assert groups == [
        ("08:00:00", "Service Desk"),
        ("09:00:00", "Network"),
        ("11:00:00", "Network"),
    ]


def test_a_changed_category_is_a_category_event(history_csv: HistoryCsv) -> None:
    path = history_csv(
        f"INC1,2,,{OPEN},{OPEN},,,Software",
        f"INC1,2,,2026-03-02 09:00:00,{OPEN},,,Hardware",
    )
    categories = [(ts[11:], v) for _, ts, kind, v in _kinds(path) if kind == "category"]
    assert categories == [("08:00:00", "Software"), ("09:00:00", "Hardware")]


def test_a_reopen_is_the_status_leaving_resolved(history_csv: HistoryCsv) -> None:
    header = "number,state,sys_updated_on,opened_at,reopen_count"
    path = history_csv(
        f"INC1,2,{OPEN},{OPEN},0",
        f"INC1,6,2026-03-02 09:00:00,{OPEN},0",
        f"INC1,2,2026-03-03 09:00:00,{OPEN},1",
        f"INC1,6,2026-03-03 12:00:00,{OPEN},1",
        f"INC1,7,2026-03-10 12:00:00,{OPEN},1",
        header=header,
    )
    statuses = [(ts, v) for _, ts, kind, v in _kinds(path) if kind == "status"]
    assert statuses == [
        (OPEN, "open"),
        ("2026-03-02 09:00:00", "resolved"),
        ("2026-03-03 09:00:00", "open"),
        ("2026-03-03 12:00:00", "resolved"),
        ("2026-03-10 12:00:00", "closed"),
    ]
    assert read(path, timezone="UTC").tickets.column("reopen_count").to_pylist() == ["1"]


def test_rows_are_sorted_by_update_time_and_same_time_rows_keep_file_order(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv(
        f"INC1,6,,2026-03-02 12:00:00,{OPEN},,,",
        f"INC1,2,,2026-03-02 10:00:00,{OPEN},,,",  # same time as the next: file order
        f"INC1,3,1,2026-03-02 10:00:00,{OPEN},,,",
        f"INC1,1,,{OPEN},{OPEN},,,",
    )
    lines = [(e[5], e[3]) for e in events_of(read(path, timezone="UTC")) if e[2] == "status"]
    assert lines == [(5, "new"), (3, "open"), (4, "pending_customer"), (2, "resolved")]


def test_rows_are_grouped_by_number_in_order_of_first_appearance(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv(
        f"INC2,1,,{OPEN},{OPEN},,,",
        f"INC1,1,,{OPEN},{OPEN},,,",
        f"INC2,2,,2026-03-02 09:00:00,{OPEN},,,",
        f"INC1,8,,2026-03-02 09:00:00,{OPEN},,,",
    )
    assert [(t, kind, v) for t, _, kind, v in _kinds(path)] == [
        ("INC2", "created", None),
        ("INC2", "status", "new"),
        ("INC2", "status", "open"),
        ("INC1", "created", None),
        ("INC1", "status", "new"),
        ("INC1", "status", "cancelled"),
    ]


def test_a_row_with_an_unknown_state_still_gives_its_other_events(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv(
        f"INC1,2,,{OPEN},{OPEN},3,,",
        f"INC1,Parked,,2026-03-02 09:00:00,{OPEN},2,,",
        f"INC1,2,,2026-03-02 10:00:00,{OPEN},2,,",  # still open: no status event
    )
    extract = read(path, timezone="UTC")
    assert problems_of(extract) == [(3, "incident_state", "Parked")]
    assert [(e[2], e[3], e[5]) for e in events_of(extract)][2:] == [
        ("priority", "P3", 2),
        ("priority", "P2", 3),
    ]


def test_headers_match_names_or_labels_whatever_their_case_and_spacing(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv(
        f"INC1,In Progress,{OPEN},{OPEN}",
        header=" NUMBER , incident  STATE,Updated,opened_at",
    )
    extract = read(path, timezone="UTC")
    assert [e[6] for e in events_of(extract)] == ["opened_at", "incident  STATE"]


def test_the_service_is_business_service_else_cmdb_ci(history_csv: HistoryCsv) -> None:
    path = history_csv(
        f"INC1,2,{OPEN},,CI-1",
        f"INC2,2,{OPEN},Email,CI-2",
        header="number,state,sys_updated_on,business_service,cmdb_ci",
    )
    tickets = read(path, timezone="UTC").tickets
    assert tickets.column("service").to_pylist() == ["CI-1", "Email"]


def test_lines_count_quoted_line_breaks_and_blank_lines(history_csv: HistoryCsv) -> None:
    path = history_csv(
        f'INC1,2,{OPEN},{OPEN},"two\nlines"',
        "",
        f"INC1,Parked,2026-03-02 09:00:00,{OPEN},x",
        header="number,state,sys_updated_on,opened_at,short_description",
    )
    extract = read(path, timezone="UTC")
    assert problems_of(extract) == [(5, "state", "Parked")]
    assert extract.problems[0].message.startswith("unknown state: add it to `states:` in ")
    assert extract.n_read == 2


def test_without_an_opened_at_column_created_is_the_first_update(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv("INC1,2,2026-03-02 09:00:00", header="number,state,sys_updated_on")
    extract = read(path, timezone="UTC")
    assert problems_of(extract) == [(1, "opened_at", None)]
    assert events_of(extract)[0] == (
        "INC1",
        "2026-03-02T09:00:00Z",
        "created",
        None,
        None,
        2,
        "sys_updated_on",
    )


def test_a_file_without_the_required_columns_is_an_input_error(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv("INC1,2", header="Number,Priority")
    with pytest.raises(InputError) as raised:
        read(path, timezone="UTC")
    assert [(p.line, p.field) for p in raised.value.problems] == [(1, "state"), (1, "updated")]
    assert "Incident state" in raised.value.problems[0].message


def test_an_empty_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read(path)
