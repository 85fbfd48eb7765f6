"""Every error class gives a Problem naming line, column and value; strict takes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mittari.errors import BatchRejected, InputError
from mittari.importers.canonical import read_events
from mittari.importers.canonical.tests import SAMPLES

CREATED = "T1,2025-03-03T08:00:00+02:00,created,,"
EventsCsv = Callable[..., Path]


@pytest.mark.parametrize(
    ("row", "field", "value", "says"),
    [
        ("T1,2025-03-03T09:00:00+02:00,escalate,,agent", "kind", "escalate", "unknown kind"),
        ("T1,2025-03-03T09:00:00+02:00,,,agent", "kind", "", "missing kind"),
        ("T1,2025-03-03T09:00:00+02:00,status,waiting,", "value", "waiting", "unknown status"),
        (
            "T1,2025-03-03T09:00:00+02:00,status,pending-customer,",
            "value",
            "pending-customer",
            "did you mean 'pending_customer'",
        ),
        ("T1,2025-03-03T09:00:00+02:00,priority,P7,", "value", "P7", "P1..P5"),
        ("T1,2025-03-03T09:00:00+02:00,priority,high,", "value", "high", "P1..P5"),
        ("T1,2025-03-03T09:00:00+02:00,reply,,", "actor", "", "needs an actor"),
        ("T1,2025-03-03T09:00:00+02:00,note,,", "actor", "", "needs an actor"),
        ("T1,2025-03-03T09:00:00+02:00,reply,,bot", "actor", "bot", "unknown actor"),
        ("T1,2025-03-03T09:00:00+02:00,status,,agent", "value", "", "needs a value"),
        ("T1,2025-03-03T09:00:00+02:00,priority,,", "value", "", "needs a value"),
        ("T1,2025-03-03T09:00:00+02:00,assign,,", "value", "", "needs a value"),
        ("T1,2025-03-03T09:00:00+02:00,category,,", "value", "", "needs a value"),
        (",2025-03-03T09:00:00+02:00,status,open,", "ticket_id", "", "missing ticket_id"),
        ("T1,,status,open,", "ts", "", "missing timestamp"),
        ("T1,03.03.2025 09:00,status,open,", "ts", "03.03.2025 09:00", "not an ISO 8601"),
        ("T1,2025-03-03T09:00:00,status,open,", "ts", "2025-03-03T09:00:00", "no UTC offset"),
        ("T1,2025-02-29T09:00:00Z,status,open,", "ts", "2025-02-29T09:00:00Z", "no such date"),
        ("T1,2025-03-03T24:00:00Z,status,open,", "ts", "2025-03-03T24:00:00Z", "no such date"),
        (
            "T1,2025-03-03T09:00:00+25:00,status,open,",
            "ts",
            "2025-03-03T09:00:00+25:00",
            "UTC offset",
        ),
    ],
)
def test_a_bad_row_is_a_problem_at_its_line_and_column(
    events_csv: EventsCsv, row: str, field: str, value: str, says: str
) -> None:
    path = events_csv(CREATED, row, "T1,2025-03-03T10:00:00+02:00,status,resolved,agent")
    result = read_events(path)
    (problem,) = result.problems
    assert (problem.file, problem.line, problem.field, problem.value) == (
        str(path),
        3,
        field,
        value,
    )
    assert says in problem.message
    assert (result.n_read, result.n_kept, result.n_skipped) == (3, 2, 1)
    assert [int(x) for x in result.rows.column("line").to_numpy()] == [2, 4]


def test_strict_rejects_the_whole_batch_with_every_problem(events_csv: EventsCsv) -> None:
    path = events_csv(CREATED, "T1,2025-03-03T09:00:00+02:00,status,waiting,", "T1,x,reply,,agent")
    with pytest.raises(BatchRejected) as caught:
        read_events(path, strict=True)
    assert [(p.line, p.field) for p in caught.value.problems] == [(3, "value"), (4, "ts")]


def test_strict_takes_a_clean_file(events_csv: EventsCsv) -> None:
    assert len(read_events(events_csv(CREATED), strict=True).log) == 1


def test_a_ticket_without_created_is_skipped_whole(events_csv: EventsCsv) -> None:
    path = events_csv(
        CREATED,
        "T2,2025-03-03T09:00:00+02:00,status,open,agent",
        "T2,2025-03-03T09:30:00+02:00,reply,,agent",
    )
    result = read_events(path)
    (problem,) = result.problems
    assert (problem.line, problem.field, problem.value) == (3, "ticket_id", "T2")
    assert "no `created` event" in problem.message and "2 of its rows" in problem.message
    assert result.log.ticket_ids == ("T1",)
    assert (result.n_kept, result.n_skipped) == (1, 2)


def test_a_ticket_whose_created_is_bad_is_skipped_whole(events_csv: EventsCsv) -> None:
    path = events_csv(
        "T2,2025-03-03T09:00:00+02:00,status,open,agent",
        "T2,not-a-time,created,,",
        CREATED,
    )
    result = read_events(path)
    assert [(p.line, p.field) for p in result.problems] == [(2, "ticket_id"), (3, "ts")]
    assert "`created` event is invalid" in result.problems[0].message
    assert result.log.ticket_ids == ("T1",)


def test_line_numbers_count_blank_lines_quoted_breaks_and_malformed_rows(
    events_csv: EventsCsv,
) -> None:
    path = events_csv(
        CREATED,  # line 2
        "",  # line 3: blank, ignored without a problem
        'T1,2025-03-03T09:00:00+02:00,reply,"two\nlines",agent',  # lines 4-5
        "T1,2025-03-03T09:10:00+02:00,status,open,agent,surplus",  # line 6: malformed
        "T1,2025-03-03T09:20:00+02:00,status,closd,agent",  # line 7
    )
    result = read_events(path)
    assert [(p.line, p.field) for p in result.problems] == [(6, "row"), (7, "value")]
    assert result.problems[0].value == "T1,2025-03-03T09:10:00+02:00,status,open,agent,surplus"
    assert [int(x) for x in result.rows.column("line").to_numpy()] == [2, 4]
    assert (result.n_read, result.n_kept) == (4, 2)


def test_a_missing_required_column_rejects_the_file(events_csv: EventsCsv) -> None:
    path = events_csv("T1,2025-03-03T08:00:00Z,", header="ticket_id,ts,value")
    with pytest.raises(InputError) as caught:
        read_events(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, "kind")


def test_value_and_actor_columns_are_optional(events_csv: EventsCsv) -> None:
    path = events_csv("T1,2025-03-03T08:00:00Z,created", header="ticket_id,ts,kind")
    assert len(read_events(path, strict=True).log) == 1


def test_an_unknown_time_zone_is_an_input_error(events_csv: EventsCsv) -> None:
    with pytest.raises(InputError, match="Europe/Helsingfors"):
        read_events(events_csv(CREATED), timezone="Europe/Helsingfors")


def test_an_unknown_file_type_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"csv or \.parquet"):
        read_events(tmp_path / "events.json")


def test_the_sample_with_errors_reports_each_one() -> None:
    result = read_events(SAMPLES / "events_with_errors.csv")
    assert [(p.line, p.field) for p in result.problems] == [
        (3, "value"),
        (4, "value"),
        (5, "actor"),
        (6, "actor"),
        (7, "value"),
        (8, "ticket_id"),
        (9, "ts"),
        (10, "ts"),
        (11, "ts"),
        (12, "kind"),
        (13, "ticket_id"),
        (16, "row"),
    ]
    assert (result.n_read, result.n_kept, result.n_skipped) == (15, 2, 13)
