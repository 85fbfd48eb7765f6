from __future__ import annotations

from pathlib import Path

import pytest

from mittari.errors import BatchRejected
from mittari.importers.canonical import TICKET_COLUMNS, read_events, read_tickets
from mittari.importers.canonical.tests import SAMPLES


def test_the_sample_aligns_to_the_sample_log() -> None:
    tickets = read_tickets(SAMPLES / "tickets.csv", strict=True)
    log = read_events(SAMPLES / "events.csv").log
    assert list(tickets.align(log.ticket_ids)) == [0, 1, 2, 3]
    assert tickets.table.column_names == [*TICKET_COLUMNS, "team"]


def test_unknown_tickets_align_to_minus_one_and_null_rows(tmp_path: Path) -> None:
    tickets = read_tickets(SAMPLES / "tickets.csv")
    assert list(tickets.align(["REQ-2001", "NOPE"])) == [3, -1]
    rows = tickets.aligned(["REQ-2001", "NOPE"])
    assert rows.column("customer").to_pylist() == ["revontuli", None]


def test_duplicate_and_empty_ids_are_problems_and_the_first_row_wins(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text("ticket_id,customer\nA,one\nB,two\nA,three\n,four\n", encoding="utf-8")
    tickets = read_tickets(path)
    assert [(p.line, p.field, p.value) for p in tickets.problems] == [
        (4, "ticket_id", "A"),
        (5, "ticket_id", ""),
    ]
    assert "first on line 2" in tickets.problems[0].message
    assert tickets.table.column("customer").to_pylist() == ["one", "two"]
    assert list(tickets.line) == [2, 3]
    assert tickets.table.column("subject").null_count == 2  # standard columns always there
    with pytest.raises(BatchRejected):
        read_tickets(path, strict=True)
