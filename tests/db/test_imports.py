"""Imports into the store, on SQLite and PostgreSQL: exact, idempotent, nothing lost."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv
import pytest
from sqlalchemy import Engine, func, select

from mittari.db import repository as repo
from mittari.db.models import Event, ImportBatch, RejectedRow, Ticket
from mittari.importers.canonical import read_events
from mittari.services.ingest import import_source
from mittari.services.stored import stored_log

SAMPLES = Path(__file__).parents[2] / "src/mittari/importers/canonical/samples"
EVENTS, TICKETS, BAD = (
    SAMPLES / "events.csv",
    SAMPLES / "tickets.csv",
    SAMPLES / "events_with_errors.csv",
)


def count(db: Engine, model: type) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def test_canonical_import_stores_every_event_and_ticket(db: Engine) -> None:
    summary = import_source(db, "canonical", EVENTS, tickets=TICKETS)
    expected = read_events(EVENTS)
    assert summary.status == "committed"
    assert (summary.n_read, summary.n_imported, summary.n_duplicates) == (36, 36, 0)
    assert summary.n_tickets_new == expected.log.n_tickets == count(db, Ticket)
    assert count(db, Event) == 36


def test_the_stored_log_is_the_log_that_was_read(db: Engine) -> None:
    import_source(db, "canonical", EVENTS, tickets=TICKETS)
    read = read_events(EVENTS).log
    with db.connect() as conn:
        stored = {}
        external = dict(conn.execute(select(Ticket.id, Ticket.external_id)).all())
        for customer in repo.list_customers(conn):
            log = stored_log(conn, repo.customer_id(conn, customer) or -1)
            stored.update(_events_by_ticket(log, lambda pk: external[int(pk)]))
    assert stored == _events_by_ticket(read, lambda tid: tid)


def _events_by_ticket(log, name_of) -> dict[str, list[tuple[int, int, object, int]]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[tuple[int, int, object, int]]] = {}
    words = (5, 6)  # assign, category: compare the text, not the index
    for i in range(len(log)):
        value = log.strings[log.value[i]] if log.kind[i] in words else int(log.value[i])
        row = (int(log.ts[i]), int(log.kind[i]), value, int(log.actor[i]))
        out.setdefault(name_of(log.ticket_ids[log.ticket[i]]), []).append(row)
    return out


def test_a_reimport_adds_nothing(db: Engine) -> None:
    first = import_source(db, "canonical", EVENTS, tickets=TICKETS)
    again = import_source(db, "canonical", EVENTS, tickets=TICKETS)
    assert (again.n_imported, again.n_duplicates, again.n_tickets_new) == (0, 36, 0)
    assert count(db, Event) == first.n_imported == 36
    assert count(db, ImportBatch) == 2


def test_a_longer_history_adds_only_its_new_events(db: Engine, tmp_path: Path) -> None:
    lines = EVENTS.read_text().splitlines()
    partial = tmp_path / "partial.csv"
    partial.write_text("\n".join(lines[:20]) + "\n")
    first = import_source(db, "canonical", partial, tickets=TICKETS)
    second = import_source(db, "canonical", EVENTS, tickets=TICKETS)
    assert first.n_imported + second.n_imported == 36
    assert second.n_duplicates == first.n_imported


def test_identical_events_in_one_file_are_both_kept(db: Engine, tmp_path: Path) -> None:
    file = tmp_path / "twice.csv"
    file.write_text(
        "ticket_id,ts,kind,value,actor\n"
        "T1,2025-01-02T10:00:00Z,created,,customer\n"
        "T1,2025-01-02T10:05:00Z,reply,,agent\n"
        "T1,2025-01-02T10:05:00Z,reply,,agent\n"
    )
    assert import_source(db, "canonical", file, customer="c").n_imported == 3
    assert import_source(db, "canonical", file, customer="c").n_imported == 0


def test_strict_import_of_a_bad_file_stores_only_its_rejection(db: Engine) -> None:
    summary = import_source(db, "canonical", BAD, customer="acme", strict=True)
    assert summary.status == "rejected"
    assert count(db, Event) == 0 and count(db, Ticket) == 0
    with db.connect() as conn:
        rejected = repo.rejected_rows(conn, summary.batch)
    assert len(rejected) == summary.n_rejected == len(summary.problems) > 0
    waiting = next(r for r in rejected if r.value == "waiting")
    assert (waiting.file, waiting.line, waiting.field) == (str(BAD), 3, "value")
    assert "unknown status" in waiting.reason


def test_default_import_keeps_the_good_rows_and_quarantines_the_bad(db: Engine) -> None:
    summary = import_source(db, "canonical", BAD, customer="acme")
    read = read_events(BAD)
    assert summary.status == "committed"
    assert summary.n_imported == read.n_kept == count(db, Event)
    assert count(db, RejectedRow) == len(read.problems) == summary.n_rejected
    assert summary.n_imported + summary.n_rejected >= summary.n_read - 1  # nothing unaccounted


def test_tickets_without_a_customer_are_quarantined_not_guessed(db: Engine, tmp_path: Path) -> None:
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        TICKETS.read_text().splitlines()[0] + "\n" + TICKETS.read_text().splitlines()[1] + "\n"
    )
    summary = import_source(db, "canonical", EVENTS, tickets=tickets)
    assert count(db, Ticket) == 1
    no_customer = [p for p in summary.problems if p.field == "customer"]
    assert len(no_customer) == read_events(EVENTS).log.n_tickets - 1
    assert all(p.file == str(EVENTS) and p.line for p in no_customer)


def test_a_customer_option_that_contradicts_the_tickets_file_is_a_problem(db: Engine) -> None:
    summary = import_source(db, "canonical", EVENTS, tickets=TICKETS, customer="kalliokone")
    others = [p for p in summary.problems if p.field == "customer"]
    assert others and all("kalliokone" not in str(p.value) for p in others)
    with db.connect() as conn:
        assert repo.list_customers(conn) == ["kalliokone"]


def test_raw_values_and_lines_are_kept_beside_canonical_ones(db: Engine, tmp_path: Path) -> None:
    file = tmp_path / "raw.csv"
    file.write_text(
        "ticket_id,ts,kind,value,actor\n"
        "T1,2025-01-02T10:00:00Z,created,,customer\n"
        "T1,2025-01-02T10:05:00Z,status, Pending_Customer ,agent\n"
        "T1,2025-01-02T10:06:00Z,priority,2,\n"
    )
    import_source(db, "canonical", file, customer="c")
    with db.connect() as conn:
        rows = conn.execute(
            select(Event.line, Event.kind, Event.code, Event.value, Event.raw_value).order_by(
                Event.line
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        (2, 0, None, None, ""),  # the raw cell as written: empty
        (3, 1, 2, "pending_customer", " Pending_Customer "),
        (4, 2, 2, "P2", "2"),
    ]


@pytest.mark.parametrize("n", [1, 250_001])
def test_bulk_round_trip_keeps_nulls_empty_strings_and_odd_text(db: Engine, n: int) -> None:
    from mittari.db import bulk

    text = ["a", "", None, 'quote " and, comma', "rivi\nvaihto", "ääkköset ✓"]
    values = (text * (n // len(text) + 1))[:n]
    with db.begin() as conn:
        customer = repo.customer_ids(conn, ["c"], create=True)["c"]
        table = pa.table(
            {
                "customer_id": pa.array([customer] * n, pa.int64()),
                "source": pa.array(["s"] * n),
                "external_id": pa.array([f"T{i}" for i in range(n)]),
                "subject": pa.array(values, pa.string()),
                "attributes": pa.array(["{}"] * n),
            }
        )
        assert bulk.insert(conn, "tickets", table) == n
        schema = pa.schema([("external_id", pa.string()), ("subject", pa.string())])
        back = bulk.select(
            conn,
            "SELECT external_id, subject FROM tickets WHERE customer_id = :c",
            {"c": customer},
            schema,
        )
    back = back.sort_by([("external_id", "ascending")])
    order = np.argsort(np.array([f"T{i}" for i in range(n)]), kind="stable")
    assert back.column("subject").to_pylist() == [values[i] for i in order]


def test_the_services_named_by_tickets_are_recorded_once(db: Engine) -> None:
    from mittari.db.models import Customer, Service

    import_source(db, "canonical", EVENTS, tickets=TICKETS)
    import_source(db, "canonical", EVENTS, tickets=TICKETS)
    with db.connect() as conn:
        query = select(Customer.key, Service.key).join(Customer, Customer.id == Service.customer_id)
        rows = sorted(tuple(r) for r in conn.execute(query))
    table = pa.csv.read_csv(TICKETS)
    pairs = zip(
        table.column("customer").to_pylist(), table.column("service").to_pylist(), strict=True
    )
    assert rows == sorted(set(pairs))


def test_a_lookup_of_many_named_tickets_finds_each(db: Engine) -> None:
    # eleven or more named parameters: `:w1` must not be taken for the start of `:w10`
    names = [f"T{i}" for i in range(25)]
    with db.begin() as conn:
        customer = repo.customer_ids(conn, ["c"], create=True)["c"]
        rows = pa.table(
            {
                "customer_id": pa.array([customer] * 25, pa.int64()),
                "source": pa.array(["s"] * 25),
                "external_id": pa.array(names),
                "attributes": pa.array(["{}"] * 25),
            }
        )
        from mittari.db import bulk

        bulk.insert(conn, "tickets", rows)
        found = repo.ticket_ids(conn, "s", customer, pa.array(names[::-1]))
    assert sorted(found.column("external_id").to_pylist()) == sorted(names)
