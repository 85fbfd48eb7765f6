"""The watermelon matrix of a stored customer: its latest run beside its answers.

Months are local months in the zone of the customer's latest contract version, as for
the experience figures. A comment counts under its ticket's service (else the service the
answer names) in the month it was answered; an answer without a time (JSM's) gives no
comment here, since its month would need the ticket's resolve.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine

from mittari.db import repository as repo
from mittari.db.feedback import load_answers
from mittari.engine.compliance import month_periods
from mittari.services.experience import customer_parts, figures_table
from mittari.services.sentiment import classify as sentiment
from mittari.services.stored import StoredRun, StoredTables, _customer, policies_of, stored_run
from mittari.services.watermelon import Comment, Key, MatrixCell, matrix, sla_status
from mittari.services.xla import experience_policy, xla_of_parts


def customer_watermelon(
    engine: Engine,
    customer: str,
    *,
    as_of_us: int,
    month: str | None = None,
    loaded: StoredTables | None = None,
    run: StoredRun | None = None,
    parts: pa.Table | None = None,
) -> list[MatrixCell]:
    """The matrix per service and month (of `month` alone when given). A caller that has
    read the customer's tables, its latest run or its parts (`customer_parts`) passes them."""
    if loaded is None or run is None:
        with engine.connect() as conn:
            owner = _customer(conn, customer)
            runs = [r.id for r in repo.runs(conn, owner)]
            if loaded is None:
                versions = repo.active_contracts(conn, owner)
                tickets = repo.load_tickets(conn, owner)
                answers = load_answers(conn, owner)
            if run is None and runs:
                run = stored_run(conn, owner, customer, runs[-1])
    if loaded is not None:
        versions, tickets, answers = loaded.versions, loaded.tickets, loaded.answers
    zone = policies_of(versions)[-1].timezone if versions else "UTC"
    by_ticket = tickets.select(["external_id", "service"]).rename_columns(["ticket_id", "service"])
    sla = sla_status(run.table, run.contracts, by_ticket) if run is not None else {}
    policy = experience_policy(versions)
    if parts is None:
        parts = customer_parts(engine, customer, as_of_us=as_of_us, loaded=loaded)
    if month is not None:
        sla = {k: v for k, v in sla.items() if k[1] == month}
    if policy is None:  # no XLA: every cell is unknown on the experience side
        return matrix(sla, pa.table({}), pa.table({}), {})
    xla = xla_of_parts(parts, policy, month)
    shown = parts if month is None else parts.filter(pc.equal(parts.column("month"), month))
    return matrix(sla, xla, figures_table(shown), comments(answers, tickets, zone, as_of_us))


def comments(
    answers: pa.Table, tickets: pa.Table, zone: str, as_of_us: int
) -> dict[Key, list[Comment]]:
    """The timed comments per (service, month), with their sentiment."""
    ids, services = tickets.column("id").to_pylist(), tickets.column("service").to_pylist()
    service_of = dict(zip(ids, services, strict=True))
    rows = [
        r
        for r in answers.to_pylist()
        if r["comment"] and r["ts_us"] is not None and r["ts_us"] <= as_of_us
    ]
    months, labels = month_periods(np.array([r["ts_us"] for r in rows], np.int64), zone)
    found: dict[Key, list[Comment]] = {}
    for row, code in zip(rows, months.tolist(), strict=True):
        service = service_of.get(row["ticket_id"]) or row["service"]
        verdict = sentiment(row["comment"], row["language"])
        key = (service, labels[code])
        found.setdefault(key, []).append(
            Comment(row["comment"], None if verdict is None else verdict.label)
        )
    return found


def cell_rows(cells: Sequence[MatrixCell]) -> pa.Table:
    """The matrix as a flat table for people: drivers joined as text."""
    return pa.Table.from_pylist(
        [
            {
                "service": c.service,
                "month": c.month,
                "sla": _status(c.sla_ok),
                "experience": _status(c.experience_ok),
                "cell": c.cell.value,
                "missed": "; ".join(c.drivers.missed) if c.drivers else None,
                "factors": ", ".join(c.drivers.factors) if c.drivers else None,
                "lost_time_mean_min": c.drivers.lost_time_mean_min if c.drivers else None,
                "comments": " | ".join(m.text for m in c.drivers.comments) if c.drivers else None,
            }
            for c in cells
        ]
    )


def _status(ok: bool | None) -> str:
    return "unknown" if ok is None else ("met" if ok else "missed")
