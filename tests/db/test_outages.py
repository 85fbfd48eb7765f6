"""Outages in the store, on SQLite and PostgreSQL: identity, idempotency, closing, and the
scoped reads of the reports' inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from mittari.db import repository as repo
from mittari.db.models import Outage
from mittari.db.outages import store_outages
from mittari.db.scope import Principal, Role, Scoped
from mittari.services.ingest import import_source

HOUR = 3_600_000_000


def row(n: int, end: bool = True, source: str = "zabbix") -> dict[str, Any]:
    start = 1_770_000_000_000_000 + n * HOUR
    return {
        "service": "erp",
        "start_us": start,
        "end_us": start + HOUR // 2 if end else None,
        "weight": 10_000,
        "planned": False,
        "source": source,
        "external_id": str(n),
        "summary": None,
        "batch_id": None,
    }


def test_a_large_import_twice_adds_nothing_the_second_time(db: Engine) -> None:
    rows = [row(n) for n in range(1_200)]  # more ids than one IN list holds
    with db.begin() as conn:
        owner = repo.customer_ids(conn, ["c"], create=True)["c"]
        first = store_outages(conn, owner, rows)
    with db.begin() as conn:
        again = store_outages(conn, owner, rows + rows[:10])  # with repeats inside the batch
    assert (first.added, first.closed, first.duplicates) == (1_200, 0, 0)
    assert (again.added, again.closed, again.duplicates) == (0, 0, 1_200)


def test_only_an_open_outage_takes_an_end_and_sources_do_not_collide(db: Engine) -> None:
    with db.begin() as conn:
        owner = repo.customer_ids(conn, ["c"], create=True)["c"]
        store_outages(conn, owner, [row(1, end=False), row(2)])
        same_id_elsewhere = store_outages(conn, owner, [row(1, source="csv")])
        later = row(2)
        later["end_us"] += HOUR  # a stored end is not moved
        closing = store_outages(conn, owner, [row(1), later, row(1, end=False)])
        ends = dict(
            conn.execute(
                select(Outage.external_id, Outage.end_us).where(Outage.source == "zabbix")
            ).all()
        )
    assert same_id_elsewhere.added == 1
    assert (closing.added, closing.closed, closing.duplicates) == (0, 1, 1)
    assert ends == {"1": row(1)["end_us"], "2": row(2)["end_us"]}


def test_scoped_reads_of_outages_and_ticket_origins_keep_to_the_principal(
    db: Engine, tmp_path: Path
) -> None:
    events = tmp_path / "events.csv"
    events.write_text(
        "ticket_id,ts,kind,value,actor\n"
        "X1,2026-03-10T09:00:00Z,created,,\nX2,2026-03-10T10:00:00Z,created,,\n"
    )
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("ticket_id,customer,service,origin\nX1,c,erp,\nX2,c,erp,X1\n")
    import_source(db, "canonical", events, tickets=tickets)
    with db.begin() as conn:
        owner = repo.customer_ids(conn, ["c", "other"], create=True)
        store_outages(conn, owner["c"], [row(1)])
    with db.connect() as conn:
        mine = Scoped(conn, Principal(1, Role.CUSTOMER_VIEWER, owner["c"]))
        theirs = Scoped(conn, Principal(2, Role.CUSTOMER_VIEWER, owner["other"]))
        assert list(mine.ticket_origins(owner["c"]).values()) == ["X1"]
        assert mine.outage_table(owner["c"]).num_rows == 1
        assert mine.outages(owner["c"], 0, 10)[1] == 1
        assert theirs.ticket_origins(owner["c"]) == {}
        assert theirs.outage_table(owner["c"]).num_rows == 0
        assert theirs.outages(owner["c"], 0, 10) == ([], 0)
        assert theirs.event_table(owner["c"]).num_rows == 0
        assert theirs.ticket_table(owner["c"]).num_rows == 0
